import type { ReactNode } from 'react';
import type { TrajectoryView } from '../../services/follow-up.js';
import type { Messages } from './messages.js';

/**
 * The patient's own scores over time as a small inline SVG line chart: no script, no library,
 * about 1 KB each. A shaded band marks the region at least one minimal important change better
 * than baseline (Ostelo 2008, or the clinic's rule), so "did it help?" can be read at a glance.
 * The chart is an image with a text alternative that lists every value.
 */

const WIDTH = 340;
const HEIGHT = 190;
const MARGIN = { left: 34, right: 14, top: 24, bottom: 34 };

/** Instruments shown to patients (PGIC is a single judgement, not a line over time). */
export const PATIENT_CHART_INSTRUMENTS = ['nrs-back', 'nrs-leg', 'odi', 'peg'];

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

export function ProgressChart({ trajectory: t, m, index }: { trajectory: TrajectoryView; m: Messages; index: number }): ReactNode {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (score: number) => MARGIN.top + plotH * (1 - (score - t.scoreMin) / (t.scoreMax - t.scoreMin));
  const n = t.points.length;
  const x = (i: number) => MARGIN.left + (n === 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const ticks = [t.scoreMin, (t.scoreMin + t.scoreMax) / 2, t.scoreMax];
  const points = t.points.map((p, i) => ({ ...p, cx: Math.round(x(i) * 10) / 10, cy: Math.round(y(p.score) * 10) / 10 }));
  const titleId = `chart${index}-title`;
  const descId = `chart${index}-desc`;
  const mic = t.importantChange?.points ?? null;
  const bandTop = mic !== null && t.baseline !== null && t.higherIsWorse && t.baseline - mic > t.scoreMin ? t.baseline - mic : null;
  const values = t.points.map((p) => `${p.label} ${formatScore(p.score)}`).join(', ');
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return (
    <figure className="chart">
      <h3 id={titleId}>{t.label}</h3>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} focusable="false">
        <desc id={descId}>{m.chartSummary(t.label, values)}</desc>
        {bandTop !== null && (
          <rect x={MARGIN.left} y={r1(y(bandTop))} width={plotW} height={r1(y(t.scoreMin) - y(bandTop))} fill="#e1f0e3" />
        )}
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={r1(y(tick))} y2={r1(y(tick))} stroke="#c8c8cd" strokeWidth="1" />
            <text x={MARGIN.left - 6} y={r1(y(tick) + 4)} textAnchor="end" fontSize="12" fill="#4b4b50">{formatScore(tick)}</text>
          </g>
        ))}
        {n > 1 && <polyline points={points.map((p) => `${p.cx},${p.cy}`).join(' ')} fill="none" stroke="#0b4f8a" strokeWidth="3" strokeLinejoin="round" />}
        {points.map((p) => (
          <g key={p.timePoint}>
            <circle cx={p.cx} cy={p.cy} r="5.5" fill="#0b4f8a" stroke="#fff" strokeWidth="2" />
            <text x={p.cx} y={p.cy - 10} textAnchor="middle" fontSize="13" fontWeight="700" fill="#1d1d1f">{formatScore(p.score)}</text>
            <text x={p.cx} y={HEIGHT - 10} textAnchor="middle" fontSize="12" fill="#4b4b50">{m.shortTimePoint(p.timePoint, p.label)}</text>
          </g>
        ))}
      </svg>
      {bandTop !== null && mic !== null && <figcaption className="small muted">{m.importantBand(mic)}</figcaption>}
    </figure>
  );
}
