import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { LoadError, Loading } from '../components/status.js';
import type { AuthorProfileView } from '../education-types.js';
import { NO_ERRORS, formErrorsOf, nullable, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { StaffView } from '../types.js';
import '../education.css';

const PROFILE_FIELDS: Record<string, FieldInfo> = { credentials: { label: 'Credentials' }, bio: { label: 'Biography' } };
const fieldId = (field: string) => `profile-${field}`;

/**
 * The credentials and short biography shown with an author's articles and on their public page.
 * Everyone edits their own; an administrator may edit anyone's (`?staff=<id>`).
 */
export function AuthorProfilePage() {
  useTitle('Author profile');
  const { session, can, roleLabel } = useSession();
  const me = session?.user.id ?? '';
  const admin = can('staff:manage');
  const [params, setParams] = useSearchParams();
  const staffId = admin ? params.get('staff') || me : me;
  const staff = useLoad((signal) => (admin ? api.get<StaffView[]>('/staff', undefined, signal) : Promise.resolve([] as StaffView[])), [admin]);
  const profile = useLoad((signal) => api.get<AuthorProfileView>(`/author-profiles/${staffId}`, undefined, signal), [staffId]);

  return (
    <>
      <PageHeader title="Author profile" eyebrow={<Link to="/articles">Articles</Link>} />
      <p className="edu-intro muted">
        Shown under every article a person writes or medically reviews, and on their page on the public site. Readers judge health information by who wrote and checked it.
      </p>
      {admin && staff.data && (
        <div className="filter-inline">
          <SelectField id="profile-staff" label="Whose profile" value={staffId} onChange={(e) => setParams(e.target.value === me ? {} : { staff: e.target.value }, { replace: true })}>
            {staff.data.filter((s) => s.active || s.id === staffId).map((s) => (
              <option key={s.id} value={s.id}>{s.displayName} ({roleLabel(s.role)}){s.id === me ? ' — you' : ''}</option>
            ))}
          </SelectField>
        </div>
      )}
      {profile.error && <LoadError problem={profile.error} onRetry={profile.reload} />}
      {!profile.data && !profile.error && <Loading />}
      {profile.data && <ProfileForm key={profile.data.staffId} profile={profile.data} onSaved={profile.set} />}
    </>
  );
}

function ProfileForm({ profile, onSaved }: { profile: AuthorProfileView; onSaved: (p: AuthorProfileView) => void }) {
  const [credentials, setCredentials] = useState(profile.credentials ?? '');
  const [bio, setBio] = useState(profile.bio ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  useEffect(() => setSaved(undefined), [credentials, bio]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const next = await api.put<AuthorProfileView>(`/author-profiles/${profile.staffId}`, { credentials: nullable(credentials), bio: nullable(bio) });
      onSaved(next);
      setErrors(NO_ERRORS);
      setSaved(`${next.displayName}’s profile is saved.`);
      announce('Profile saved.');
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), PROFILE_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel panel-padded panel-form" aria-labelledby="profile-title">
      <h2 id="profile-title" className="panel-title">{profile.displayName}</h2>
      {saved && <Notice kind="success">{saved}</Notice>}
      <form className="form" onSubmit={submit} noValidate aria-label={`Author profile of ${profile.displayName}`}>
        <ErrorSummary errors={errors} fieldId={fieldId} title="The profile was not saved" />
        <TextField
          id={fieldId('credentials')} label="Credentials" value={credentials} onChange={(e) => setCredentials(e.target.value)} error={errors.fields.credentials} optional maxLength={200}
          hint="Qualifications and role, e.g. “MD, FRCA — consultant in pain medicine”. Shown after the name."
        />
        <TextAreaField
          id={fieldId('bio')} label="Biography" value={bio} onChange={(e) => setBio(e.target.value)} error={errors.fields.bio} optional maxLength={2000} rows={6}
          hint="A few sentences for the public author page. Leave a blank line between paragraphs."
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save profile'}</button>
        </div>
      </form>
    </section>
  );
}
