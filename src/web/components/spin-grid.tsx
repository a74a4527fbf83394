import { Fragment } from 'react';
import type { SpinRow } from '../preparation-form.js';
import { spinRpm } from '../protocol-form.js';

/**
 * The spins of a preparation or a protocol as a grid: force, minutes and temperature typed per
 * spin, the rpm that force needs on the rotor (once the force and the radius are numbers), and a
 * button to remove the spin. Each input's id is `fieldId('spins[i].part')`, so the error summary
 * and the science's messages can focus it.
 */
export function SpinGrid({ spins, radiusCm, rpmTitle, minRows = 0, fieldId, errorAt, onChange, onRemove }: {
  spins: SpinRow[];
  /** The rotor's radius as text ('' when not known). */
  radiusCm: string;
  /** A tooltip on the rpm heading. */
  rpmTitle?: string | undefined;
  /** The remove buttons are disabled at this many spins. */
  minRows?: number;
  fieldId: (path: string) => string;
  errorAt: (path: string) => string | undefined;
  onChange: (index: number, part: keyof SpinRow, value: string) => void;
  onRemove: (index: number) => void;
}) {
  const radius = radiusCm.trim();
  return (
    <div className="spin-grid" role="presentation">
      <span className="spin-head">#</span>
      <span className="spin-head">Force (× g)</span>
      <span className="spin-head">Minutes</span>
      <span className="spin-head">°C</span>
      <span className="spin-head" title={rpmTitle}>rpm{radius ? ` (${radius} cm)` : ''}</span>
      <span className="spin-head"><span className="visually-hidden">Remove</span></span>
      {spins.map((row, i) => {
        const rpm = spinRpm(row.rcf, radius);
        const cell = (part: keyof SpinRow, label: string) => {
          const path = `spins[${i}].${part}`;
          const id = fieldId(path);
          const error = errorAt(path);
          return (
            <span className={`spin-cell${error ? ' field-invalid' : ''}`}>
              <input
                id={id} className="input num-input" inputMode="decimal" autoComplete="off" value={row[part]}
                aria-label={`Spin ${i + 1} ${label}`} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
                onChange={(e) => onChange(i, part, e.target.value)}
              />
              {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
            </span>
          );
        };
        return (
          <Fragment key={i}>
            <span className="spin-index">{i + 1}</span>
            {cell('rcf', 'force (× g)')}
            {cell('minutes', 'minutes')}
            {cell('temperatureC', 'temperature (°C)')}
            <span className="spin-rpm" aria-label={`Spin ${i + 1} rpm`}>{rpm !== undefined ? rpm.toLocaleString() : '—'}</span>
            <button
              type="button" className="button button-small button-quiet" aria-label={`Remove spin ${i + 1}`} disabled={spins.length <= minRows}
              onClick={() => onRemove(i)}
            >Remove</button>
          </Fragment>
        );
      })}
    </div>
  );
}
