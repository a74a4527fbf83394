import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RCF_PER_CM_RPM2, rcfFromRpm, rpmFromRcf } from './centrifuge.js';
import { ScienceInputError } from './errors.js';

describe('rcfFromRpm', () => {
  it('gives about 1,006 × g at 3,000 rpm on a 10 cm rotor (preparation.md worked example)', () => {
    expect(rcfFromRpm(3000, 10)).toBeCloseTo(1006.2, 1);
  });

  it('matches the physical constant (2π/60)² / 980.665 to 4 significant digits', () => {
    expect(RCF_PER_CM_RPM2).toBeCloseTo((2 * Math.PI / 60) ** 2 / 980.665, 8);
  });

  it('is 0 for a rotor at rest', () => {
    expect(rcfFromRpm(0, 15)).toBe(0);
  });

  it('rejects a negative speed and a non-positive radius, naming the field', () => {
    expect(() => rcfFromRpm(-1, 10)).toThrow(ScienceInputError);
    expect(() => rcfFromRpm(1000, 0)).toThrow(/radiusCm/);
    expect(() => rcfFromRpm(Number.NaN, 10)).toThrow(/rpm/);
  });
});

describe('rpmFromRcf', () => {
  it('needs about 2,400 rpm for 1,500 × g on a 23 cm swing-out rotor', () => {
    expect(rpmFromRcf(1500, 23)).toBeCloseTo(Math.sqrt(1500 / (1.118e-5 * 23)), 6);
    expect(Math.round(rpmFromRcf(1500, 23))).toBe(2415);
  });

  it('rejects a negative force', () => {
    try {
      rpmFromRcf(-5, 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScienceInputError);
      expect((error as ScienceInputError).field).toBe('rcf');
    }
  });
});

describe('centrifuge properties', () => {
  const radius = fc.double({ min: 1, max: 40, noNaN: true });
  const rpm = fc.double({ min: 100, max: 20_000, noNaN: true });

  it('round-trips rpm → rcf → rpm', () => {
    fc.assert(fc.property(rpm, radius, (r, cm) => Math.abs(rpmFromRcf(rcfFromRpm(r, cm), cm) - r) <= 1e-9 * r));
  });

  it('grows with speed and with radius', () => {
    fc.assert(
      fc.property(rpm, radius, fc.double({ min: 1.01, max: 3, noNaN: true }), (r, cm, k) => {
        return rcfFromRpm(r * k, cm) > rcfFromRpm(r, cm) && rcfFromRpm(r, cm * k) > rcfFromRpm(r, cm);
      }),
    );
  });

  it('quadruples when the speed doubles', () => {
    fc.assert(fc.property(rpm, radius, (r, cm) => Math.abs(rcfFromRpm(2 * r, cm) / rcfFromRpm(r, cm) - 4) < 1e-9));
  });
});
