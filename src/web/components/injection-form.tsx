import { useState, type FormEvent } from 'react';
import { SIDES, SPINAL_LEVELS } from '../../science/assessment.js';
import { IMAGE_GUIDANCE, INJECTION_STRUCTURES, INJECTION_STRUCTURE_LABELS, type InjectionStructure } from '../../science/injection.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { NO_ERRORS, formErrorsOf, optional, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import type { ProcedureView, SpecimenView } from '../pathway-types.js';
import { ErrorSummary } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

const GUIDANCE_LABELS: Record<string, string> = { fluoroscopy: 'Fluoroscopy', ultrasound: 'Ultrasound', ct: 'CT', none: 'None' };
const SIDE_LABELS: Record<string, string> = { left: 'Left', right: 'Right', bilateral: 'Bilateral', midline: 'Midline' };

interface TargetRow { structure: InjectionStructure | ''; level: string; side: string; volume: string }
const emptyRow = (): TargetRow => ({ structure: '', level: '', side: '', volume: '' });

const FIELDS: Record<string, FieldInfo> = { 'localAnaesthetic.agent': { label: 'Local anaesthetic agent' }, 'localAnaesthetic.volumeMl': { label: 'Local anaesthetic volume' }, imageGuidance: { label: 'Image guidance' }, targets: { label: 'Targets' }, dischargeInstructions: { label: 'Discharge instructions' }, notes: { label: 'Notes' } };
const fieldId = (field: string) => `injection-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;

/** The injection record: where the PRP went and how much, with a running total against what was prepared. */
export function InjectionForm({ episodeId, specimen, onRecorded }: { episodeId: string; specimen: SpecimenView; onRecorded: (p: ProcedureView) => void }) {
  const [rows, setRows] = useState<TargetRow[]>([emptyRow()]);
  const [guidance, setGuidance] = useState('');
  const [discharge, setDischarge] = useState('');
  const [notes, setNotes] = useState('');
  const [laAgent, setLaAgent] = useState('');
  const [laVolume, setLaVolume] = useState('');
  const [laMixed, setLaMixed] = useState(false);
  const [noComplication, setNoComplication] = useState(true);
  const [complicationNote, setComplicationNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const available = specimen.prpVolumeMl;
  const total = rows.reduce((sum, r) => sum + (Number.isFinite(Number(r.volume)) && r.volume.trim() !== '' ? Number(r.volume) : 0), 0);
  const over = available !== null && total > available + 1e-9;
  // Target fields (targets[0].volumeMl …) are named per row for the error summary.
  const known: Record<string, FieldInfo> = { ...FIELDS };
  rows.forEach((_, i) => {
    for (const [k, label] of [['structure', 'Structure'], ['level', 'Level'], ['side', 'Side'], ['volumeMl', 'Volume']] as const) known[`targets[${i}].${k}`] = { label: `Target ${i + 1}: ${label}` };
  });

  const update = (i: number, patch: Partial<TargetRow>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const procedure = await api.post<ProcedureView>(`/episodes/${episodeId}/procedures`, {
        specimenId: specimen.id,
        ...(guidance && { imageGuidance: guidance }),
        targets: rows.map((r) => ({
          // Left out when empty: the API's nullable level/side enums do not list null (see the report).
          ...(r.structure && { structure: r.structure }), ...(r.level && { level: r.level }), ...(r.side && { side: r.side }),
          ...(r.volume.trim() !== '' && { volumeMl: Number(r.volume) }),
        })),
        localAnaesthetic: laAgent.trim() ? { agent: laAgent.trim(), volumeMl: laVolume.trim() === '' ? null : Number(laVolume), mixedWithPrp: laMixed } : null,
        immediateComplications: { none: noComplication, note: noComplication ? null : optional(complicationNote) ?? null },
        dischargeInstructions: optional(discharge) ?? null, notes: optional(notes) ?? null,
      });
      announce(`Injection recorded: ${procedure.totalVolumeMl} mL.`);
      onRecorded(procedure);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), known));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Record the injection">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The injection was not recorded" />
      <SelectField id={fieldId('imageGuidance')} label="Image guidance" value={guidance} onChange={(e) => setGuidance(e.target.value)} error={errors.fields.imageGuidance}>
        <option value="">Choose…</option>
        {IMAGE_GUIDANCE.map((g) => <option key={g} value={g}>{GUIDANCE_LABELS[g] ?? g}</option>)}
      </SelectField>
      <div className="table-wrap">
        <table className="data-table target-table">
          <caption className="table-heading">Targets</caption>
          <thead><tr><th scope="col">Structure</th><th scope="col">Level</th><th scope="col">Side</th><th scope="col">Volume (mL)</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <select id={fieldId(`targets[${i}].structure`)} className="input" aria-label={`Target ${i + 1}: structure`} value={r.structure} onChange={(e) => update(i, { structure: e.target.value as InjectionStructure })} aria-invalid={errors.fields[`targets[${i}].structure`] ? true : undefined}>
                    <option value="">Choose…</option>
                    {INJECTION_STRUCTURES.map((s) => <option key={s} value={s}>{INJECTION_STRUCTURE_LABELS[s]}</option>)}
                  </select>
                </td>
                <td>
                  <select id={fieldId(`targets[${i}].level`)} className="input" aria-label={`Target ${i + 1}: level`} value={r.level} onChange={(e) => update(i, { level: e.target.value })} aria-invalid={errors.fields[`targets[${i}].level`] ? true : undefined}>
                    <option value="">—</option>
                    {SPINAL_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
                  </select>
                </td>
                <td>
                  <select id={fieldId(`targets[${i}].side`)} className="input" aria-label={`Target ${i + 1}: side`} value={r.side} onChange={(e) => update(i, { side: e.target.value })} aria-invalid={errors.fields[`targets[${i}].side`] ? true : undefined}>
                    <option value="">—</option>
                    {SIDES.map((s) => <option key={s} value={s}>{SIDE_LABELS[s] ?? s}</option>)}
                  </select>
                </td>
                <td>
                  <input id={fieldId(`targets[${i}].volumeMl`)} className="input num-input" aria-label={`Target ${i + 1}: volume in mL`} type="number" inputMode="decimal" min={0} max={50} step="any" value={r.volume} onChange={(e) => update(i, { volume: e.target.value })} aria-invalid={errors.fields[`targets[${i}].volumeMl`] ? true : undefined} />
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
      <fieldset className="fieldset">
        <legend>Local anaesthetic</legend>
        <div className="form-grid">
          <TextField id={fieldId('localAnaesthetic.agent')} label="Local anaesthetic agent" hint="e.g. lidocaine 1 %" value={laAgent} onChange={(e) => setLaAgent(e.target.value)} error={errors.fields['localAnaesthetic.agent']} optional maxLength={100} />
          <TextField id={fieldId('localAnaesthetic.volumeMl')} label="Local anaesthetic volume (mL)" type="number" min={0} step="any" value={laVolume} onChange={(e) => setLaVolume(e.target.value)} error={errors.fields['localAnaesthetic.volumeMl']} optional />
          <label className="choice"><input type="checkbox" checked={laMixed} onChange={(e) => setLaMixed(e.target.checked)} /> Mixed with the PRP</label>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Immediate complications</legend>
        <label className="choice"><input type="checkbox" checked={noComplication} onChange={(e) => setNoComplication(e.target.checked)} /> None</label>
        {!noComplication && <TextAreaField id={fieldId('immediateComplications.note')} label="What happened" value={complicationNote} onChange={(e) => setComplicationNote(e.target.value)} rows={2} maxLength={2000} />}
      </fieldset>
      <TextAreaField id={fieldId('dischargeInstructions')} label="Discharge instructions" value={discharge} onChange={(e) => setDischarge(e.target.value)} error={errors.fields.dischargeInstructions} optional rows={2} maxLength={5000} />
      <TextAreaField id={fieldId('notes')} label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={errors.fields.notes} optional rows={2} maxLength={5000} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || over}>{busy ? 'Recording…' : 'Record injection'}</button>
      </div>
    </form>
  );
}
