import type { Permission } from './types.js';

/**
 * Where a person lands after signing in when nothing else is asked for: the worklist, for every
 * role. It is the clinic's home screen — each role sees its own sections there (leads to call,
 * assessments awaiting a decision, today's draws…), and everyone sees the alerts (serious adverse
 * events awaiting review, failed bedside checks). Patients stay one click away in the navigation.
 */
export const HOME = '/worklist';

/**
 * The `next` of /login?next=… as a path inside the app, or HOME. Only an app path is accepted,
 * so a crafted link (`next=//evil.example`, `next=https://…`) cannot send anyone elsewhere.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || next === '/' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /^\/(login|setup)\b/.test(next)) return HOME;
  return next;
}

/** The sign-in address that brings the person back to `here` (a path + query inside the app). */
export function loginUrlFor(here: string): string {
  const target = safeNext(here);
  return target === HOME ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

/**
 * The screens gathered under "Clinic" in the navigation: the clinic's configuration and the
 * records kept for oversight, each shown to the roles whose permission it needs.
 */
export const CLINIC_SCREENS: { to: string; label: string; permission: Permission; description: string }[] = [
  { to: '/staff', label: 'Staff', permission: 'staff:manage', description: 'Accounts, roles and invitations; unlock or deactivate an account.' },
  { to: '/pathway-settings', label: 'Pathway settings', permission: 'assessment:read', description: 'Consent texts, wash-outs and blood-count thresholds, the product time limit, instruction texts.' },
  { to: '/outcome-settings', label: 'Outcome settings', permission: 'outcome:read', description: 'Instruments, the follow-up schedule, reminders, responder rules, licensed questionnaires.' },
  { to: '/audit', label: 'Audit trail', permission: 'audit:read', description: 'Who read and changed what, with the integrity check of the chain and a CSV export.' },
  { to: '/outbox', label: 'Outbox', permission: 'outbox:read', description: 'Email waiting, sent and failed: invitations, instructions, survey links.' },
];

/** Whether `pathname` is the Clinic page or one of the screens gathered under it. */
export function isClinicPath(pathname: string): boolean {
  return pathname === '/clinic' || CLINIC_SCREENS.some((s) => pathname === s.to || pathname.startsWith(`${s.to}/`));
}
