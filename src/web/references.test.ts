import { describe, expect, it } from 'vitest';
import { danglingMarkers, insertText, moveReference, removeReference, timesCited } from './references.js';

describe('references and their markers', () => {
  const text = 'One study [^1] and another [^2]; both [^1][^3] agree.';

  it('moves a reference and the markers that cite it', () => {
    const moved = moveReference(text, ['A', 'B', 'C'], 2, 0);
    expect(moved.refs).toEqual(['C', 'A', 'B']);
    expect(moved.text).toBe('One study [^2] and another [^3]; both [^2][^1] agree.');
    // Moving back restores the original.
    const back = moveReference(moved.text, moved.refs, 0, 2);
    expect(back).toEqual({ text, refs: ['A', 'B', 'C'] });
    // Out of range: nothing changes.
    expect(moveReference(text, ['A'], 0, 3)).toEqual({ text, refs: ['A'] });
  });

  it('refuses to remove a cited reference, and renumbers later markers when removing an uncited one', () => {
    expect(removeReference(text, ['A', 'B', 'C'], 0)).toEqual({ cited: 2 });
    const uncited = 'See [^1] and [^3].';
    expect(removeReference(uncited, ['A', 'B', 'C'], 1)).toEqual({ text: 'See [^1] and [^2].', refs: ['A', 'C'] });
  });

  it('counts citations and finds markers without a reference', () => {
    expect(timesCited(text, 1)).toBe(2);
    expect(timesCited(text, 4)).toBe(0);
    expect(danglingMarkers(text, 2)).toEqual([3]);
    expect(danglingMarkers('[^0] [^9] [^1]', 1)).toEqual([0, 9]);
  });

  it('inserts at the caret, replacing a selection', () => {
    expect(insertText('abc', 1, 1, '[^1]')).toEqual({ text: 'a[^1]bc', caret: 5 });
    expect(insertText('abc', 0, 3, 'x')).toEqual({ text: 'x', caret: 1 });
  });
});
