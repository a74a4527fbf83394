import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { formatDate, patientName } from '../format.js';
import type { PatientSummary } from '../types.js';

interface Props {
  duplicates: PatientSummary[];
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * "Is this the same person?" — shown when the server finds a patient with the same name and
 * birth date. A modal <dialog>: focus stays inside, Escape closes it, and the safe choice
 * (go back) has focus first.
 */
export function DuplicateDialog({ duplicates, busy, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const many = duplicates.length > 1;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="duplicate-title" aria-describedby="duplicate-text" onClose={onClose}>
      <h2 id="duplicate-title" className="dialog-title">Possible duplicate</h2>
      <p id="duplicate-text">
        {many ? 'These patients have' : 'This patient has'} the same name and birth date. Registering the same person twice splits
        their record, so check first.
      </p>
      <ul className="duplicate-list">
        {duplicates.map((d) => (
          <li key={d.id}>
            <Link to={`/patients/${d.id}`} target="_blank" rel="noopener">
              {patientName(d)}
            </Link>
            <span className="muted"> · MRN <span className="mono">{d.mrn}</span> · born {formatDate(d.birthDate)}</span>
            <span className="visually-hidden"> (opens in a new tab)</span>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => ref.current?.close()} autoFocus>Go back and check</button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Saving…' : 'This is a different person — save anyway'}
        </button>
      </div>
    </dialog>
  );
}
