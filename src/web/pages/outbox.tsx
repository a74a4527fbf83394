import { useSearchParams, Link } from 'react-router';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { SelectField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import type { OutboxList, OutboxView } from '../types.js';

const STATUS: Record<OutboxView['status'], { label: string; tone: 'neutral' | 'accent' | 'success' | 'danger' | 'warning' }> = {
  pending: { label: 'Waiting', tone: 'warning' },
  sending: { label: 'Sending', tone: 'accent' },
  sent: { label: 'Sent', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

const KIND_LABELS: Record<string, string> = { 'password-reset': 'Password reset', 'staff-invitation': 'Staff invitation' };

/** Email the clinic has sent or is about to send, with delivery status. */
export function OutboxPage() {
  useTitle('Outbox');
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const outbox = useLoad((signal) => api.get<OutboxList>('/outbox', { status, limit: 200 }, signal), [status]);

  return (
    <>
      <PageHeader title="Outbox" eyebrow={<Link to="/clinic">Clinic</Link>}>
        <button type="button" className="button" onClick={outbox.reload} disabled={outbox.loading}>Refresh</button>
      </PageHeader>
      {outbox.data && !outbox.data.smtpConfigured && (
        <div className="notice notice-warning banner">
          <p><strong>Email is not being sent yet.</strong> No mail server is configured, so messages wait here, safely kept. They will go out
            automatically once the server is started with <code>SMTP_URL</code> set (for example <code>smtps://user:password@mail.example.org</code>).</p>
          <p>Until then, give colleagues their invitation or reset link another way, or set a password for them when adding the account.</p>
        </div>
      )}
      <div className="filter-inline">
        <SelectField id="outbox-status" label="Status" value={status} onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })}>
          <option value="">All</option>
          {Object.entries(STATUS).map(([code, s]) => <option key={code} value={code}>{s.label}</option>)}
        </SelectField>
      </div>
      {outbox.error && <LoadError problem={outbox.error} onRetry={outbox.reload} />}
      {!outbox.data && !outbox.error && <Loading />}
      {outbox.data && (
        <section className="panel" aria-labelledby="outbox-title">
          <div className="panel-header">
            <h2 id="outbox-title" className="panel-title">Messages <span className="count">{outbox.data.messages.length}</span></h2>
            <span className="panel-note">Newest first; message bodies hold sign-in links and are not shown</span>
          </div>
          <DataTable<OutboxView>
            caption="Outgoing email"
            captionHidden
            busy={outbox.loading}
            rows={outbox.data.messages}
            rowKey={(m) => m.id}
            empty={status ? 'No message has this status.' : 'No email has been sent yet.'}
            columns={[
              { header: 'Subject', rowHeader: true, cell: (m) => <>{m.subject}<div className="muted small">{KIND_LABELS[m.kind] ?? m.kind}</div></> },
              { header: 'To', cell: (m) => m.to },
              { header: 'Status', cell: (m) => <Badge tone={STATUS[m.status].tone}>{STATUS[m.status].label}</Badge> },
              { header: 'Queued', cell: (m) => formatInstant(m.createdAt), className: 'nowrap' },
              { header: 'Attempts', cell: (m) => m.attempts, className: 'num' },
              {
                header: 'Delivery', cell: (m) => m.status === 'sent' ? `Sent ${formatInstant(m.sentAt)}` : (
                  <>{m.status === 'pending' && (outbox.data?.smtpConfigured ? <>Next try {formatInstant(m.nextAttemptAt)}</> : <span className="muted">Kept until a mail server is set</span>)}{m.lastError && <div className="error-text small">{m.lastError}</div>}</>
                ),
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
