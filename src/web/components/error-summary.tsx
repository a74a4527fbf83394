import { useEffect, useRef, type ReactNode } from 'react';
import type { FormErrors } from '../forms.js';

interface Props {
  errors: FormErrors;
  /** Field name → the id of its control, so each listed error links to its field. */
  fieldId: (field: string) => string;
  title?: string;
}

/**
 * The box above a form after a refused submit: announced at once (role="alert") and focused,
 * listing each field's problem as a link that jumps to the field.
 */
export function ErrorSummary({ errors, fieldId, title = 'Please check the form' }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors.fields);
  const shown = entries.length > 0 || Boolean(errors.general);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [errors, shown]);
  if (!shown) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="error-summary-title">{title}</h2>
      {errors.general && <p>{errors.general}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, message]) => (
            <li key={field}>
              <a
                href={`#${fieldId(field)}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(fieldId(field))?.focus();
                }}
              >
                {message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A message box. Errors are alerts (read out at once); other kinds are only shown, and pages
 * call `announce()` for what a screen reader should hear.
 */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'error' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {children}
    </div>
  );
}
