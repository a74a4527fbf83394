import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Pager } from '../components/pager.js';
import { commentsChanged } from '../components/pending-comments.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import type { CommentMode, CommentStatus, CommentView, EducationSettings } from '../education-types.js';
import { formatInstant } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { Page } from '../types.js';
import '../education.css';

const PAGE_SIZE = 20;
const TABS: { status: CommentStatus; label: string }[] = [
  { status: 'pending', label: 'Waiting' },
  { status: 'approved', label: 'Approved' },
  { status: 'rejected', label: 'Rejected' },
  { status: 'spam', label: 'Spam' },
];
const STATUS_TONE: Record<CommentStatus, 'warning' | 'success' | 'neutral' | 'danger'> = { pending: 'warning', approved: 'success', rejected: 'neutral', spam: 'danger' };
const MODE_LABELS: Record<CommentMode, string> = {
  off: 'Off: no new comments',
  'pre-moderated': 'Pre-moderated: every comment waits for approval',
  'open-after-first-approved': 'Open after a first approved comment (same email)',
};

/**
 * The moderation queue: what readers sent, waiting comments first and oldest first so nobody
 * waits longest; approve, reject, mark as spam, delete, and reply as the clinic. Comments are
 * shown as the site would show them (sanitised HTML from the server), so a moderator sees any
 * markup as the harmless text it will be.
 */
export function CommentsPage() {
  useTitle('Comments');
  const [params, setParams] = useSearchParams();
  const status = (TABS.find((t) => t.status === params.get('status'))?.status ?? 'pending') as CommentStatus;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [version, setVersion] = useState(0);
  const list = useLoad((signal) => api.get<Page<CommentView>>('/comments', { status, page, pageSize: PAGE_SIZE }, signal), [status, page, version]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(undefined);
  const [busy, setBusy] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (list.data) announce(`${list.data.total} ${status === 'pending' ? 'waiting' : status} ${list.data.total === 1 ? 'comment' : 'comments'}`);
  }, [list.data?.total, status]);

  async function act(comment: CommentView, run: () => Promise<unknown>, done: string) {
    setBusy(comment.id);
    setMessage(undefined);
    try {
      await run();
      setMessage({ kind: 'success', text: done });
      announce(done);
      commentsChanged();
      setVersion((v) => v + 1);
    } catch (error) {
      setMessage({ kind: 'error', text: problemOf(error).detail });
    } finally {
      setBusy(undefined);
    }
  }

  const moderate = (c: CommentView, next: CommentStatus, done: string) => act(c, () => api.patch(`/comments/${c.id}`, { status: next }), done);

  return (
    <>
      <PageHeader title="Comments" eyebrow={<Link to="/articles">Articles</Link>} />
      <nav className="tabs" aria-label="Comments by status">
        {TABS.map((t) => (
          <Link key={t.status} to={t.status === 'pending' ? '/comments' : `/comments?status=${t.status}`} className={`tab${t.status === status ? ' tab-current' : ''}`}
            aria-current={t.status === status ? 'page' : undefined}>
            {t.label}
            {t.status === status && list.data && <span className="count">{list.data.total}</span>}
          </Link>
        ))}
      </nav>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {list.error && <LoadError problem={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading label="Loading comments…" />}
      {list.data && (
        <section className="panel" aria-label={`${TABS.find((t) => t.status === status)!.label} comments`} aria-busy={list.loading || undefined}>
          {list.data.items.length === 0 ? (
            <p className="empty">{status === 'pending' ? 'Nothing is waiting. New comments appear here before anyone else sees them.' : 'No comments here.'}</p>
          ) : (
            <ul className="comment-queue">
              {list.data.items.map((c) => (
                <CommentCard key={c.id} comment={c} busy={busy === c.id} onModerate={moderate}
                  onDelete={() => act(c, () => api.delete(`/comments/${c.id}`), `The comment by ${c.authorName} is deleted${c.parentId ? '' : ', with any replies'}.`)}
                  onReply={(text) => act(c, () => api.post(`/comments/${c.id}/replies`, { bodyMarkdown: text }), 'Your reply is published under the comment, with the clinic badge.')} />
              ))}
            </ul>
          )}
          <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={(n) => setParams((p) => { const next = new URLSearchParams(p); if (n === 1) next.delete('page'); else next.set('page', String(n)); return next; })} />
        </section>
      )}
      <CommentSetting />
    </>
  );
}

interface CardProps {
  comment: CommentView;
  busy: boolean;
  onModerate: (c: CommentView, next: CommentStatus, done: string) => Promise<void>;
  onDelete: () => Promise<void>;
  onReply: (text: string) => Promise<void>;
}

