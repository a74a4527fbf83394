import type { ReactNode } from 'react';
import type { PreparationEvaluation } from '../../science/preparation-record.js';
import { formatInstant } from '../format.js';
import { formatFixed, humanise, labelOf, suggestedCount } from '../preparation-form.js';
import type { PreparationView } from '../types.js';
import { Badge } from './status.js';

interface Props {
  evaluation: PreparationEvaluation;
  /** Fields that cannot be right: while there are any, the science computes nothing. */
  errorCount: number;
  /** The science version bundled with this page (the browser's), shown beside the live results. */
  scienceVersion: string;
  /** The stored record, when there is one: its saved results and their version. */
  stored: PreparationView | undefined;
  dirty: boolean;
  /** Current text of a field, for offering the converted value of a count in another unit. */
  valueOf: (path: string) => string;
  onFocus: (path: string) => void;
  onUseValue: (path: string, value: number) => void;
  onRecompute?: () => void;
  recomputing: boolean;
  children?: ReactNode;
}

const SYSTEMS = [
  { key: 'paw', name: 'PAW', source: 'DeLong 2012' },
  { key: 'plra', name: 'PLRA', source: 'Mautner 2015' },
  { key: 'depa', name: 'DEPA', source: 'Magalon 2016' },
  { key: 'marspill', name: 'MARSPILL', source: 'Lana 2017' },
  { key: 'mishra', name: 'Mishra', source: 'Mishra 2012' },
  { key: 'dohanEhrenfest', name: 'Dohan Ehrenfest', source: 'Dohan Ehrenfest 2009' },
] as const;

/**
 * The right-hand column of the lab screen: what the science library makes of the form as it
 * stands — warnings, metrics, all six classifications with what each still needs, and MIBO
 * reporting completeness — plus the stored results and their version when the record is saved.
 */
