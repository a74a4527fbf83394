/**
 * The numbered references of an article and the `[^n]` markers that cite them. A marker cites a
 * reference by its position, so moving or removing a reference renumbers the markers in the text
 * with it: a citation never silently starts pointing at another study.
 */

/** The same pattern the server renders (services/markdown.ts). */
const MARKER = /\[\^(\d{1,3})\]/g;

export function marker(position: number): string {
  return `[^${position}]`;
}

/** Rewrites every marker through `renumber` (1-based positions in, 1-based positions out). */
export function renumberMarkers(text: string, renumber: (position: number) => number): string {
  return text.replace(MARKER, (_m, n: string) => marker(renumber(Number(n))));
}

/** How many times the text cites reference `position`. */
export function timesCited(text: string, position: number): number {
  let count = 0;
  for (const m of text.matchAll(MARKER)) if (Number(m[1]) === position) count++;
  return count;
}

/** Markers that name no reference (the server refuses to save them). */
export function danglingMarkers(text: string, referenceCount: number): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(MARKER)) {
    const n = Number(m[1]);
    if (n < 1 || n > referenceCount) seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

/** Moves the reference at `from` to `to` (0-based indexes) and renumbers the markers to match. */
export function moveReference<T>(text: string, refs: readonly T[], from: number, to: number): { text: string; refs: T[] } {
  if (from === to || from < 0 || to < 0 || from >= refs.length || to >= refs.length) return { text, refs: [...refs] };
  const order = refs.map((_, i) => i);
  const [moved] = order.splice(from, 1);
  order.splice(to, 0, moved!);
  // order[newIndex] = oldIndex; markers need oldPosition → newPosition.
  const newPositionOf = new Map(order.map((oldIndex, newIndex) => [oldIndex + 1, newIndex + 1]));
  return {
    text: renumberMarkers(text, (n) => newPositionOf.get(n) ?? n),
    refs: order.map((oldIndex) => refs[oldIndex]!),
  };
}

/**
 * Removes the reference at `index` (0-based) and renumbers the later markers; refused (with the
 * number of citations) while the text still cites it.
 */
export function removeReference<T>(text: string, refs: readonly T[], index: number): { text: string; refs: T[] } | { cited: number } {
  const position = index + 1;
  const cited = timesCited(text, position);
  if (cited > 0) return { cited };
  return {
    text: renumberMarkers(text, (n) => (n > position ? n - 1 : n)),
    refs: refs.filter((_, i) => i !== index),
  };
}

/** Puts `insert` in place of the selection [start, end) and says where the caret goes. */
export function insertText(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}
