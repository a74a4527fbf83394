import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffCounts, lineDiff, withContext } from './line-diff.js';

const kinds = (text: ReturnType<typeof lineDiff>) => text.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`);

describe('lineDiff', () => {
  it('marks added, removed and unchanged lines, removed before added', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(kinds(diff)).toEqual([' a', '-b', '+B', ' c', ' d', '+e']);
    expect(diff[1]).toMatchObject({ before: 2 });
    expect(diff[2]).toMatchObject({ after: 2 });
    expect(diff[5]).toMatchObject({ after: 5 });
    expect(diffCounts(diff)).toEqual({ added: 2, removed: 1 });
  });

  it('handles empty texts and identical texts', () => {
    expect(kinds(lineDiff('', 'x\ny'))).toEqual(['+x', '+y']);
    expect(kinds(lineDiff('x', ''))).toEqual(['-x']);
    expect(diffCounts(lineDiff('same\ntext', 'same\ntext'))).toEqual({ added: 0, removed: 0 });
  });

  it('keeps the longest common run (a moved paragraph is one removal and one addition)', () => {
    expect(kinds(lineDiff('p1\np2\np3', 'p2\np3\np1'))).toEqual(['-p1', ' p2', ' p3', '+p1']);
  });

  it('rebuilds both texts from the diff, for any texts', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 }).map((l) => l.join('\n'));
    fc.assert(fc.property(text, text, (before, after) => {
      const diff = lineDiff(before, after);
      const older = diff.filter((l) => l.kind !== 'added').map((l) => l.text).join('\n');
      const newer = diff.filter((l) => l.kind !== 'removed').map((l) => l.text).join('\n');
      return older === before && newer === after;
    }));
  });

  it('shows changes with context and counts the lines skipped', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const shown = withContext(lineDiff(before, after), 2);
    expect(shown[0]).toEqual({ kind: 'gap', lines: 7 });
    expect(shown.filter((l) => l.kind !== 'gap')).toHaveLength(6);
    expect(shown[shown.length - 1]).toEqual({ kind: 'gap', lines: 8 });
  });
});