export function LiveResults({ evaluation, errorCount, scienceVersion, stored, dirty, valueOf, onFocus, onUseValue, onRecompute, recomputing, children }: Props) {
  const { metrics, classifications, completeness, warnings, missingForMetrics } = evaluation;
  const fieldButton = (path: string, text = labelOf(path)) => (
    <button type="button" className="link-button" onClick={() => onFocus(path)}>{text}</button>
  );
  const needs = (paths: string[]) => (
    <>{paths.map((p, i) => <span key={p}>{i > 0 && ', '}{fieldButton(p, lower(labelOf(p)))}</span>)}</>
  );
  const blocked = errorCount > 0
    ? <>Correct the {errorCount === 1 ? 'field' : `${errorCount} fields`} marked in red to see results.</>
    : missingForMetrics.length > 0 ? <>Needs {needs(missingForMetrics)}.</> : null;
  const applicable = completeness.present.length + completeness.missing.length;
  const missingItems = completeness.items.filter((item) => item.status === 'missing');
  const outdated = stored && !stored.computed.upToDate;

  return (
    <aside className="lab-results" aria-labelledby="live-title">
      <div className="results-head">
        <h2 id="live-title" className="panel-title">Live results</h2>
        <span className="panel-note">autolog/science {scienceVersion}{stored && (dirty ? ' · unsaved changes' : ' · as saved')}</span>
      </div>

      {outdated && (
        <div className="notice notice-warning banner stored-results" role="status">
          <p>
            <strong>Saved results are from science {stored.computed.scienceVersion}</strong> (computed {formatInstant(stored.computed.computedAt)}); this server runs {stored.computed.currentScienceVersion}.
            They stay as they were until someone recomputes them.
          </p>
          <p className="small">
            Saved: CF {formatFixed(stored.computed.metrics?.concentrationFactor, 2)}× · PAW <span className="mono">{stored.computed.classifications?.paw?.code ?? '—'}</span> · MIBO {Math.round(stored.computed.completeness.percent)} %
          </p>
          {onRecompute && (
            <button type="button" className="button button-small" onClick={onRecompute} disabled={recomputing}>
              {recomputing ? 'Recomputing…' : `Recompute with ${stored.computed.currentScienceVersion}`}
            </button>
          )}
        </div>
      )}

      {warnings.length > 0 && (
        <ul className="warning-list" aria-label="Warnings">
          {warnings.map((w) => {
            const suggestion = w.code === 'suspected-wrong-unit' ? suggestedCount(w.field, valueOf(w.field)) : undefined;
            return (
              <li key={`${w.code}|${w.field}`} className="notice notice-warning banner">
                <span>{humanise(w.message)}</span>{' '}
                <span className="warning-actions">
                  {labelOf(w.field) !== w.field && fieldButton(w.field, 'Show field')}
                  {suggestion !== undefined && <button type="button" className="link-button" onClick={() => onUseValue(w.field, suggestion)}>Use {suggestion}</button>}
                </span>
              </li>
            );
          })}
        </ul>
      )}

      <section className="results-section" aria-labelledby="metrics-title">
        <h3 id="metrics-title" className="results-title">Metrics</h3>
        {blocked && !metrics && <p className="muted small">{blocked}</p>}
        <dl className="metric-list">
          <Metric label="Concentration factor" value={metrics ? `${formatFixed(metrics.concentrationFactor, 2)}×` : undefined} />
          <Metric label="Platelet dose" value={metrics ? `${formatFixed(metrics.plateletDoseBillion, 2)} × 10⁹` : undefined} />
          <Metric label="Recovery" value={metrics ? `${formatFixed(metrics.recoveryPercent, 1)} %` : undefined} />
          <Metric
            label="Leukocyte factor"
            value={metrics?.leukocyteFactor !== undefined ? `${formatFixed(metrics.leukocyteFactor, 2)}×` : undefined}
            needs={metrics && metrics.leukocyteFactor === undefined ? <>needs {needs(['wholeBlood.wbcKPerUl', 'prp.wbcKPerUl'])}</> : undefined}
          />
          <Metric
            label="Purity"
            value={metrics?.purityPercent !== undefined ? `${formatFixed(metrics.purityPercent, 1)} %` : undefined}
            needs={metrics && metrics.purityPercent === undefined ? <>needs {needs(['prp.wbcKPerUl', 'prp.rbcMPerUl'])}</> : undefined}
          />
        </dl>
        {evaluation.productAgeHours !== null && (
          <p className="small muted">Product age {formatFixed(evaluation.productAgeHours, 1)} h (limit {evaluation.productAgeLimitHours} h from draw).</p>
        )}
      </section>

      <section className="results-section" aria-labelledby="classes-title">
        <h3 id="classes-title" className="results-title">Classifications</h3>
        <table className="class-table">
          <caption className="visually-hidden">Classifications of this preparation</caption>
          <tbody>
            {SYSTEMS.map((s) => {
              const c = classifications?.[s.key];
              const code = c ? ('code' in c ? c.code : c.family) : null;
              const missing = c?.missing ?? [];
              return (
                <tr key={s.key}>
                  <th scope="row">{s.name}<span className="class-source">{s.source}</span></th>
                  <td>
                    <span className={`class-code${code ? '' : ' muted'}`} data-system={s.key}>{code ? breakable(code) : '—'}</span>
                    {c && missing.length > 0 && (
                      <div className="class-missing">{code ? 'could add' : 'needs'} {needs(missing)}</div>
                    )}
                    {c && 'notes' in c && c.notes.length > 0 && <div className="class-missing">{c.notes.map(humanise).join(' ')}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="results-section" aria-labelledby="mibo-title">
        <h3 id="mibo-title" className="results-title">
          Reporting completeness (MIBO)
          <span className="mibo-percent">{Math.round(completeness.percent)} %</span>
        </h3>
        <div className="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(completeness.percent)} aria-label="MIBO completeness">
          <span style={{ width: `${completeness.percent}%` }} />
        </div>
        <p className="small muted">{completeness.present.length} of {applicable} items recorded{completeness.notApplicable.length > 0 && `, ${completeness.notApplicable.length} not applicable`}.</p>
        {missingItems.length > 0 && (
          <ul className="mibo-missing" aria-label="Missing reporting items">
            {missingItems.map((item) => (
              <li key={item.id}>{fieldButton(item.fields[0] ?? item.id, item.label)}</li>
            ))}
          </ul>
        )}
        {missingItems.length === 0 && <p className="small"><Badge tone="success">Complete</Badge> Every applicable item is recorded.</p>}
      </section>

      {stored && !outdated && (
        <p className="meta-line">Saved results computed {formatInstant(stored.computed.computedAt)} with science {stored.computed.scienceVersion}.</p>
      )}
      {children}
    </aside>
  );
}

function Metric({ label, value, needs }: { label: string; value: string | undefined; needs?: ReactNode }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd>{value ?? <span className="muted">—</span>}{needs && <span className="metric-needs">{needs}</span>}</dd>
    </div>
  );
}

/** A long code may wrap after its separators (MARSPILL's slashes), never inside a part. */
function breakable(code: string): ReactNode {
  const parts = code.split('/');
  return parts.map((part, i) => <span key={i}><span className="nowrap">{part}{i < parts.length - 1 && '/'}</span>{i < parts.length - 1 && <wbr />}</span>);
}

/** "Baseline platelets" → "baseline platelets"; "PRP volume" stays. */
function lower(label: string): string {
  return /^.[A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