function CommentCard({ comment: c, busy, onModerate, onDelete, onReply }: CardProps) {
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const headingId = `comment-${c.id}-by`;

  function sendReply(event: FormEvent) {
    event.preventDefault();
    if (reply.trim()) void onReply(reply.trim());
  }

  return (
    <li className="comment-card" aria-labelledby={headingId}>
      <div className="comment-head">
        <h2 id={headingId} className="comment-author">
          {c.authorName}
          {c.isStaffReply && <Badge tone="accent">Clinic team</Badge>}
        </h2>
        <Badge tone={STATUS_TONE[c.status]}>{TABS.find((t) => t.status === c.status)?.label}</Badge>
      </div>
      <p className="comment-meta muted small">
        {c.parentId ? 'Reply on ' : 'On '}<a href={`/articles/${c.articleSlug}#comments`} target="_blank" rel="noopener">{c.articleTitle}<span className="visually-hidden"> (opens in a new tab)</span></a>
        {' · '}{formatInstant(c.createdAt)}
        {c.authorEmail && <> · <span className="mono">{c.authorEmail}</span> <span>(never shown publicly)</span></>}
      </p>
      {/* Sanitised by the server exactly as on the public page: markup a reader typed is shown as text. */}
      <div className="comment-body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
      <div className="comment-actions">
        {c.status !== 'approved' && (
          <button type="button" className="button button-small button-primary" disabled={busy} onClick={() => void onModerate(c, 'approved', `The comment by ${c.authorName} is approved and shown on the site.`)}
            aria-label={`Approve the comment by ${c.authorName}`}>
            Approve
          </button>
        )}
        {c.status === 'approved' && !c.isStaffReply && !replying && (
          <button type="button" className="button button-small" disabled={busy} onClick={() => setReplying(true)} aria-label={`Reply as the clinic to ${c.authorName}`}>
            Reply as the clinic
          </button>
        )}
        {c.status !== 'rejected' && (
          <button type="button" className="button button-small" disabled={busy} onClick={() => void onModerate(c, 'rejected', `The comment by ${c.authorName} is rejected: it stays off the site.`)}
            aria-label={`Reject the comment by ${c.authorName}`}>
            Reject
          </button>
        )}
        {c.status !== 'spam' && !c.isStaffReply && (
          <button type="button" className="button button-small button-quiet" disabled={busy} onClick={() => void onModerate(c, 'spam', `The comment by ${c.authorName} is marked as spam.`)}
            aria-label={`Spam: mark the comment by ${c.authorName} as spam`}>
            Spam
          </button>
        )}
        {c.status !== 'pending' && !c.isStaffReply && (
          <button type="button" className="button button-small button-quiet" disabled={busy} onClick={() => void onModerate(c, 'pending', `The comment by ${c.authorName} is back in the queue.`)}
            aria-label={`Back to waiting: the comment by ${c.authorName}`}>
            Back to waiting
          </button>
        )}
        {!confirmDelete ? (
          <button type="button" className="button button-small button-quiet" disabled={busy} onClick={() => setConfirmDelete(true)} aria-label={`Delete the comment by ${c.authorName}`}>
            Delete
          </button>
        ) : (
          <span className="inline-edit" role="group" aria-label="Confirm deletion">
            <span>Delete for good{c.parentId ? '' : ', with its replies'}?</span>
            <button type="button" className="button button-small button-danger" disabled={busy} onClick={() => void onDelete()}>Yes, delete</button>
            <button type="button" className="button button-small" onClick={() => setConfirmDelete(false)} autoFocus>Keep</button>
          </span>
        )}
      </div>
      {replying && (
        <form className="form comment-reply" onSubmit={sendReply} aria-label={`Reply to ${c.authorName}`}>
          <TextAreaField
            id={`reply-${c.id}`} label="Your reply" value={reply} onChange={(e) => setReply(e.target.value)} rows={4} maxLength={4000} autoFocus
            hint="Published at once under the comment, with the “Clinic team” badge. Do not give advice about the reader’s own treatment here."
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary button-small" disabled={busy || !reply.trim()}>Publish reply</button>
            <button type="button" className="button button-quiet button-small" onClick={() => { setReplying(false); setReply(''); }}>Cancel</button>
          </div>
        </form>
      )}
    </li>
  );
}

/** The clinic's comment setting: anyone who moderates sees it; only an administrator changes it. */
function CommentSetting() {
  const { can } = useSession();
  const settings = useLoad((signal) => api.get<EducationSettings>('/education/settings', undefined, signal), []);
  const [draft, setDraft] = useState<CommentMode | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(undefined);
  const editable = can('clinic:manage');
  const current = settings.data?.commentMode;
  const value = draft ?? current;

  async function save() {
    if (!draft) return;
    setBusy(true);
    try {
      const saved = await api.put<EducationSettings>('/education/settings', { commentMode: draft });
      settings.set(saved);
      setDraft(undefined);
      setMessage({ kind: 'success', text: `Comments are now: ${MODE_LABELS[saved.commentMode].split(':')[0]!.toLowerCase()}.` });
      announce('Comment setting saved.');
    } catch (error) {
      setMessage({ kind: 'error', text: problemOf(error).detail });
    } finally {
      setBusy(false);
    }
  }

  if (settings.error) return <LoadError problem={settings.error} onRetry={settings.reload} />;
  if (!value) return null;
  return (
    <section className="panel panel-padded comment-setting" aria-labelledby="setting-title">
      <h2 id="setting-title" className="panel-title">Comments on the site</h2>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {editable ? (
        <div className="inline-edit">
          <SelectField id="comment-mode" label="Setting" value={value} onChange={(e) => { setMessage(undefined); setDraft(e.target.value as CommentMode); }}
            hint="Readers post health details and medical claims: pre-moderation lets the clinic read everything before it is public.">
            {(Object.keys(MODE_LABELS) as CommentMode[]).map((m) => <option key={m} value={m}>{MODE_LABELS[m]}</option>)}
          </SelectField>
          {draft && draft !== current && <button type="button" className="button button-primary button-small" disabled={busy} onClick={() => void save()}>Save setting</button>}
        </div>
      ) : (
        <p>{MODE_LABELS[value]}. <span className="muted">An administrator can change this.</span></p>
      )}
    </section>
  );
}
