/**
 * Chain of custody of an autologous blood product: the states a specimen passes through, its
 * identifier, its expiry, and the bedside identity check that stands between a syringe and a
 * patient. Wrong-patient reinjection turns an autologous product into an untested allogeneic one,
 * so the check compares every identifier and reports each one that does not match.
 *
 * Identity: at least two patient identifiers (name, birth date, record number) when collecting
 * specimens and giving blood products, and matching product to patient before administration
 * (Joint Commission NPSG.01.01.01 and NPSG.01.03.01) [V]. Label content for point-of-care
 * autologous products: patient name and ID, component, time, expiry, "for autologous use only"
 * (AABB perioperative standards) [M].
 */
import { ScienceInputError, requireNumber } from './errors.js';
import { requireIsoDate } from './follow-up-schedule-calendar.js';

export const CUSTODY_STATES = ['drawn', 'centrifuged', 'prepared', 'verified', 'injected', 'discarded'] as const;
export type CustodyState = (typeof CUSTODY_STATES)[number];

/** The one path forward, plus discarding from anywhere before injection. */
const NEXT: Record<CustodyState, readonly CustodyState[]> = {
  drawn: ['centrifuged', 'discarded'],
  centrifuged: ['prepared', 'discarded'],
  prepared: ['verified', 'discarded'],
  // A verified product may be verified again (a second clinician, a new scan) before injection.
  verified: ['verified', 'injected', 'discarded'],
  injected: [],
  discarded: [],
};

export function nextCustodyStates(state: CustodyState): readonly CustodyState[] {
  return NEXT[state];
}

export function canMoveCustody(from: CustodyState, to: CustodyState): boolean {
  return NEXT[from].includes(to);
}

/** Products that may still reach a patient. */
export function isOpenCustody(state: CustodyState): boolean {
  return state !== 'injected' && state !== 'discarded';
}

/**
 * The instant a product expires: `limitHours` after the draw (default 4 h: no growth-factor change
 * in whole blood or PRP kept up to 4 h at room temperature — Wilson/Fortier 2018, Am J Orthop) [V].
 */
export function productExpiresAt(drawnAtIso: string, limitHours: number): string {
  const drawnMs = Date.parse(drawnAtIso);
  if (Number.isNaN(drawnMs)) throw new ScienceInputError('drawnAt', 'an ISO-8601 instant');
  requireNumber(limitHours, 'productAgeLimitHours', { min: 0, max: 72, minExclusive: true });
  return new Date(drawnMs + limitHours * 3_600_000).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Specimen codes: 10 random Crockford base-32 symbols (50 bits) and a Luhn mod 32 check symbol.
// Crockford's alphabet has no I, L, O or U, so a code read aloud or typed is hard to get wrong;
// the check symbol catches any single wrong symbol and most swaps of neighbours
// (Luhn mod N, the generalisation of ISO/IEC 7812-1's check digit) [M: standard reference].

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_SYMBOLS = 10;

function luhnCheckSymbol(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(body[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** A new specimen code from at least 7 random bytes (the caller owns the randomness). */
export function specimenCodeFrom(randomBytes: Uint8Array): string {
  if (randomBytes.length < 7) throw new ScienceInputError('randomBytes', 'at least 7 bytes');
  let bits = 0n;
  for (const byte of randomBytes.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let i = 0; i < CODE_SYMBOLS; i++) body += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)]!;
  return body + luhnCheckSymbol(body);
}

/**
 * A scanned or typed code in canonical form (upper case, no separators, I/L read as 1 and O as 0),
 * or null when it is not a well-formed code with a correct check symbol.
 */
export function normaliseSpecimenCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (code.length !== CODE_SYMBOLS + 1 || [...code].some((ch) => !ALPHABET.includes(ch))) return null;
  return luhnCheckSymbol(code.slice(0, CODE_SYMBOLS)) === code[CODE_SYMBOLS] ? code : null;
}

/** For people: `7K4Q9-XMD2W-T`. The barcode carries the canonical form. */
export function formatSpecimenCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5, 10)}-${code.slice(10)}`;
}

// ---------------------------------------------------------------------------------------------
// Bedside verification

export interface BedsideScan {
  /** Scanned from the syringe or tube label (or typed). */
  specimenCode: string;
  /** Scanned from the patient's wristband (or typed). */
  mrn: string;
  /** The second identifier, asked of the patient or read from the wristband. */
  birthDate: string;
}

export interface ExpectedPatient {
  episodeId: string;
  patientId: string;
  mrn: string;
  birthDate: string;
}

export interface SpecimenForCheck {
  episodeId: string;
  patientId: string;
  state: CustodyState;
  expiresAt: string;
}

export type MismatchField = 'specimenCode' | 'mrn' | 'birthDate' | 'specimen.patient' | 'specimen.episode' | 'specimen.state';

export interface Mismatch {
  field: MismatchField;
  message: string;
}

export interface BedsideCheck {
  ok: boolean;
  mismatches: Mismatch[];
  /** The product is past its time limit (blocks unless a clinician overrides with a reason). */
  expired: boolean;
}

function sameMrn(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/**
 * Compares what was scanned at the bedside with the patient and episode the procedure is for.
 * `specimen` is the record the scanned code resolved to, or null when no such specimen exists.
 * Every disagreement is listed; `ok` only when there are none and the product has not expired.
 */
export function checkBedsideIdentity(scan: BedsideScan, expected: ExpectedPatient, specimen: SpecimenForCheck | null, atIso: string): BedsideCheck {
  requireIsoDate(expected.birthDate, 'expected.birthDate');
  const mismatches: Mismatch[] = [];
  if (!sameMrn(scan.mrn, expected.mrn)) {
    mismatches.push({ field: 'mrn', message: `The wristband reads MRN ${scan.mrn.trim() || '(nothing)'}, but this procedure is for MRN ${expected.mrn}.` });
  }
  if (scan.birthDate !== expected.birthDate) {
    mismatches.push({ field: 'birthDate', message: `The birth date given (${scan.birthDate || 'none'}) is not this patient's (${expected.birthDate}).` });
  }
  if (!specimen) {
    mismatches.push({ field: 'specimenCode', message: `No specimen of this clinic has the code ${scan.specimenCode.trim() || '(nothing)'}: do not inject this product.` });
    return { ok: false, mismatches, expired: false };
  }
  if (specimen.patientId !== expected.patientId) {
    mismatches.push({ field: 'specimen.patient', message: 'This product was drawn from a DIFFERENT PATIENT. Do not inject it.' });
  } else if (specimen.episodeId !== expected.episodeId) {
    mismatches.push({ field: 'specimen.episode', message: 'This product belongs to another episode of care of this patient, not to this procedure.' });
  }
  if (specimen.state !== 'prepared' && specimen.state !== 'verified') {
    const why = specimen.state === 'discarded' ? 'was discarded' : specimen.state === 'injected' ? 'has already been injected' : `is not prepared yet (${specimen.state})`;
    mismatches.push({ field: 'specimen.state', message: `This product ${why}.` });
  }
  const expired = Date.parse(atIso) > Date.parse(specimen.expiresAt);
  return { ok: mismatches.length === 0 && !expired, mismatches, expired };
}
