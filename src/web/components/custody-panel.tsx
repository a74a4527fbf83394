import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, nullable, numberOrNull, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useSession } from '../session.js';
import type { SpecimenView } from '../pathway-types.js';
import { useLoad } from '../hooks.js';
import type { PreparationView, Problem } from '../types.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { SelectField, TextField } from './field.js';
import { Badge } from './status.js';

const STATUS_LABELS: Record<string, string> = {
  drawn: 'Drawn', centrifuged: 'Centrifuged', prepared: 'Prepared', verified: 'Verified at bedside', injected: 'Injected', discarded: 'Discarded',
};
const STATUS_TONE: Record<string, 'neutral' | 'accent' | 'success' | 'warning' | 'danger'> = {
  drawn: 'neutral', centrifuged: 'accent', prepared: 'accent', verified: 'success', injected: 'success', discarded: 'danger',
};

const DRAW_FIELDS: Record<string, FieldInfo> = { drawVolumeMl: { label: 'Blood drawn (mL)' }, tubeCount: { label: 'Tubes' }, note: { label: 'Note' } };
const STEP_FIELDS: Record<string, FieldInfo> = { prpVolumeMl: { label: 'PRP volume (mL)' }, preparationId: { label: 'Preparation record' }, reason: { label: 'Reason' } };

/** The chain of custody of the patient's own blood: the draw and its label, then each lab step. */
export function CustodyPanel({ episodeId, specimens, onChanged }: { episodeId: string; specimens: SpecimenView[]; onChanged: () => void }) {
  const { can } = useSession();
  const writable = can('custody:write');
  const open = specimens.some((s) => !['injected', 'discarded'].includes(s.status));
  return (
    <section className="panel" id="custody" aria-labelledby="custody-title">
      <div className="panel-header">
        <h2 id="custody-title" className="panel-title">Blood draw and preparation <span className="count">{specimens.length}</span></h2>
      </div>
      {specimens.length === 0 && <div className="panel-body"><p className="muted">No blood drawn yet.</p></div>}
      {specimens.map((s) => <SpecimenCard key={s.id} specimen={s} writable={writable} onChanged={onChanged} />)}
      {writable && !open && <div className="panel-body panel-inset"><DrawForm episodeId={episodeId} onDrawn={onChanged} /></div>}
    </section>
  );
}

