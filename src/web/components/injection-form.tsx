import { useState, type FormEvent } from 'react';
import { SIDES, SPINAL_LEVELS } from '../../science/assessment.js';
import { IMAGE_GUIDANCE, INJECTION_STRUCTURES, INJECTION_STRUCTURE_LABELS, type InjectionStructure } from '../../science/injection.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { toLocalInput } from '../format.js';
import { NO_ERRORS, formErrorsOf, nullable, numberOrNull, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad } from '../hooks.js';
import { ANTIBIOTIC_ROUTES, COMPLICATION_ITEMS, GUIDANCE_LABELS, NEEDLE_TYPES, SIDE_LABELS } from '../injection-labels.js';
import type { ProcedureView, SpecimenView } from '../pathway-types.js';
import { useSession } from '../session.js';
import type { StaffView } from '../types.js';
import { ErrorSummary, Notice } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

interface TargetRow { structure: InjectionStructure | ''; level: string; side: string; volume: string }
const emptyRow = (): TargetRow => ({ structure: '', level: '', side: '', volume: '' });

const FIELDS: Record<string, FieldInfo> = {
  performedAt: { label: 'Date and time' }, performedById: { label: 'Performing clinician' }, assistantId: { label: 'Assistant' },
  imageGuidance: { label: 'Image guidance' }, targets: { label: 'Targets' },
  'needle.gauge': { label: 'Needle gauge' }, 'needle.lengthMm': { label: 'Needle length' }, 'needle.type': { label: 'Needle type' },
  'contrast.agent': { label: 'Contrast agent' }, 'contrast.volumeMl': { label: 'Contrast volume' },
  'antibioticProphylaxis.agent': { label: 'Antibiotic' }, 'antibioticProphylaxis.doseMg': { label: 'Antibiotic dose' }, 'antibioticProphylaxis.route': { label: 'Antibiotic route' },
  'antibioticProphylaxis.timing': { label: 'Antibiotic timing' },
  'localAnaesthetic.agent': { label: 'Local anaesthetic agent' }, 'localAnaesthetic.concentrationPct': { label: 'Local anaesthetic concentration' },
  'localAnaesthetic.volumeMl': { label: 'Local anaesthetic volume' }, 'localAnaesthetic.doseMg': { label: 'Local anaesthetic dose' },
  'immediateComplications.note': { label: 'What happened' }, dischargeInstructions: { label: 'Discharge instructions' }, notes: { label: 'Notes' },
};
const fieldId = (field: string) => `injection-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;
const OTHER = 'other';

/** A `datetime-local` value for now, in the browser's time zone (the default of "when"). */
const localNow = (): string => toLocalInput(new Date().toISOString());

/**
 * The injection record: who and when, where the PRP went and how much (with a running total
 * against what was prepared), needle, contrast, antibiotic prophylaxis, local anaesthetic,
 * immediate complications and discharge instructions. The server checks everything again and
 * names the field of every problem (`targets[1].volumeMl`).
 */
export function InjectionForm({ episodeId, specimen, onRecorded }: { episodeId: string; specimen: SpecimenView; onRecorded: (p: ProcedureView) => void }) {
  const { session } = useSession();
  const me = session?.user.id ?? '';
  const staff = useLoad((signal) => api.get<StaffView[]>('/staff', undefined, signal), []);
  const active = (staff.data ?? []).filter((s) => s.active);
  const clinicians = active.filter((s) => s.role === 'clinician');

  const [rows, setRows] = useState<TargetRow[]>([emptyRow()]);
  // Shown as now; sent only when changed, so the server stamps the moment the record is made.
  const [when, setWhen] = useState<string | undefined>(undefined);
  const [performer, setPerformer] = useState(me);
  const [assistant, setAssistant] = useState('');
  const [guidance, setGuidance] = useState('');
  const [needle, setNeedle] = useState({ gauge: '', lengthMm: '', type: '', otherType: '' });
  const [contrast, setContrast] = useState({ used: false, agent: '', volumeMl: '' });
  const [antibiotic, setAntibiotic] = useState({ given: false, agent: '', doseMg: '', route: '', timing: '' });
  const [la, setLa] = useState({ agent: '', concentrationPct: '', volumeMl: '', doseMg: '', mixed: false });
  const [noComplication, setNoComplication] = useState(true);
  const [items, setItems] = useState<string[]>([]);
  const [complicationNote, setComplicationNote] = useState('');
  const [discharge, setDischarge] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const available = specimen.prpVolumeMl;
  const total = rows.reduce((sum, r) => sum + (Number.isFinite(Number(r.volume)) && r.volume.trim() !== '' ? Number(r.volume) : 0), 0);
  const over = available !== null && total > available + 1e-9;
  const intradiscal = rows.some((r) => r.structure === 'intervertebral-disc');
  const bupivacaineMixed = la.mixed && /bupivacaine|marcain|sensorcaine/i.test(la.agent);
  // Target fields (targets[0].volumeMl …) are named per row for the error summary.
  const known: Record<string, FieldInfo> = { ...FIELDS };
  rows.forEach((_, i) => {
    for (const [k, label] of [['structure', 'Structure'], ['level', 'Level'], ['side', 'Side'], ['volumeMl', 'Volume'], ['description', 'Description']] as const) known[`targets[${i}].${k}`] = { label: `Target ${i + 1}: ${label}` };
    known[`targets[${i}]`] = { label: `Target ${i + 1}` };
  });

  const update = (i: number, patch: Partial<TargetRow>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const toggleItem = (item: string, on: boolean) => setItems((all) => (on ? [...all, item] : all.filter((x) => x !== item)));

  function body() {
    const needleType = needle.type === OTHER ? nullable(needle.otherType) : needle.type || null;
    const needleGiven = needle.gauge.trim() || needle.lengthMm.trim() || needleType;
    return {
      specimenId: specimen.id,
      ...(when && { performedAt: new Date(when).toISOString() }),
      ...(performer && performer !== me && { performedById: performer }),
      assistantId: assistant || null,
      ...(guidance && { imageGuidance: guidance }),
      targets: rows.map((r) => ({
        // Left out when empty: the server then names the missing field.
        ...(r.structure && { structure: r.structure }), ...(r.level && { level: r.level }), ...(r.side && { side: r.side }),
        ...(r.volume.trim() !== '' && { volumeMl: Number(r.volume) }),
      })),
      needle: needleGiven ? { gauge: numberOrNull(needle.gauge), lengthMm: numberOrNull(needle.lengthMm), type: needleType } : null,
      contrast: contrast.used ? { used: true, agent: nullable(contrast.agent), volumeMl: numberOrNull(contrast.volumeMl) } : { used: false },
      antibioticProphylaxis: antibiotic.given
        ? { given: true, agent: nullable(antibiotic.agent), doseMg: numberOrNull(antibiotic.doseMg), route: antibiotic.route || null, timing: nullable(antibiotic.timing) }
        : { given: false },
      localAnaesthetic: la.agent.trim()
        ? { agent: la.agent.trim(), concentrationPct: numberOrNull(la.concentrationPct), volumeMl: numberOrNull(la.volumeMl), doseMg: numberOrNull(la.doseMg), mixedWithPrp: la.mixed }
        : null,
      immediateComplications: noComplication ? { none: true } : { none: false, items, note: nullable(complicationNote) },
      dischargeInstructions: nullable(discharge), notes: nullable(notes),
    };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const procedure = await api.post<ProcedureView>(`/episodes/${episodeId}/procedures`, body());
      announce(`Injection recorded: ${procedure.totalVolumeMl} mL.`);
      onRecorded(procedure);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), known));
      setBusy(false);
    }
  }

  const num = { type: 'number', inputMode: 'decimal', step: 'any', min: 0 } as const;
  return (
    <form onSubmit={submit} noValidate className="form injection-form" aria-label="Record the injection">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The injection was not recorded" />

      <fieldset className="fieldset">
        <legend>Who and when</legend>
        <div className="form-grid injection-grid-3">
          <TextField id={fieldId('performedAt')} label="Date and time" hint={when ? undefined : 'Now, unless you change it.'} type="datetime-local" value={when ?? localNow()} onChange={(e) => setWhen(e.target.value)} error={errors.fields.performedAt} max={localNow()} />
          <SelectField id={fieldId('performedById')} label="Performing clinician" value={performer} onChange={(e) => setPerformer(e.target.value)} error={errors.fields.performedById}>
            {clinicians.length === 0 && <option value={me}>Me</option>}
            {clinicians.map((s) => <option key={s.id} value={s.id}>{s.displayName}{s.id === me ? ' (me)' : ''}</option>)}
          </SelectField>
          <SelectField id={fieldId('assistantId')} label="Assistant" optional value={assistant} onChange={(e) => setAssistant(e.target.value)} error={errors.fields.assistantId}>
            <option value="">None</option>
            {active.filter((s) => s.id !== performer).map((s) => <option key={s.id} value={s.id}>{s.displayName}</option>)}
          </SelectField>
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Targets</legend>
        <SelectField id={fieldId('imageGuidance')} className="injection-narrow" label="Image guidance" value={guidance} onChange={(e) => setGuidance(e.target.value)} error={errors.fields.imageGuidance}>
          <option value="">Choose…</option>
          {IMAGE_GUIDANCE.map((g) => <option key={g} value={g}>{GUIDANCE_LABELS[g] ?? g}</option>)}
        </SelectField>
        <div className="table-wrap">
          <table className="data-table target-table">
            <caption className="visually-hidden">Targets and volumes</caption>
            <thead><tr><th scope="col">Structure</th><th scope="col">Level</th><th scope="col">Side</th><th scope="col">Volume (mL)</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td data-label="Structure">
                    <select id={fieldId(`targets[${i}].structure`)} className="input" aria-label={`Target ${i + 1}: structure`} value={r.structure} onChange={(e) => update(i, { structure: e.target.value as InjectionStructure })} aria-invalid={errors.fields[`targets[${i}].structure`] ? true : undefined}>
                      <option value="">Choose…</option>
                      {INJECTION_STRUCTURES.map((s) => <option key={s} value={s}>{INJECTION_STRUCTURE_LABELS[s]}</option>)}
                    </select>
                  </td>
                  <td data-label="Level">
                    <select id={fieldId(`targets[${i}].level`)} className="input" aria-label={`Target ${i + 1}: level`} value={r.level} onChange={(e) => update(i, { level: e.target.value })} aria-invalid={errors.fields[`targets[${i}].level`] ? true : undefined}>
                      <option value="">—</option>
                      {SPINAL_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
                    </select>
                  </td>
                  <td data-label="Side">
                    <select id={fieldId(`targets[${i}].side`)} className="input" aria-label={`Target ${i + 1}: side`} value={r.side} onChange={(e) => update(i, { side: e.target.value })} aria-invalid={errors.fields[`targets[${i}].side`] ? true : undefined}>
                      <option value="">—</option>
                      {SIDES.map((s) => <option key={s} value={s}>{SIDE_LABELS[s] ?? s}</option>)}
                    </select>
                  </td>
                  <td data-label="Volume (mL)">
                    <input id={fieldId(`targets[${i}].volumeMl`)} className="input num-input" aria-label={`Target ${i + 1}: volume in mL`} {...num} max={50} value={r.volume} onChange={(e) => update(i, { volume: e.target.value })} aria-invalid={errors.fields[`targets[${i}].volumeMl`] ? true : undefined} />
                  </td>
                  <td>{rows.length > 1 && <button type="button" className="button button-small button-quiet" onClick={() => setRows((all) => all.filter((_, j) => j !== i))} aria-label={`Remove target ${i + 1}`}>Remove</button>}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>Total</th>
                <td colSpan={2} className={over ? 'error-text strong' : 'strong'} aria-live="polite">
                  {total.toFixed(1)} mL of {available === null ? '—' : `${available} mL`} available{over ? ' — more than was prepared' : ''}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
        <div><button type="button" className="button button-small" onClick={() => setRows((all) => [...all, emptyRow()])} disabled={rows.length >= 20}>Add target</button></div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Needle</legend>
        <div className="form-grid injection-grid-3">
          <TextField id={fieldId('needle.gauge')} label="Needle gauge (G)" optional type="number" inputMode="numeric" min={10} max={34} step={1} value={needle.gauge} onChange={(e) => setNeedle({ ...needle, gauge: e.target.value })} error={errors.fields['needle.gauge']} />
          <TextField id={fieldId('needle.lengthMm')} label="Needle length (mm)" optional {...num} max={300} value={needle.lengthMm} onChange={(e) => setNeedle({ ...needle, lengthMm: e.target.value })} error={errors.fields['needle.lengthMm']} />
          <SelectField id={fieldId('needle.type')} label="Needle type" optional value={needle.type} onChange={(e) => setNeedle({ ...needle, type: e.target.value })} error={needle.type === OTHER ? undefined : errors.fields['needle.type']}>
            <option value="">—</option>
            {NEEDLE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            <option value={OTHER}>Other…</option>
          </SelectField>
          {needle.type === OTHER && <TextField id={fieldId('needle.otherType')} label="Other needle type" value={needle.otherType} onChange={(e) => setNeedle({ ...needle, otherType: e.target.value })} error={errors.fields['needle.type']} maxLength={100} />}
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Contrast</legend>
        <label className="choice choice-inline"><input type="checkbox" checked={contrast.used} onChange={(e) => setContrast({ ...contrast, used: e.target.checked })} /> Contrast used</label>
        {contrast.used && (
          <div className="form-grid">
            <TextField id={fieldId('contrast.agent')} label="Contrast agent" hint="e.g. iohexol" optional value={contrast.agent} onChange={(e) => setContrast({ ...contrast, agent: e.target.value })} error={errors.fields['contrast.agent']} maxLength={100} />
            <TextField id={fieldId('contrast.volumeMl')} label="Contrast volume (mL)" optional {...num} max={100} value={contrast.volumeMl} onChange={(e) => setContrast({ ...contrast, volumeMl: e.target.value })} error={errors.fields['contrast.volumeMl']} />
          </div>
        )}
      </fieldset>

      <fieldset className="fieldset">
        <legend>Antibiotic prophylaxis</legend>
        <label className="choice choice-inline"><input type="checkbox" checked={antibiotic.given} onChange={(e) => setAntibiotic({ ...antibiotic, given: e.target.checked })} /> Antibiotic prophylaxis given</label>
        {/* The server records the same warning (science/injection.ts: intradiscal-without-prophylaxis). */}
        {intradiscal && !antibiotic.given && (
          <Notice kind="warning">An intradiscal target with no antibiotic prophylaxis recorded: discitis is the feared complication of an injection into the disc. Record the prophylaxis, or say in the notes why none was given.</Notice>
        )}
        {antibiotic.given && (
          <div className="form-grid">
            <TextField id={fieldId('antibioticProphylaxis.agent')} label="Antibiotic" hint="e.g. cefazolin" optional value={antibiotic.agent} onChange={(e) => setAntibiotic({ ...antibiotic, agent: e.target.value })} error={errors.fields['antibioticProphylaxis.agent']} maxLength={100} />
            <TextField id={fieldId('antibioticProphylaxis.doseMg')} label="Antibiotic dose (mg)" optional {...num} max={5000} value={antibiotic.doseMg} onChange={(e) => setAntibiotic({ ...antibiotic, doseMg: e.target.value })} error={errors.fields['antibioticProphylaxis.doseMg']} />
            <SelectField id={fieldId('antibioticProphylaxis.route')} label="Antibiotic route" optional value={antibiotic.route} onChange={(e) => setAntibiotic({ ...antibiotic, route: e.target.value })} error={errors.fields['antibioticProphylaxis.route']}>
              <option value="">—</option>
              {ANTIBIOTIC_ROUTES.map((r) => <option key={r} value={r}>{r}</option>)}
            </SelectField>
            <TextField id={fieldId('antibioticProphylaxis.timing')} label="Antibiotic timing" hint="e.g. 30 minutes before the first needle" optional value={antibiotic.timing} onChange={(e) => setAntibiotic({ ...antibiotic, timing: e.target.value })} error={errors.fields['antibioticProphylaxis.timing']} maxLength={100} />
          </div>
        )}
      </fieldset>

      <fieldset className="fieldset">
        <legend>Local anaesthetic</legend>
        <div className="form-grid">
          <TextField id={fieldId('localAnaesthetic.agent')} label="Local anaesthetic agent" hint="e.g. lidocaine; leave empty if none" optional value={la.agent} onChange={(e) => setLa({ ...la, agent: e.target.value })} error={errors.fields['localAnaesthetic.agent']} maxLength={100} />
          <TextField id={fieldId('localAnaesthetic.concentrationPct')} label="Local anaesthetic concentration (%)" optional {...num} max={10} value={la.concentrationPct} onChange={(e) => setLa({ ...la, concentrationPct: e.target.value })} error={errors.fields['localAnaesthetic.concentrationPct']} />
          <TextField id={fieldId('localAnaesthetic.volumeMl')} label="Local anaesthetic volume (mL)" optional {...num} max={100} value={la.volumeMl} onChange={(e) => setLa({ ...la, volumeMl: e.target.value })} error={errors.fields['localAnaesthetic.volumeMl']} />
          <TextField id={fieldId('localAnaesthetic.doseMg')} label="Local anaesthetic dose (mg)" optional {...num} max={1000} value={la.doseMg} onChange={(e) => setLa({ ...la, doseMg: e.target.value })} error={errors.fields['localAnaesthetic.doseMg']} />
        </div>
        <label className="choice choice-inline"><input type="checkbox" checked={la.mixed} onChange={(e) => setLa({ ...la, mixed: e.target.checked })} /> Mixed with the PRP</label>
        {bupivacaineMixed && <Notice kind="warning">Bupivacaine mixed into PRP reduced platelet viability in the laboratory (Dregalla 2021); lidocaine or ropivacaine, or giving it separately, is preferred.</Notice>}
      </fieldset>

      <fieldset className="fieldset">
        <legend>Immediate complications</legend>
        <label className="choice choice-inline"><input type="checkbox" checked={noComplication} onChange={(e) => setNoComplication(e.target.checked)} /> None</label>
        {!noComplication && (
          <>
            <div className="choice-list" role="group" aria-label="Complications">
              {COMPLICATION_ITEMS.map((item) => (
                <label key={item} className="choice"><input type="checkbox" checked={items.includes(item)} onChange={(e) => toggleItem(item, e.target.checked)} /> {item}</label>
              ))}
            </div>
            <TextAreaField id={fieldId('immediateComplications.note')} label="What happened" value={complicationNote} onChange={(e) => setComplicationNote(e.target.value)} error={errors.fields['immediateComplications.note']} rows={2} maxLength={2000} />
          </>
        )}
      </fieldset>

      <TextAreaField id={fieldId('dischargeInstructions')} label="Discharge instructions" value={discharge} onChange={(e) => setDischarge(e.target.value)} error={errors.fields.dischargeInstructions} optional rows={3} maxLength={5000} />
      <TextAreaField id={fieldId('notes')} label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={errors.fields.notes} optional rows={2} maxLength={5000} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || over}>{busy ? 'Recording…' : 'Record injection'}</button>
      </div>
    </form>
  );
}
