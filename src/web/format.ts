/**
 * Dates and times as staff read them. Calendar dates (birth dates, episode dates) are shown with
 * the month in words, so 03/04 can never be read the wrong way round; instants are shown in the
 * browser's time zone.
 */
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const instantFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** `1960-12-09` → `9 Dec 1960` (in the reader's locale). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '—';
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  return Number.isNaN(ms) ? isoDate : dateFormat.format(ms);
}

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : instantFormat.format(ms);
}

/** Whole years between a birth date and today. */
export function ageOf(birthDate: string, today = new Date()): number | undefined {
  const [y, m, d] = birthDate.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age--;
  return age;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date in the browser's zone, YYYY-MM-DD (the default for date fields). */
export function todayIso(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** An instant as a `datetime-local` value in the browser's zone, to the minute; '' when empty or unreadable. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${todayIso(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (browser zone) as an ISO-8601 UTC instant, or undefined when empty or unreadable. */
export function fromLocalInput(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const SEX_LABELS: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

export const EPISODE_STATUS_LABELS: Record<string, string> = { open: 'Open', closed: 'Closed', cancelled: 'Cancelled' };

export function patientName(p: { givenName: string; familyName: string }): string {
  return `${p.familyName}, ${p.givenName}`;
}