function DrawForm({ episodeId, onDrawn }: { episodeId: string; onDrawn: () => void }) {
  const [volume, setVolume] = useState('');
  const [tubes, setTubes] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `draw-${f}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const specimen = await api.post<SpecimenView>(`/episodes/${episodeId}/specimens`, { drawVolumeMl: numberOrNull(volume), tubeCount: numberOrNull(tubes), note: nullable(note) });
      announce(`Blood draw recorded: specimen ${specimen.displayCode}. Print the label.`);
      onDrawn();
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), DRAW_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Record the blood draw">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The draw was not recorded" />
      <div className="form-grid">
        <TextField id={fieldId('drawVolumeMl')} label="Blood drawn (mL)" type="number" inputMode="decimal" min={0} max={500} step="any" value={volume} onChange={(e) => setVolume(e.target.value)} error={errors.fields.drawVolumeMl} optional />
        <TextField id={fieldId('tubeCount')} label="Tubes" type="number" inputMode="numeric" min={1} max={20} value={tubes} onChange={(e) => setTubes(e.target.value)} error={errors.fields.tubeCount} optional />
        <TextField id={fieldId('note')} label="Note" value={note} onChange={(e) => setNote(e.target.value)} error={errors.fields.note} optional maxLength={1000} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Recording…' : 'Record draw'}</button>
      </div>
    </form>
  );
}

type StepKind = 'prepared' | 'discarded';

function SpecimenCard({ specimen: s, writable, onChanged }: { specimen: SpecimenView; writable: boolean; onChanged: () => void }) {
  const [form, setForm] = useState<StepKind | undefined>(undefined);
  const [separateRun, setSeparateRun] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const labelUrl = `/api/v1/specimens/${s.id}/label`;

  async function centrifuged(confirmSeparateRun: boolean) {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.post<SpecimenView>(`/specimens/${s.id}/events`, { type: 'centrifuged', ...(confirmSeparateRun && { confirmSeparateRun: true }) });
      setSeparateRun(undefined);
      announce('Centrifuged.');
      onChanged();
    } catch (error) {
      const p = problemOf(error);
      if (p.status === 409 && p.code === 'other-patient-in-progress') setSeparateRun(p.detail);
      else setProblem(p);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel-body specimen-card" data-specimen={s.code}>
      <div className="specimen-head">
        <span className="mono specimen-code">{s.displayCode}</span>
        <Badge tone={STATUS_TONE[s.status] ?? 'neutral'}>{STATUS_LABELS[s.status] ?? s.status}</Badge>
        {s.expired && !['injected', 'discarded'].includes(s.status) && <Badge tone="danger">Past time limit</Badge>}
      </div>
      <p className="muted small">
        Drawn {formatInstant(s.drawnAt)}{s.drawnBy ? ` by ${s.drawnBy.displayName}` : ''} · use by {formatInstant(s.expiresAt)} ({s.productAgeLimitHours} h)
        {s.drawVolumeMl !== null && ` · ${s.drawVolumeMl} mL`}{s.prpVolumeMl !== null && ` · PRP ${s.prpVolumeMl} mL`}
        {s.preparationId && <> · <Link to={`/preparations/${s.preparationId}`}>Preparation record</Link></>}
        {s.discardReason && ` · Discarded: ${s.discardReason}`}
      </p>
      <ol className="custody-events small">
        {s.events.map((e) => <li key={e.id}><strong>{STATUS_LABELS[e.type] ?? e.type}</strong> {formatInstant(e.at)}{e.by ? ` · ${e.by.displayName}` : ''}</li>)}
      </ol>
      <div className="row-actions custody-actions">
        <a className="button button-small" href={labelUrl} target="_blank" rel="noopener">Print label</a>
        {writable && s.status === 'drawn' && <button type="button" className="button button-small" disabled={busy} onClick={() => void centrifuged(false)}>Centrifuged</button>}
        {writable && ['drawn', 'centrifuged'].includes(s.status) && <button type="button" className="button button-small" disabled={busy} onClick={() => setForm('prepared')}>Prepared…</button>}
        {writable && !['injected', 'discarded'].includes(s.status) && <button type="button" className="button button-small button-quiet" disabled={busy} onClick={() => setForm('discarded')}>Discard…</button>}
      </div>
      {separateRun && (
        <div className="notice notice-warning" role="alert">
          <p><strong>Separate run?</strong> {separateRun}</p>
          <div className="form-actions">
            <button type="button" className="button button-primary button-small" disabled={busy} onClick={() => void centrifuged(true)}>Yes, this is a separate centrifuge run</button>
            <button type="button" className="button button-quiet button-small" onClick={() => setSeparateRun(undefined)}>Cancel</button>
          </div>
        </div>
      )}
      {problem && <Notice kind="error">{problem.detail}</Notice>}
      {form && <StepForm specimen={s} kind={form} onDone={(changed) => { setForm(undefined); if (changed) onChanged(); }} />}
    </div>
  );
}

function StepForm({ specimen, kind, onDone }: { specimen: SpecimenView; kind: StepKind; onDone: (changed: boolean) => void }) {
  const [prp, setPrp] = useState('');
  const [preparationId, setPreparationId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `step-${specimen.id}-${f}`;
  const { can } = useSession();
  // The lab's preparation records of this episode, to link the product to the one it came from.
  const preparations = useLoad((signal) => (kind === 'prepared' && can('preparation:read') ? api.get<PreparationView[]>(`/episodes/${specimen.episodeId}/preparations`, undefined, signal) : Promise.resolve([])), [specimen.episodeId, kind]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    const body = kind === 'prepared'
      ? { type: 'prepared', prpVolumeMl: numberOrNull(prp), preparationId: nullable(preparationId) }
      : { type: 'discarded', reason: reason.trim() };
    try {
      await api.post<SpecimenView>(`/specimens/${specimen.id}/events`, body);
      announce(kind === 'prepared' ? 'Prepared.' : 'Discarded.');
      onDone(true);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), STEP_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form panel-inset" aria-label={kind === 'prepared' ? 'Record the preparation' : 'Discard the product'}>
      <ErrorSummary errors={errors} fieldId={fieldId} title="The step was not recorded" />
      {kind === 'prepared' ? (
        <div className="form-grid">
          <TextField id={fieldId('prpVolumeMl')} label="PRP volume (mL)" type="number" inputMode="decimal" min={0} max={500} step="any" value={prp} onChange={(e) => setPrp(e.target.value)} error={errors.fields.prpVolumeMl} autoFocus />
          <SelectField id={fieldId('preparationId')} label="Preparation record" hint="The lab’s record of this preparation, if one was made." value={preparationId} onChange={(e) => {
            setPreparationId(e.target.value);
            const chosen = preparations.data?.find((p) => p.id === e.target.value);
            if (chosen?.prp.volumeMl && prp === '') setPrp(String(chosen.prp.volumeMl));
          }} error={errors.fields.preparationId} optional>
            <option value="">None</option>
            {preparations.data?.map((p) => <option key={p.id} value={p.id}>{formatInstant(p.draw.drawnAt)}{p.protocol ? ` · ${p.protocol.name} v${p.protocol.version}` : ''}{p.prp.volumeMl ? ` · PRP ${p.prp.volumeMl} mL` : ''}</option>)}
          </SelectField>
        </div>
      ) : (
        <TextField id={fieldId('reason')} label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.fields.reason} maxLength={1000} autoFocus />
      )}
      <div className="form-actions">
        <button type="submit" className={`button ${kind === 'discarded' ? 'button-danger' : 'button-primary'}`} disabled={busy}>{kind === 'prepared' ? 'Record preparation' : 'Discard product'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
