/**
 * A line diff for comparing article revisions: the longest common subsequence of lines, found
 * by dynamic programming after trimming the common start and end. Written here because no diff
 * library is among the project's dependencies and this is all the revisions screen needs.
 * Markdown keeps a paragraph on one line, so a changed paragraph shows as one removed and one
 * added line.
 */

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** 1-based line numbers in the older and newer text (absent on the side the line is not in). */
  before?: number;
  after?: number;
}

/** Above this many cells the table would cost too much memory; the middle is then shown as replaced. */
const MAX_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n?/g, '\n').split('\n');
}

export function lineDiff(beforeText: string, afterText: string): DiffLine[] {
  const a = splitLines(beforeText);
  const b = splitLines(afterText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i]!, before: i + 1, after: i + 1 });

  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = 0; i < n; i++) out.push({ kind: 'removed', text: a[start + i]!, before: start + i + 1 });
    for (let j = 0; j < m; j++) out.push({ kind: 'added', text: b[start + j]!, after: start + j + 1 });
  } else {
    // lcs[i * (m + 1) + j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        out.push({ kind: 'same', text: a[start + i]!, before: start + i + 1, after: start + j + 1 });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * width + j + 1]! >= lcs[(i + 1) * width + j]!)) {
        out.push({ kind: 'added', text: b[start + j]!, after: start + j + 1 });
        j++;
      } else {
        out.push({ kind: 'removed', text: a[start + i]!, before: start + i + 1 });
        i++;
      }
    }
    // Within a run of changes, show what went before what came: removed lines first.
    reorderRuns(out);
  }

  for (let k = 0; endA + k < a.length; k++) out.push({ kind: 'same', text: a[endA + k]!, before: endA + k + 1, after: endB + k + 1 });
  return out;
}

function reorderRuns(lines: DiffLine[]): void {
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.kind === 'same') {
      k++;
      continue;
    }
    let end = k;
    while (end < lines.length && lines[end]!.kind !== 'same') end++;
    const run = lines.slice(k, end);
    const sorted = [...run.filter((l) => l.kind === 'removed'), ...run.filter((l) => l.kind === 'added')];
    lines.splice(k, run.length, ...sorted);
    k = end;
  }
}

export function diffCounts(lines: DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'added') added++;
    else if (l.kind === 'removed') removed++;
  }
  return { added, removed };
}

/** Only the changes with `context` unchanged lines around each; the skipped stretches as `gap` markers. */
export function withContext(lines: DiffLine[], context = 2): (DiffLine | { kind: 'gap'; lines: number })[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine | { kind: 'gap'; lines: number })[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped > 0) out.push({ kind: 'gap', lines: skipped });
      skipped = 0;
      out.push(l);
    } else {
      skipped++;
    }
  });
  if (skipped > 0 && out.length > 0) out.push({ kind: 'gap', lines: skipped });
  return out;
}
