import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { EPISODE_STATUS_LABELS, formatDate, todayIso } from '../format.js';
import { NO_ERRORS, formErrorsOf, optional, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useSession } from '../session.js';
import type { EpisodeStatus, EpisodeView, Problem } from '../types.js';
import { DataTable } from './data-table.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';
import { EpisodePreparations } from './preparations.js';
import { Badge } from './status.js';

const EPISODE_FIELDS: Record<string, FieldInfo> = {
  indication: { label: 'Indication' },
  icd10Code: { label: 'ICD-10 code' },
  openedOn: { label: 'Opened on' },
  notes: { label: 'Notes' },
};
const fieldId = (field: string) => `episode-${field}`;

const STATUS_TONE: Record<EpisodeStatus, 'accent' | 'neutral' | 'warning'> = { open: 'accent', closed: 'neutral', cancelled: 'warning' };

interface Props {
  patientId: string;
  episodes: EpisodeView[];
  /** Called after any change, so the page reloads the episodes and the audit history. */
  onChanged: () => void;
}

/** A patient's episodes of care: one per condition treated, opened, closed, cancelled or reopened. */
export function Episodes({ patientId, episodes, onChanged }: Props) {
  const { can, meta } = useSession();
  const writable = can('episode:write');
  const [opening, setOpening] = useState(false);
  const [actionError, setActionError] = useState<Problem | undefined>(undefined);
  const [pending, setPending] = useState<string | undefined>(undefined);
  const labelOf = (code: string) => meta?.indications.find((i) => i.code === code)?.label ?? code;

  async function setStatus(episode: EpisodeView, status: EpisodeStatus) {
    setPending(episode.id);
    setActionError(undefined);
    try {
      await api.patch<EpisodeView>(`/episodes/${episode.id}`, { status });
      announce(`Episode ${status === 'open' ? 'reopened' : status}.`);
      onChanged();
    } catch (error) {
      setActionError(problemOf(error));
    } finally {
      setPending(undefined);
    }
  }

  return (
    <section className="panel" aria-labelledby="episodes-title">
      <div className="panel-header">
        <h2 id="episodes-title" className="panel-title">Episodes of care <span className="count">{episodes.length}</span></h2>
        {writable && !opening && <button type="button" className="button button-small" onClick={() => setOpening(true)}>Open episode</button>}
      </div>
      {opening && (
        <div className="panel-body panel-inset">
          <OpenEpisodeForm
            patientId={patientId}
            onDone={(opened) => {
              setOpening(false);
              if (opened) onChanged();
            }}
          />
        </div>
      )}
      {actionError && <div className="panel-body"><Notice kind="error">{actionError.detail}</Notice></div>}
      <DataTable<EpisodeView>
        caption="Episodes of care"
        captionHidden
        rows={episodes}
        rowKey={(e) => e.id}
        empty="No episode of care yet."
        columns={[
          { header: 'Indication', rowHeader: true, cell: (e) => <><Link to={`/episodes/${e.id}`}>{labelOf(e.indication)}</Link>{e.notes && <div className="muted small">{e.notes}</div>}</> },
          { header: 'ICD-10', cell: (e) => <span className="mono">{e.icd10Code}</span> },
          { header: 'Status', cell: (e) => <Badge tone={STATUS_TONE[e.status]}>{EPISODE_STATUS_LABELS[e.status]}</Badge> },
          { header: 'Opened', cell: (e) => formatDate(e.openedOn), className: 'nowrap' },
          { header: 'Closed', cell: (e) => formatDate(e.closedOn), className: 'nowrap' },
          ...(can('outcome:read') ? [{
            header: 'Procedure',
            className: 'nowrap',
            cell: (e: EpisodeView) => (
              <>{e.plannedProcedureOn ? formatDate(e.plannedProcedureOn) : <span className="muted">Not planned</span>}{' '}
                <Link to={`/episodes/${e.id}/follow-up`} aria-label={`Follow-up: ${labelOf(e.indication)}`}>Follow-up</Link></>
            ),
          }] : []),
          ...(writable ? [{
            header: 'Actions',
            className: 'actions-cell',
            cell: (e: EpisodeView) => (
              <span className="row-actions">
                {e.status === 'open' ? (
                  <>
                    <button type="button" className="button button-small" disabled={pending === e.id} onClick={() => void setStatus(e, 'closed')} aria-label={`Close episode: ${labelOf(e.indication)}`}>Close</button>
                    <button type="button" className="button button-small button-quiet" disabled={pending === e.id} onClick={() => void setStatus(e, 'cancelled')} aria-label={`Cancel episode: ${labelOf(e.indication)}`}>Cancel episode</button>
                  </>
                ) : (
                  <button type="button" className="button button-small" disabled={pending === e.id} onClick={() => void setStatus(e, 'open')} aria-label={`Reopen episode: ${labelOf(e.indication)}`}>Reopen</button>
                )}
              </span>
            ),
          }] : []),
        ]}
      />
      {can('preparation:read') && episodes.map((e) => <EpisodePreparations key={e.id} episode={e} label={labelOf(e.indication)} />)}
    </section>
  );
}

function OpenEpisodeForm({ patientId, onDone }: { patientId: string; onDone: (opened: boolean) => void }) {
  const { meta } = useSession();
  const [indication, setIndication] = useState('');
  const [icd10, setIcd10] = useState('');
  const [openedOn, setOpenedOn] = useState(todayIso());
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  function chooseIndication(code: string) {
    setIndication(code);
    // The indication's usual code pre-fills the field; the clinician can make it more specific.
    setIcd10(meta?.indications.find((i) => i.code === code)?.icd10 ?? '');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await api.post<EpisodeView>(`/patients/${patientId}/episodes`, {
        ...(indication && { indication }), icd10Code: optional(icd10), openedOn: optional(openedOn), notes: optional(notes),
      });
      announce('Episode opened.');
      onDone(true);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), EPISODE_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Open an episode of care">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The episode was not opened" />
      <div className="form-grid">
        <SelectField id={fieldId('indication')} label="Indication" value={indication} onChange={(e) => chooseIndication(e.target.value)} error={errors.fields.indication} required autoFocus>
          <option value="">Choose…</option>
          {meta?.indications.map((i) => <option key={i.code} value={i.code}>{i.label}</option>)}
        </SelectField>
        <TextField
          id={fieldId('icd10Code')} label="ICD-10 code" value={icd10} onChange={(e) => setIcd10(e.target.value.toUpperCase())} error={errors.fields.icd10Code}
          hint="Suggested from the indication; make it more specific if needed." maxLength={8} inputClassName="mono" spellCheck={false} autoComplete="off"
        />
        <TextField id={fieldId('openedOn')} label="Opened on" type="date" value={openedOn} onChange={(e) => setOpenedOn(e.target.value)} error={errors.fields.openedOn} max={todayIso()} />
        <TextAreaField id={fieldId('notes')} label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={errors.fields.notes} optional rows={2} maxLength={5000} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Opening…' : 'Open episode'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
