import { describe, expect, it } from 'vitest';
import { canMoveCustody, checkBedsideIdentity, formatSpecimenCode, normaliseSpecimenCode, productExpiresAt, specimenCodeFrom, type ExpectedPatient, type SpecimenForCheck } from './custody.js';
import { expectInputError } from './testing/expect-input-error.js';

const expected: ExpectedPatient = { episodeId: 'e1', patientId: 'p1', mrn: 'MRN-1', birthDate: '1960-12-09' };
const specimen: SpecimenForCheck = { episodeId: 'e1', patientId: 'p1', state: 'prepared', expiresAt: '2026-03-03T13:00:00.000Z' };
const at = '2026-03-03T11:00:00.000Z';
const scan = { specimenCode: 'X', mrn: 'mrn-1 ', birthDate: '1960-12-09' };

describe('custody', () => {
  it('moves only forward, and discards from any open state', () => {
    expect(canMoveCustody('drawn', 'centrifuged')).toBe(true);
    expect(canMoveCustody('drawn', 'prepared')).toBe(false);
    expect(canMoveCustody('prepared', 'injected')).toBe(false);
    expect(canMoveCustody('verified', 'injected')).toBe(true);
    expect(canMoveCustody('centrifuged', 'discarded')).toBe(true);
    expect(canMoveCustody('injected', 'discarded')).toBe(false);
  });

  it('expires a product after the clinic’s limit', () => {
    expect(productExpiresAt('2026-03-03T09:00:00Z', 4)).toBe('2026-03-03T13:00:00.000Z');
    expectInputError(() => productExpiresAt('yesterday', 4), 'drawnAt');
    expectInputError(() => productExpiresAt('2026-03-03T09:00:00Z', 0), 'productAgeLimitHours');
  });

  it('makes codes with a check symbol that catches a wrong symbol and a swap', () => {
    const code = specimenCodeFrom(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
    expect(normaliseSpecimenCode(code)).toBe(code);
    expect(normaliseSpecimenCode(formatSpecimenCode(code).toLowerCase())).toBe(code);
    for (let i = 0; i < 10; i++) {
      const wrong = code.slice(0, i) + (code[i] === '7' ? '8' : '7') + code.slice(i + 1);
      expect(normaliseSpecimenCode(wrong)).toBeNull();
    }
    const swapped = code[0] === code[1] ? null : code[1]! + code[0]! + code.slice(2);
    if (swapped) expect(normaliseSpecimenCode(swapped)).toBeNull();
    expect(normaliseSpecimenCode('not a code')).toBeNull();
    expect(specimenCodeFrom(new Uint8Array(7).fill(255))).not.toBe(code);
  });

  it('passes the bedside check only when every identifier matches', () => {
    expect(checkBedsideIdentity(scan, expected, specimen, at)).toEqual({ ok: true, mismatches: [], expired: false });
  });

  it('names each identifier that does not match', () => {
    const other = checkBedsideIdentity({ ...scan, mrn: 'MRN-2', birthDate: '1961-01-01' }, expected, { ...specimen, patientId: 'p2', episodeId: 'e2' }, at);
    expect(other.ok).toBe(false);
    expect(other.mismatches.map((m) => m.field)).toEqual(['mrn', 'birthDate', 'specimen.patient']);
    expect(other.mismatches[2]!.message).toContain('DIFFERENT PATIENT');
    expect(checkBedsideIdentity(scan, expected, null, at).mismatches.map((m) => m.field)).toEqual(['specimenCode']);
    expect(checkBedsideIdentity(scan, expected, { ...specimen, episodeId: 'e9' }, at).mismatches.map((m) => m.field)).toEqual(['specimen.episode']);
    expect(checkBedsideIdentity(scan, expected, { ...specimen, state: 'discarded' }, at).mismatches[0]!.message).toContain('discarded');
  });

  it('blocks an expired product separately from identity', () => {
    const late = checkBedsideIdentity(scan, expected, specimen, '2026-03-03T13:00:01.000Z');
    expect(late).toEqual({ ok: false, mismatches: [], expired: true });
  });
});
