import { Link } from 'react-router';
import { formatInstant } from '../format.js';
import type { AuditEventView } from '../types.js';
import { DataTable } from './data-table.js';

export const ACTION_LABELS: Record<string, string> = {
  create: 'Created', read: 'Viewed', update: 'Changed', delete: 'Deleted', search: 'Searched', export: 'Exported',
  login: 'Signed in', 'login-failed': 'Sign-in failed', logout: 'Signed out',
  'password-reset-requested': 'Reset requested', 'password-reset': 'Password reset', recompute: 'Recomputed',
};

export const ENTITY_LABELS: Record<string, string> = {
  patient: 'Patient', episode: 'Episode', staff_user: 'Staff account', clinic: 'Clinic', audit_event: 'Audit trail',
  preparation: 'Preparation', protocol: 'Protocol',
};

/** `{ fields: ['phone', 'email'], status: 'closed' }` → `fields: phone, email · status: closed` */
function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

interface Props {
  events: AuditEventView[];
  caption: string;
  /** The clinic-wide trail links each event's patient; a patient's own history does not need to. */
  showPatient?: boolean;
  busy?: boolean;
}

/** Audit events, newest first: who did what to which record, when and from where. */
export function AuditTable({ events, caption, showPatient, busy }: Props) {
  return (
    <DataTable<AuditEventView>
      caption={caption}
      captionHidden
      busy={busy}
      rows={events}
      rowKey={(e) => e.id}
      empty="No events match."
      columns={[
        { header: 'When', rowHeader: true, cell: (e) => <time dateTime={e.at}>{formatInstant(e.at)}</time>, className: 'nowrap' },
        { header: 'Who', cell: (e) => e.actor ?? <span className="muted">system</span> },
        { header: 'Action', cell: (e) => <span className={`action action-${e.action}`}>{ACTION_LABELS[e.action] ?? e.action}</span> },
        { header: 'Record', cell: (e) => <>{ENTITY_LABELS[e.entityType] ?? e.entityType}{e.entityId && <span className="muted mono id-short" title={e.entityId}> {e.entityId.slice(-8)}</span>}</> },
        ...(showPatient ? [{ header: 'Patient', cell: (e: AuditEventView) => (e.patientId ? <Link to={`/patients/${e.patientId}`} className="mono" title={e.patientId}>…{e.patientId.slice(-8)}</Link> : null) }] : []),
        { header: 'Details', cell: (e) => (e.detail ? <span className="detail-text">{describeDetail(e.detail)}</span> : null), className: 'detail-cell' },
        { header: 'IP', cell: (e) => (e.ip ? <span className="mono muted">{e.ip}</span> : null), className: 'nowrap' },
        { header: '#', cell: (e) => <span className="mono muted">{e.seq}</span>, className: 'num' },
      ]}
    />
  );
}
