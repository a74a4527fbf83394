import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary } from '../components/error-summary.js';
import { TextField } from '../components/field.js';
import { AuthFrame } from '../components/layout.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useTitle } from '../hooks.js';

const FIELDS: Record<string, FieldInfo> = { password: { label: 'New password' }, passwordConfirm: { label: 'New password again' } };
const fieldId = (field: string) => `reset-${field}`;

/**
 * Reads the single-use token from the link's fragment (#token=…), which browsers never send to
 * a server, and takes it out of the address bar so it does not linger in history.
 */
function takeTokenFromHash(): string {
  const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}

/** Choose a new password from an emailed reset or invitation link. */
export function ResetPasswordPage() {
  useTitle('Choose a new password');
  const [token] = useState(takeTokenFromHash);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setErrors({ fields: { passwordConfirm: 'The two passwords are not the same.' }, general: undefined });
      return;
    }
    setBusy(true);
    try {
      await api.post('/auth/password-reset/confirm', { token, password }, true);
      setDone(true);
      announce('Your password has been changed. You can sign in now.');
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <AuthFrame title="Choose a new password">
        <div className="notice notice-error" role="alert">This page needs the link from your email. Open the link again, or ask for a new one.</div>
        <p className="auth-footer"><Link to="/login?forgot=1">Ask for a new link</Link></p>
      </AuthFrame>
    );
  }
  if (done) {
    return (
      <AuthFrame title="Password changed">
        <div className="notice notice-success">Your password has been changed, and any other sessions of your account have ended.</div>
        <p className="auth-footer"><Link className="button button-primary" to="/login">Sign in</Link></p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Choose a new password" intro={<p>The link works once. After this, sign in with the new password.</p>}>
      <form onSubmit={submit} noValidate className="form">
        <ErrorSummary errors={errors} fieldId={fieldId} />
        <TextField
          id={fieldId('password')} label="New password" type="password" value={password} onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password} required autoComplete="new-password" hint="At least 12 characters; a few unrelated words work well." autoFocus
        />
        <TextField id={fieldId('passwordConfirm')} label="New password again" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} error={errors.fields.passwordConfirm} required autoComplete="new-password" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save new password'}</button>
        </div>
      </form>
    </AuthFrame>
  );
}
