import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { TextField } from '../components/field.js';
import { AuthFrame } from '../components/layout.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { SessionView } from '../types.js';

const FIELDS: Record<string, FieldInfo> = { email: { label: 'Email' }, password: { label: 'Password' } };
const fieldId = (field: string) => `login-${field}`;

/** Sign-in, and the "forgot password" request that emails a reset link. */
export function LoginPage() {
  const [params] = useSearchParams();
  const [mode, setMode] = useState<'sign-in' | 'forgot'>(params.get('forgot') ? 'forgot' : 'sign-in');
  return mode === 'sign-in' ? <SignIn onForgot={() => setMode('forgot')} /> : <ForgotPassword onBack={() => setMode('sign-in')} />;
}

function SignIn({ onForgot }: { onForgot: () => void }) {
  useTitle('Sign in');
  const { signedIn, notice } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  // Said out loud too: someone sent here mid-task should hear why.
  useEffect(() => {
    if (notice) announce(notice);
  }, [notice]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      // The sign-in route of the app sends the person on to where they were (see app.tsx).
      signedIn(await api.post<SessionView>('/auth/login', { email: email.trim(), password }, true));
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Sign in">
      {notice && <Notice kind="info">{notice}</Notice>}
      <form onSubmit={submit} noValidate className="form">
        <ErrorSummary errors={errors} fieldId={fieldId} title="Sign-in failed" />
        <TextField id={fieldId('email')} label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.fields.email} required autoComplete="username" spellCheck={false} autoFocus />
        <TextField id={fieldId('password')} label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.fields.password} required autoComplete="current-password" />
        <div className="form-actions form-actions-split">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
          <button type="button" className="link-button" onClick={onForgot}>Forgot password?</button>
        </div>
      </form>
    </AuthFrame>
  );
}

function ForgotPassword({ onBack }: { onBack: () => void }) {
  useTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [sent, setSent] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await api.post<{ detail: string }>('/auth/password-reset', { email: email.trim() }, true);
      const message = answer?.detail ?? 'If an active account uses this address, a reset link is on its way.';
      setSent(message);
      announce(message);
      setErrors(NO_ERRORS);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Reset your password" intro={<p>Enter the email address of your account. We will send a link to choose a new password.</p>}>
      {sent ? (
        <div role="status" className="notice notice-success">{sent}</div>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <ErrorSummary errors={errors} fieldId={fieldId} />
          <TextField id={fieldId('email')} label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.fields.email} required autoComplete="username" spellCheck={false} autoFocus />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Sending…' : 'Email me a reset link'}</button>
          </div>
        </form>
      )}
      <p className="auth-footer">
        <button type="button" className="link-button" onClick={onBack}>Back to sign in</button>
      </p>
    </AuthFrame>
  );
}
