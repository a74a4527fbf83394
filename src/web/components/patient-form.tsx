import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { ApiError, api } from '../api.js';
import { NO_ERRORS, formErrorsOf, nullable, optional, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { todayIso } from '../format.js';
import type { PatientSummary, PatientView } from '../types.js';
import { DuplicateDialog } from './duplicate-dialog.js';
import { ErrorSummary } from './error-summary.js';
import { SelectField, TextAreaField, TextField } from './field.js';

export const PATIENT_FIELDS: Record<string, FieldInfo> = {
  mrn: { label: 'MRN', patternHint: 'The MRN cannot start or end with a space.' },
  givenName: { label: 'Given name' },
  familyName: { label: 'Family name' },
  birthDate: { label: 'Birth date' },
  sex: { label: 'Sex' },
  email: { label: 'Email' },
  phone: { label: 'Phone', patternHint: 'A phone number can hold digits, spaces and + ( ) - . only.' },
  preferredLanguage: { label: 'Preferred language', patternHint: 'Use a language tag such as en, fr or pt-BR.' },
  notes: { label: 'Notes' },
};
const fieldId = (field: string) => `patient-${field}`;

type Values = Record<'mrn' | 'givenName' | 'familyName' | 'birthDate' | 'sex' | 'email' | 'phone' | 'preferredLanguage' | 'notes', string>;

function valuesOf(p: PatientView | undefined): Values {
  return {
    mrn: p?.mrn ?? '', givenName: p?.givenName ?? '', familyName: p?.familyName ?? '', birthDate: p?.birthDate ?? '', sex: p?.sex ?? '',
    email: p?.email ?? '', phone: p?.phone ?? '', preferredLanguage: p?.preferredLanguage ?? '', notes: p?.notes ?? '',
  };
}

interface Props {
  /** The patient being edited; absent for a new registration. */
  patient?: PatientView;
  /** Starting values for a new registration (e.g. from a consultation request); every field stays editable. */
  initial?: Partial<Values>;
  onSaved: (patient: PatientView) => void;
  onCancel: () => void;
}

/**
 * Registers or edits a patient. When the server answers 409 likely-duplicate, the matches are
 * shown and the same request is sent again with confirmNotDuplicate only if the user says so.
 */
export function PatientForm({ patient, initial, onSaved, onCancel }: Props) {
  const [values, setValues] = useState<Values>(() => ({ ...valuesOf(patient), ...initial }));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [duplicates, setDuplicates] = useState<PatientSummary[] | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof Values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));

  function body(confirmNotDuplicate: boolean): Record<string, unknown> {
    const base = {
      mrn: values.mrn.trim(), givenName: values.givenName.trim(), familyName: values.familyName.trim(),
      // Left out when empty so the server answers "is required" rather than "not a valid date".
      ...((values.birthDate || patient) && { birthDate: values.birthDate }),
      ...(values.sex && { sex: values.sex }),
      ...(confirmNotDuplicate && { confirmNotDuplicate: true }),
    };
    // New: empty optional fields are left out. Edit: an emptied field is cleared (null).
    const extra = patient
      ? { email: nullable(values.email), phone: nullable(values.phone), preferredLanguage: nullable(values.preferredLanguage), notes: nullable(values.notes) }
      : { email: optional(values.email), phone: optional(values.phone), preferredLanguage: optional(values.preferredLanguage), notes: optional(values.notes) };
    return { ...base, ...extra };
  }

  async function save(confirmNotDuplicate: boolean) {
    setBusy(true);
    try {
      const saved = patient
        ? await api.patch<PatientView>(`/patients/${patient.id}`, body(confirmNotDuplicate))
        : await api.post<PatientView>('/patients', body(confirmNotDuplicate));
      setDuplicates(undefined);
      announce(patient ? 'Patient details saved.' : 'Patient registered.');
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.problem.code === 'likely-duplicate') {
        setErrors(NO_ERRORS);
        setDuplicates(error.problem.duplicates ?? []);
      } else {
        setDuplicates(undefined);
        setErrors(formErrorsOf(problemOf(error), PATIENT_FIELDS));
      }
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(false);
  }

  const e = errors.fields;
  return (
    <form onSubmit={submit} noValidate className="form" aria-label={patient ? 'Edit patient' : 'New patient'}>
      <ErrorSummary errors={errors} fieldId={fieldId} title={patient ? 'The changes were not saved' : 'The patient was not registered'} />
      <div className="form-grid">
        <TextField id={fieldId('familyName')} label="Family name" value={values.familyName} onChange={set('familyName')} error={e.familyName} required maxLength={100} autoComplete="off" />
        <TextField id={fieldId('givenName')} label="Given name" value={values.givenName} onChange={set('givenName')} error={e.givenName} required maxLength={100} autoComplete="off" />
        <TextField id={fieldId('birthDate')} label="Birth date" type="date" value={values.birthDate} onChange={set('birthDate')} error={e.birthDate} required min="1900-01-01" max={todayIso()} />
        <SelectField id={fieldId('sex')} label="Sex" value={values.sex} onChange={set('sex')} error={e.sex} required>
          <option value="">Choose…</option>
          <option value="female">Female</option>
          <option value="male">Male</option>
          <option value="other">Other</option>
          <option value="unknown">Unknown</option>
        </SelectField>
        <TextField
          id={fieldId('mrn')} label="MRN" value={values.mrn} onChange={set('mrn')} error={e.mrn} required maxLength={40} autoComplete="off" spellCheck={false}
          hint="Medical record number; unique in the clinic." inputClassName="mono"
        />
        <TextField
          id={fieldId('preferredLanguage')} label="Preferred language" value={values.preferredLanguage} onChange={set('preferredLanguage')} error={e.preferredLanguage}
          optional maxLength={35} hint="A language tag: en, fr, pt-BR…" autoComplete="off" spellCheck={false}
        />
        <TextField id={fieldId('email')} label="Email" type="email" value={values.email} onChange={set('email')} error={e.email} optional maxLength={254} autoComplete="off" spellCheck={false} />
        <TextField id={fieldId('phone')} label="Phone" type="tel" value={values.phone} onChange={set('phone')} error={e.phone} optional maxLength={40} autoComplete="off" />
        <TextAreaField id={fieldId('notes')} label="Notes" value={values.notes} onChange={set('notes')} error={e.notes} optional maxLength={5000} rows={3} className="span-2" />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : patient ? 'Save changes' : 'Register patient'}</button>
        <button type="button" className="button button-quiet" onClick={onCancel}>Cancel</button>
      </div>
      {duplicates && (
        <DuplicateDialog duplicates={duplicates} busy={busy} onConfirm={() => void save(true)} onClose={() => setDuplicates(undefined)} />
      )}
    </form>
  );
}
