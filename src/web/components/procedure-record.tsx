import type { ReactNode } from 'react';
import { INJECTION_STRUCTURE_LABELS, type InjectionStructure } from '../../science/injection.js';
import { formatInstant } from '../format.js';
import { GUIDANCE_LABELS, SIDE_LABELS, needleText } from '../injection-labels.js';
import type { ProcedureView } from '../pathway-types.js';
import { Badge } from './status.js';

const none = <span className="muted">—</span>;
const amount = (value: number | null | undefined, unit: string) => (value === null || value === undefined ? null : `${value} ${unit}`);
const joined = (parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(', ') || null;

/** The injection as a readable record: every field of what was done, for the episode page and for print. */
export function ProcedureRecord({ procedure: p }: { procedure: ProcedureView }) {
  const la = p.localAnaesthetic;
  const ab = p.antibioticProphylaxis;
  const c = p.contrast;
  const comp = p.immediateComplications;
  const rows: [string, ReactNode][] = [
    ['Date and time', formatInstant(p.performedAt)],
    ['Performing clinician', p.performedBy?.displayName ?? none],
    ['Assistant', p.assistant?.displayName ?? none],
    ['Image guidance', GUIDANCE_LABELS[p.imageGuidance] ?? p.imageGuidance],
    ['Needle', needleText(p.needle) ?? none],
    ['Contrast', c?.used ? joined(['Used', c.agent, amount(c.volumeMl, 'mL')]) : c ? 'None' : none],
    ['Antibiotic prophylaxis', ab?.given ? joined(['Given', ab.agent, amount(ab.doseMg, 'mg'), ab.route, ab.timing]) : ab ? 'None' : none],
    ['Local anaesthetic', la ? joined([la.agent, amount(la.concentrationPct, '%'), amount(la.volumeMl, 'mL'), amount(la.doseMg, 'mg'), la.mixedWithPrp ? 'mixed with the PRP' : 'given separately']) : 'None'],
  ];
  return (
    <article className="procedure-record" aria-labelledby={`procedure-${p.id}`}>
      <h3 id={`procedure-${p.id}`} className="procedure-record-title">
        Injected {formatInstant(p.performedAt)} <Badge tone="success">{p.totalVolumeMl} mL of {p.prpAvailableMl} mL</Badge>
      </h3>
      <div className="table-wrap">
        <table className="data-table procedure-targets">
          <caption className="visually-hidden">Targets</caption>
          <thead><tr><th scope="col">Target</th><th scope="col">Level</th><th scope="col">Side</th><th scope="col" className="num">Volume</th></tr></thead>
          <tbody>
            {p.targets.map((t, i) => (
              <tr key={i}>
                <td className="row-header">{INJECTION_STRUCTURE_LABELS[t.structure as InjectionStructure] ?? t.structure}{t.description ? ` (${t.description})` : ''}</td>
                <td data-label="Level">{t.level ?? '—'}</td>
                <td data-label="Side">{t.side ? SIDE_LABELS[t.side] ?? t.side : '—'}</td>
                <td data-label="Volume" className="num">{t.volumeMl} mL</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="details details-compact procedure-details">
        {rows.map(([label, value]) => (
          <div key={label} className="details-row"><dt>{label}</dt><dd>{value}</dd></div>
        ))}
        <div className="details-row details-wide">
          <dt>Immediate complications</dt>
          <dd>{comp.none ? 'None' : joined([...(comp.items ?? []), comp.note]) ?? 'Yes (not described)'}</dd>
        </div>
        <div className="details-row details-wide"><dt>Discharge instructions</dt><dd className="notes">{p.dischargeInstructions ?? none}</dd></div>
        {p.notes && <div className="details-row details-wide"><dt>Notes</dt><dd className="notes">{p.notes}</dd></div>}
      </dl>
      {p.warnings.length > 0 && (
        <div className="notice notice-warning procedure-warnings">
          <p><strong>Warnings recorded with the injection</strong></p>
          <ul>{p.warnings.map((w) => <li key={w.code}>{w.message}</li>)}</ul>
        </div>
      )}
      <p className="meta-line">Recorded {formatInstant(p.createdAt)}{p.createdBy ? ` by ${p.createdBy.displayName}` : ''} · immutable</p>
    </article>
  );
}
