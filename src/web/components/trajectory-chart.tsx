import { useId } from 'react';
import { chartGeometry, formatScore } from '../outcome-format.js';
import type { TrajectoryView } from '../outcome-types.js';

/**
 * One instrument's scores over the time points, drawn as plain SVG (no chart library): the line
 * of scores, the baseline, and the shaded band of change smaller than the important change. The
 * figure carries a text alternative and the scores are also listed as text under it.
 */
export function TrajectoryChart({ trajectory: t }: { trajectory: TrajectoryView }) {
  const g = chartGeometry(t);
  const id = useId().replace(/:/g, '');
  const baselineY = t.baseline !== null ? g.points[0]?.y : undefined;
  return (
    <figure className="trajectory">
      <figcaption className="trajectory-title">
        {t.label} <span className="muted small">({t.scoreMin}–{t.scoreMax}, {t.higherIsWorse ? 'lower is better' : 'higher is better'})</span>
      </figcaption>
      <svg viewBox={`0 0 ${g.width} ${g.height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="trajectory-svg">
        <title id={`${id}-t`}>{t.title}</title>
        <desc id={`${id}-d`}>{g.description}{g.band ? ` Shaded: within ${g.band.label} of baseline (smaller than an important change).` : ''}</desc>
        {g.band && <rect x={g.plot.left} width={g.plot.right - g.plot.left} y={g.band.y1} height={Math.max(0, g.band.y2 - g.band.y1)} className="trajectory-band" />}
        {g.ticks.map((tick) => (
          <g key={tick.value}>
            <line x1={g.plot.left} x2={g.plot.right} y1={tick.y} y2={tick.y} className="trajectory-grid" />
            <text x={g.plot.left - 6} y={tick.y + 3} textAnchor="end" className="trajectory-tick">{tick.value}</text>
          </g>
        ))}
        {baselineY !== undefined && <line x1={g.plot.left} x2={g.plot.right} y1={baselineY} y2={baselineY} className="trajectory-baseline" />}
        {g.points.length > 1 && <polyline points={g.points.map((p) => `${p.x},${p.y}`).join(' ')} className="trajectory-line" />}
        {g.points.map((p) => (
          <g key={p.label}>
            <circle cx={p.x} cy={p.y} r={3.5} className="trajectory-point" />
            <text x={p.x} y={p.y - 7} textAnchor="middle" className="trajectory-value">{formatScore(p.score)}</text>
            <text x={p.x} y={g.height - 8} textAnchor="middle" className="trajectory-tick">{p.label}</text>
          </g>
        ))}
      </svg>
      {g.band && t.importantChange && <p className="small muted">Shaded band: baseline ± {g.band.label} ({t.importantChange.source.split('.')[0]}).</p>}
    </figure>
  );
}
