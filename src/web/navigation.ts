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
