/** Instants are stored as ISO-8601 UTC text everywhere (DESIGN.md, Storage). */
export function nowIso(): string {
  return new Date().toISOString();
}

export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

export function todayIso(): string {
  return nowIso().slice(0, 10);
}
