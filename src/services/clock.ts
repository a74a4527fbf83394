/** Instants are stored as ISO-8601 UTC text everywhere (DESIGN.md, Storage). */
export function nowIso(): string {
  return new Date().toISOString();
}

export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** Today's calendar date where the clinic is (a date entered in Sydney must not be "in the future" in UTC). */
export function todayIso(timeZone = 'UTC', at: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
