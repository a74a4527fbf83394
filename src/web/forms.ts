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

/** Where one entry of a problem goes: the form's key of a field it has, or undefined for none. */
interface Placed {
  key: string | undefined;
  text: string;
}

/**
 * The mechanism every form uses to spread a problem document over its fields: each `errors[]`
 * entry of the schema validator (`validator` true), or else the service's single `field` with its
 * `detail`, is placed by `place`; what lands on no field is joined into the general message, which
 * is the problem's `detail` when nothing was placed at all.
 */
export function spreadProblem(problem: Problem, place: (field: string, message: string, validator: boolean) => Placed): FormErrors {
  const listed = problem.errors ?? [];
  const validator = listed.length > 0;
  const entries = validator ? listed : problem.field ? [{ field: problem.field, message: problem.detail }] : [];
  const fields: Record<string, string> = {};
  const stray: string[] = [];
  for (const { field, message } of entries) {
    const { key, text } = place(field, message, validator);
    if (key === undefined) stray.push(text);
    else fields[key] ??= text;
  }
  const general = stray.length > 0 ? stray.join(' ') : Object.keys(fields).length > 0 ? undefined : problem.detail;
  return { fields, general };
}

/**
 * Spreads a problem document over a form's fields: validation errors (`errors[]`) go to their
 * fields, a service error with `field` puts its `detail` on that field, and anything that names
 * no field of this form is shown as a general message.
 */
export function formErrorsOf(problem: Problem, known: Record<string, FieldInfo>): FormErrors {
  return spreadProblem(problem, (field, message, validator) => {
    const info = known[field];
    if (!info) return { key: undefined, text: validator ? `${field} ${message}` : message };
    return { key: field, text: validator ? sentenceFor(info, message) : message };
  });
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

/**
 * A number box's value, or null when it is empty (a number input gives '' for anything it cannot
 * read); other text becomes NaN, which the server refuses at its field.
 */
export function numberOrNull(value: string): number | null {
  const v = value.trim();
  return v === '' ? null : Number(v);
}
