import { Link } from 'react-router';
import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, optional, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { Role, StaffView } from '../types.js';

const ROLES: Role[] = ['admin', 'clinician', 'lab', 'coordinator'];
const STAFF_FIELDS: Record<string, FieldInfo> = {
  displayName: { label: 'Name' }, email: { label: 'Email' }, role: { label: 'Role' }, password: { label: 'Password' },
};
const fieldId = (field: string) => `staff-${field}`;

/** Staff accounts of the clinic: add, change role, deactivate and reactivate. */
export function StaffPage() {
  useTitle('Staff');
  const { session, roleLabel } = useSession();
  const staff = useLoad((signal) => api.get<StaffView[]>('/staff', undefined, signal), []);
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(undefined);
  const [pending, setPending] = useState<string | undefined>(undefined);
  const [roleDraft, setRoleDraft] = useState<Record<string, Role>>({});

  async function change(user: StaffView, body: { role?: Role; active?: boolean }, done: string) {
    setPending(user.id);
    setMessage(undefined);
    try {
      const updated = await api.patch<StaffView>(`/staff/${user.id}`, body);
      staff.set((staff.data ?? []).map((s) => (s.id === updated.id ? updated : s)));
      setRoleDraft(({ [user.id]: _dropped, ...rest }) => rest);
      setMessage({ kind: 'success', text: done });
      announce(done);
    } catch (error) {
      setMessage({ kind: 'error', text: problemOf(error).detail });
    } finally {
      setPending(undefined);
    }
  }

  return (
    <>
      <PageHeader title="Staff accounts" eyebrow={<Link to="/clinic">Clinic</Link>}>
        {!adding && <button type="button" className="button button-primary" onClick={() => { setMessage(undefined); setAdding(true); }}>Add account</button>}
      </PageHeader>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {adding && (
        <section className="panel panel-padded" aria-labelledby="add-staff-title">
          <h2 id="add-staff-title" className="panel-title">Add a staff account</h2>
          <AddStaffForm
            onDone={(created, invited) => {
              setAdding(false);
              if (created) {
                staff.set([...(staff.data ?? []), created].sort((a, b) => a.displayName.localeCompare(b.displayName)));
                const text = invited
                  ? `${created.displayName} is added as ${roleLabel(created.role)}. An invitation to choose a password is in the outbox.`
                  : `${created.displayName} is added as ${roleLabel(created.role)} and can sign in now.`;
                setMessage({ kind: 'success', text });
                announce(text);
              }
            }}
          />
        </section>
      )}
      {staff.error && <LoadError problem={staff.error} onRetry={staff.reload} />}
      {!staff.data && !staff.error && <Loading />}
      {staff.data && (
        <section className="panel" aria-labelledby="staff-list-title">
          <div className="panel-header">
            <h2 id="staff-list-title" className="panel-title">Accounts <span className="count">{staff.data.length}</span></h2>
          </div>
          <DataTable<StaffView>
            caption="Staff accounts"
            captionHidden
            rows={staff.data}
            rowKey={(s) => s.id}
            empty="No accounts."
            columns={[
              {
                header: 'Name', rowHeader: true,
                cell: (s) => <>{s.displayName}{s.id === session?.user.id && <span className="muted"> (you)</span>}<div className="muted small">{s.email}</div></>,
              },
              {
                header: 'Role',
                cell: (s) => {
                  const self = s.id === session?.user.id;
                  const draft = roleDraft[s.id] ?? s.role;
                  return (
                    <span className="inline-edit">
                      <label className="visually-hidden" htmlFor={`role-${s.id}`}>Role of {s.displayName}</label>
                      <select
                        id={`role-${s.id}`} className="input input-small" value={draft} disabled={self || pending === s.id}
                        onChange={(e) => setRoleDraft((d) => ({ ...d, [s.id]: e.target.value as Role }))}
                        aria-describedby={self ? 'self-note' : undefined}
                      >
                        {ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
                      </select>
                      {draft !== s.role && (
                        <button type="button" className="button button-small button-primary" disabled={pending === s.id}
                          onClick={() => void change(s, { role: draft }, `${s.displayName} is now ${roleLabel(draft)}. Their open sessions have ended.`)}>
                          Save role
                        </button>
                      )}
                    </span>
                  );
                },
              },
              { header: 'Status', cell: (s) => (s.active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>) },
              { header: 'Last sign-in', cell: (s) => formatInstant(s.lastLoginAt), className: 'nowrap' },
              {
                header: 'Actions', className: 'actions-cell',
                cell: (s) => s.id === session?.user.id ? <span className="muted small">—</span> : s.active ? (
                  <button type="button" className="button button-small button-quiet" disabled={pending === s.id}
                    onClick={() => void change(s, { active: false }, `${s.displayName} is deactivated and signed out everywhere.`)}>
                    Deactivate<span className="visually-hidden"> {s.displayName}</span>
                  </button>
                ) : (
                  <button type="button" className="button button-small" disabled={pending === s.id}
                    onClick={() => void change(s, { active: true }, `${s.displayName} is active again.`)}>
                    Reactivate<span className="visually-hidden"> {s.displayName}</span>
                  </button>
                ),
              },
            ]}
          />
          <p className="panel-note panel-footer" id="self-note">You cannot change your own role or deactivate yourself here; ask another administrator.</p>
        </section>
      )}
    </>
  );
}

function AddStaffForm({ onDone }: { onDone: (created: StaffView | undefined, invited: boolean) => void }) {
  const { roleLabel } = useSession();
  const [form, setForm] = useState({ displayName: '', email: '', role: 'clinician' as Role, password: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await api.post<StaffView>('/staff', {
        displayName: form.displayName.trim(), email: form.email.trim(), role: form.role, password: optional(form.password),
      });
      onDone(created, form.password === '');
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), STAFF_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The account was not added" />
      <div className="form-grid">
        <TextField id={fieldId('displayName')} label="Name" value={form.displayName} onChange={set('displayName')} error={errors.fields.displayName} required maxLength={200} autoComplete="off" autoFocus />
        <TextField id={fieldId('email')} label="Email" type="email" value={form.email} onChange={set('email')} error={errors.fields.email} required autoComplete="off" spellCheck={false} />
        <SelectField id={fieldId('role')} label="Role" value={form.role} onChange={set('role')} error={errors.fields.role} required>
          {ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
        </SelectField>
        <TextField
          id={fieldId('password')} label="Password" type="password" value={form.password} onChange={set('password')} error={errors.fields.password} optional
          autoComplete="new-password" hint="Leave empty to email an invitation link (valid 72 hours) instead."
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Adding…' : 'Add account'}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(undefined, false)}>Cancel</button>
      </div>
    </form>
  );
}
