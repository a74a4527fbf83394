import { describe, expect, it } from 'vitest';
import { ageOf, formatDate } from './format.js';

describe('dates', () => {
  it('writes calendar dates with the month in words, whatever the reader’s zone', () => {
    expect(formatDate('1960-12-09')).toMatch(/Dec/);
    expect(formatDate('1960-12-09')).toMatch(/9/);
    expect(formatDate(null)).toBe('—');
  });

  it('counts whole years of age', () => {
    expect(ageOf('1960-12-09', new Date(2025, 11, 8))).toBe(64);
    expect(ageOf('1960-12-09', new Date(2025, 11, 9))).toBe(65);
  });
});
