import { ApiError } from './api.js';
import type { Problem } from './types.js';

/** Error text per form field (by API field name), plus what belongs to no field. */
export interface FormErrors {
  fields: Record<string, string>;
  /** Shown above the form when no field carries it (or the field is not on this form). */
  general: string | undefined;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: undefined };

export interface FieldInfo {
  label: string;
  /** Plain words for a `pattern` failure, whose server message quotes a regular expression. */
  patternHint?: string;
}

/**
 * Spreads a problem document over a form's fields: validation errors (`errors[]`) go to their
 * fields, a service error with `field` puts its `detail` on that field, and anything that names
 * no field of this form is shown as a general message.
 */
export function formErrorsOf(problem: Problem, known: Record<string, FieldInfo>): FormErrors {
  const fields: Record<string, string> = {};
  const stray: string[] = [];
  if (problem.errors && problem.errors.length > 0) {
    for (const e of problem.errors) {
      const info = known[e.field];
      if (!info) {
        stray.push(`${e.field} ${e.message}`);
        continue;
      }
      fields[e.field] ??= sentenceFor(info, e.message);
    }
  } else if (problem.field && known[problem.field]) {
    fields[problem.field] = problem.detail;
  } else {
    stray.push(problem.detail);
  }
  const general = stray.length > 0 ? stray.join(' ') : Object.keys(fields).length > 0 ? undefined : problem.detail;
  return { fields, general };
}

/** `is required` → `Enter the family name.`; other validator messages get the label in front. */
function sentenceFor(info: FieldInfo, message: string): string {
  if (message === 'is required' || message === 'must not be empty') return `${info.label} is required.`;
  if (message.startsWith('must match pattern')) return info.patternHint ?? `${info.label} is not in the expected format.`;
  return `${info.label} ${message}.`;
}

/** The problem inside an error thrown by the API client, or a generic one for anything else. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { type: 'urn:autolog:problem:client', title: 'Unexpected error', status: 0, detail: error instanceof Error ? error.message : String(error) };
}

/** Trimmed text, or undefined when empty: optional fields are left out of a new record. */
export function optional(value: string): string | undefined {
  const v = value.trim();
  return v === '' ? undefined : v;
}

/** Trimmed text, or null when empty: an emptied field clears the stored value on update. */
export function nullable(value: string): string | null {
  const v = value.trim();
  return v === '' ? null : v;
}
