import { describe, expect, it } from 'vitest';
import { numberOrNull } from './forms.js';
import { needleText } from './injection-labels.js';

describe('injection record words', () => {
  it('writes the needle as a clinician would read it, leaving out what was not recorded', () => {
    expect(needleText({ gauge: 22, lengthMm: 150, type: 'Spinal (Quincke)' })).toBe('22 G, 150 mm, Spinal (Quincke)');
    expect(needleText({ gauge: 25, lengthMm: null, type: null })).toBe('25 G');
    expect(needleText({ type: 'Tuohy' })).toBe('Tuohy');
    expect(needleText({ gauge: null, lengthMm: null, type: '' })).toBeNull();
    expect(needleText(null)).toBeNull();
  });

  it('reads a number box: empty is null, a number is a number', () => {
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('  ')).toBeNull();
    expect(numberOrNull('0.5')).toBe(0.5);
    expect(numberOrNull(' 22 ')).toBe(22);
  });
});
