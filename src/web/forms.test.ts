import { describe, expect, it } from 'vitest';
import { formErrorsOf } from './forms.js';
import type { Problem } from './types.js';

const FIELDS = { birthDate: { label: 'Birth date' }, phone: { label: 'Phone', patternHint: 'Digits only.' }, mrn: { label: 'MRN' } };
const problem = (extra: Partial<Problem>): Problem => ({ type: 'urn:autolog:problem:invalid', title: 'Invalid', status: 400, detail: 'Something is wrong.', ...extra });

describe('formErrorsOf', () => {
  it('puts each validation error on its field, in words', () => {
    const errors = formErrorsOf(problem({
      field: 'birthDate',
      errors: [
        { field: 'birthDate', message: 'is required' },
        { field: 'phone', message: 'must match pattern "^[0-9+()\\-. ]*$"' },
        { field: 'mrn', message: 'must be at most 40 characters' },
      ],
    }), FIELDS);
    expect(errors.fields).toEqual({ birthDate: 'Birth date is required.', phone: 'Digits only.', mrn: 'MRN must be at most 40 characters.' });
    expect(errors.general).toBeUndefined();
  });

  it('puts a service error with a field on that field, using its detail', () => {
    const errors = formErrorsOf(problem({ field: 'birthDate', detail: 'The birth date is in the future.' }), FIELDS);
    expect(errors).toEqual({ fields: { birthDate: 'The birth date is in the future.' }, general: undefined });
  });

  it('shows what names no field of the form as a general message', () => {
    expect(formErrorsOf(problem({ status: 403, detail: 'Not allowed.' }), FIELDS)).toEqual({ fields: {}, general: 'Not allowed.' });
    expect(formErrorsOf(problem({ field: 'token', detail: 'The link has expired.' }), FIELDS).general).toBe('The link has expired.');
    const unknown = formErrorsOf(problem({ errors: [{ field: 'colour', message: 'is not a known field' }] }), FIELDS);
    expect(unknown.general).toBe('colour is not a known field');
  });
});
