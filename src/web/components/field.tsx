import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: ReactNode;
  /** Shown under the label; read out with the field. */
  hint?: ReactNode;
  /** The field's error text, from the server's problem document. */
  error?: string | undefined;
  /** Adds "(optional)" to the label; required fields say nothing extra. */
  optional?: boolean;
  className?: string;
}

/**
 * Label, hint, control and error in one accessible unit: the error is tied to the control with
 * aria-describedby and aria-invalid, so a screen reader reads it when the field takes focus.
 */
function useFieldIds(id: string | undefined, hint: unknown, error: unknown) {
  const auto = useId();
  const controlId = id ?? `f${auto.replace(/:/g, '')}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return { controlId, hintId, errorId, describedBy };
}

function Frame({ frame, ids, children }: { frame: FieldFrame; ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  return (
    <div className={`field${frame.error ? ' field-invalid' : ''}${frame.className ? ` ${frame.className}` : ''}`}>
      <label htmlFor={ids.controlId}>
        {frame.label}
        {frame.optional && <span className="optional"> (optional)</span>}
      </label>
      {children}
      {frame.error && (
        <p className="field-error" id={ids.errorId}>
          <span className="visually-hidden">Error: </span>{frame.error}
        </p>
      )}
      {/* Hints sit under the control so the controls of a row line up whether or not they have one. */}
      {frame.hint && <p className="hint" id={ids.hintId}>{frame.hint}</p>}
    </div>
  );
}

type InputProps = FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'> & { inputClassName?: string };

export function TextField({ label, hint, error, optional, className, inputClassName, id, ...input }: InputProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Frame frame={{ label, hint, error, optional, className }} ids={ids}>
      <input
        id={ids.controlId}
        className={`input${inputClassName ? ` ${inputClassName}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
    </Frame>
  );
}

type SelectProps = FieldFrame & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className'> & { children: ReactNode };

export function SelectField({ label, hint, error, optional, className, id, children, ...select }: SelectProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Frame frame={{ label, hint, error, optional, className }} ids={ids}>
      <select id={ids.controlId} className="input" aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
    </Frame>
  );
}

type TextAreaProps = FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className'>;

export function TextAreaField({ label, hint, error, optional, className, id, ...area }: TextAreaProps) {
  const ids = useFieldIds(id, hint, error);
  return (
    <Frame frame={{ label, hint, error, optional, className }} ids={ids}>
      <textarea id={ids.controlId} className="input" aria-invalid={error ? true : undefined} aria-describedby={ids.describedBy} {...area} />
    </Frame>
  );
}
