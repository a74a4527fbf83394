import type { ReactNode } from 'react';
import type { Assessment } from '../../science/assessment.js';
import { INDICATIONS } from '../../science/indications.js';
import {
  CANCER_BONE_LABEL, CANCER_LABELS, CONDITION_LABELS, CONTOUR_LABELS, FACET_LABELS, MEDICATION_LABELS, MODIC_LABELS, PFIRRMANN_LABELS, SIDE_LABELS, STUDY_LABELS,
} from '../assessment-form-state.js';
import { formatDate } from '../format.js';

const none = <span className="muted">—</span>;
const indicationLabel = (code: string) => INDICATIONS.find((i) => i.code === code)?.label ?? code;
const fissureText = (v: boolean | null | undefined) => (v === true ? 'Yes' : v === false ? 'No' : '—');

function Row({ label, wide, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`details-row${wide ? ' details-wide' : ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * The latest assessment, read-only and compact: what the clinician recorded, in the order of the
 * form, so the decision is signed against something the signer can see.
 */
export function AssessmentSummary({ assessment: a }: { assessment: Assessment }) {
  const p = a.priorTreatments;
  const conditions = CONDITION_LABELS.filter(([k]) => a.conditions[k]).map(([, label]) => label);
  if (a.conditions.cancer !== 'none') conditions.push(`${CANCER_LABELS[a.conditions.cancer]}${a.conditions.cancerHaematologicalOrBone ? ` — ${CANCER_BONE_LABEL.toLowerCase()}` : ''}`);
  const labs = [
    a.labs.plateletsKPerUl != null ? `Platelets ${a.labs.plateletsKPerUl} × 10³/µL` : null,
    a.labs.haemoglobinGPerDl != null ? `Hb ${a.labs.haemoglobinGPerDl} g/dL` : null,
  ].filter(Boolean).join(', ');
  const discs = a.imaging?.discs ?? [];

  return (
    <div className="assessment-summary">
      <dl className="details">
        <Row label="Indications" wide>{a.indications.map(indicationLabel).join('; ')}</Row>
        <Row label="Levels">{a.levels.length > 0 ? a.levels.join(', ') : none}</Row>
        <Row label="Side">{a.side ? SIDE_LABELS[a.side] : none}</Row>
        <Row label="Pain duration">{a.painDurationMonths != null ? `${a.painDurationMonths} months` : none}</Row>
        <Row label="Labs">{labs || none}{a.labs.takenOn && <span className="muted"> ({formatDate(a.labs.takenOn)})</span>}</Row>
        <Row label="Imaging" wide>
          {a.imaging ? <>{STUDY_LABELS[a.imaging.study]}{a.imaging.performedOn && `, ${formatDate(a.imaging.performedOn)}`}{a.imaging.findingsText && <span className="notes">: {a.imaging.findingsText}</span>}</> : 'None recorded'}
        </Row>
      </dl>
      {discs.length > 0 && (
        <div className="table-wrap">
          <table className="data-table imaging-table">
            <caption className="visually-hidden">Imaging findings per level</caption>
            <thead><tr><th scope="col">Level</th><th scope="col">Pfirrmann</th><th scope="col">Modic</th><th scope="col">Annular fissure</th><th scope="col">Contour</th><th scope="col">Facets</th></tr></thead>
            <tbody>
              {discs.map((d) => (
                <tr key={d.level}>
                  <th scope="row" className="row-header">{d.level}</th>
                  <td>{d.pfirrmannGrade != null ? PFIRRMANN_LABELS[d.pfirrmannGrade] : '—'}</td>
                  <td>{d.modicType != null ? MODIC_LABELS[d.modicType] : '—'}</td>
                  <td>{fissureText(d.annularFissure)}</td>
                  <td>{d.contour ? CONTOUR_LABELS[d.contour] : '—'}</td>
                  <td>{d.facetArthropathy ? FACET_LABELS[d.facetArthropathy] : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <dl className="details">
        <Row label="Prior treatments" wide>
          <ul className="summary-list">
            <li>Physiotherapy: {p.physiotherapy.done ? `done${p.physiotherapy.weeks != null ? `, ${p.physiotherapy.weeks} weeks` : ''}` : 'not done'}</li>
            {p.steroidInjections.map((s, i) => (
              <li key={`s${i}`}>Steroid injection {formatDate(s.on)}: {s.site}{s.level ? `, ${s.level}` : ''}{s.side ? `, ${SIDE_LABELS[s.side].toLowerCase()}` : ''}</li>
            ))}
            {p.surgeries.map((s, i) => (
              <li key={`o${i}`}>Surgery{s.on ? ` ${formatDate(s.on)}` : ''}: {s.description}{s.levels && s.levels.length > 0 ? ` (${s.levels.join(', ')})` : ''}</li>
            ))}
            {p.other && <li className="notes">Other: {p.other}</li>}
          </ul>
        </Row>
        <Row label="Medications" wide>
          {a.medications.length > 0
            ? <ul className="summary-list">{a.medications.map((m, i) => <li key={i}>{MEDICATION_LABELS[m.class]}: {m.name} — {m.ongoing ? 'still taking it' : 'stopped'}{m.lastDoseOn ? `, last dose ${formatDate(m.lastDoseOn)}` : ''}</li>)}</ul>
            : 'None of the classes with a wash-out'}
        </Row>
        <Row label="Conditions" wide>{conditions.length > 0 ? conditions.join('; ') : 'None ticked'}</Row>
        {a.notes && <Row label="Notes" wide><span className="notes">{a.notes}</span></Row>}
      </dl>
    </div>
  );
}
