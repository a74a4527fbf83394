import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorSummary } from '../components/error-summary.js';
import { TextField } from '../components/field.js';
import { AuthFrame } from '../components/layout.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { SessionView } from '../types.js';

const FIELDS: Record<string, FieldInfo> = {
  clinicName: { label: 'Clinic name' },
  timeZone: { label: 'Time zone' },
  displayName: { label: 'Your name' },
  email: { label: 'Email' },
  password: { label: 'Password' },
  passwordConfirm: { label: 'Password again' },
};
const fieldId = (field: string) => `setup-${field}`;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** First run: names the clinic and creates its first administrator, who is then signed in. */
export function SetupPage() {
  useTitle('Set up Autolog');
  const { signedIn } = useSession();
  const [form, setForm] = useState({ clinicName: '', timeZone: browserTimeZone(), displayName: '', email: '', password: '', passwordConfirm: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (form.password !== form.passwordConfirm) {
      setErrors({ fields: { passwordConfirm: 'The two passwords are not the same.' }, general: undefined });
      return;
    }
    setBusy(true);
    try {
      const session = await api.post<SessionView>('/setup', {
        clinicName: form.clinicName.trim(), timeZone: form.timeZone.trim() || undefined,
        displayName: form.displayName.trim(), email: form.email.trim(), password: form.password,
      }, true);
      signedIn(session);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
      setBusy(false);
    }
  }

  const e = errors.fields;
  return (
    <AuthFrame
      wide
      title="Set up your clinic"
      intro={<p>Autolog has no accounts yet. Name the clinic and create the first administrator; you will be signed in straight away and can add colleagues next.</p>}
    >
      <form onSubmit={submit} noValidate className="form">
        <ErrorSummary errors={errors} fieldId={fieldId} />
        <fieldset className="fieldset">
          <legend>Clinic</legend>
          <TextField id={fieldId('clinicName')} label="Clinic name" value={form.clinicName} onChange={set('clinicName')} error={e.clinicName} required autoComplete="organization" maxLength={200} />
          <TextField
            id={fieldId('timeZone')} label="Time zone" value={form.timeZone} onChange={set('timeZone')} error={e.timeZone} required
            hint="An IANA name such as Europe/London; taken from this computer." autoComplete="off" spellCheck={false}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>First administrator</legend>
          <TextField id={fieldId('displayName')} label="Your name" value={form.displayName} onChange={set('displayName')} error={e.displayName} required autoComplete="name" maxLength={200} />
          <TextField id={fieldId('email')} label="Email" type="email" value={form.email} onChange={set('email')} error={e.email} required autoComplete="email" spellCheck={false} />
          <TextField
              id={fieldId('password')} label="Password" type="password" value={form.password} onChange={set('password')} error={e.password} required
              autoComplete="new-password" hint="At least 12 characters; a few unrelated words work well."
            />
          <TextField id={fieldId('passwordConfirm')} label="Password again" type="password" value={form.passwordConfirm} onChange={set('passwordConfirm')} error={e.passwordConfirm} required autoComplete="new-password" />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Creating…' : 'Create clinic and sign in'}</button>
        </div>
      </form>
    </AuthFrame>
  );
}
