import { describe, expect, it } from 'vitest';
import type { PreparationRecord } from './preparation-types.js';
import {
  checkPreparationRecord,
  evaluatePreparation,
  prefillFromProtocol,
  protocolErrors,
  protocolSpinSettings,
  toPreparationInput,
  type PreparationProtocol,
} from './preparation-record.js';

/** A complete manual double-spin preparation (Muthu 2022-like: 100 g then 1,600 g). */
const doubleSpin: PreparationRecord = {
  wholeBlood: { plateletsKPerUl: 200, volumeMl: 27, wbcKPerUl: 6, neutrophilsKPerUl: 3.6, rbcMPerUl: 4.6, hematocritPct: 42 },
  prp: { plateletsKPerUl: 1280, volumeMl: 4, wbcKPerUl: 1.2, neutrophilsKPerUl: 0.2, rbcMPerUl: 0.02, hematocritPct: 0.2 },
  anticoagulant: { agent: 'ACD-A', volumeMl: 3 },
  spins: [{ rcf: 100, minutes: 15, temperatureC: 22 }, { rcf: 1600, minutes: 20, temperatureC: 22 }],
  activation: { agent: 'none' },
  injectedVolumeMl: 3,
  method: 'manual',
  form: 'liquid',
  imageGuided: true,
};

const protocol: PreparationProtocol = {
  name: 'Lumbar double spin',
  version: 2,
  spins: [{ rcf: 100, minutes: 15, temperatureC: 22 }, { rcf: 1600, minutes: 20, temperatureC: 22 }],
  rotor: { radiusCm: 10, type: 'swing-out' },
  anticoagulant: { agent: 'ACD-A', parts: 1, bloodParts: 9 },
};

describe('evaluatePreparation', () => {
  it('computes metrics and all six classifications of a complete double-spin record', () => {
    const result = evaluatePreparation(doubleSpin);
    expect(result.errors).toEqual([]);
    expect(result.metrics!.concentrationFactor).toBeCloseTo(6.4, 10);
    // 1,280 × 10³/µL × 3 mL / 1,000 = 3.84 × 10⁹ (Magalon 2016 dose).
    expect(result.metrics!.plateletDoseBillion).toBeCloseTo(3.84, 10);
    // (1,280 × 4) / (200 × 27) = 94.8 %.
    expect(result.metrics!.recoveryPercent).toBeCloseTo(94.81, 2);
    expect(result.classifications!.paw.code).toBe('P4-Bβ');
    expect(result.classifications!.depa.code).toBe('B-A-A-none');
    expect(result.classifications!.mishra.code).toBe('3A');
    expect(result.classifications!.dohanEhrenfest.family).toBe('P-PRP');
    expect(result.classifications!.marspill.code).not.toBeNull();
    expect(result.classifications!.plra.code).not.toBeNull();
    expect(result.completeness.percent).toBeGreaterThan(40);
    expect(result.warnings).toEqual([]);
  });

  it('keeps metrics empty until the four core values exist, but still scores completeness', () => {
    const result = evaluatePreparation({ wholeBlood: { plateletsKPerUl: 230, volumeMl: 27 }, anticoagulant: { agent: 'ACD-A', volumeMl: 3 } });
    expect(result.errors).toEqual([]);
    expect(result.metrics).toBeNull();
    expect(result.classifications).toBeNull();
    expect(result.missingForMetrics).toEqual(['prp.plateletsKPerUl', 'prp.volumeMl']);
    expect(result.completeness.present).toEqual(expect.arrayContaining(['draw-volume', 'anticoagulant', 'platelets-blood']));
  });

  it('rejects a count in the wrong unit with the conversion, and reports every bad field at once', () => {
    const { errors } = checkPreparationRecord({ wholeBlood: { plateletsKPerUl: 245000, volumeMl: -1 }, prp: { wbcKPerUl: 8, neutrophilsKPerUl: 9 } });
    expect(errors.map((e) => e.field)).toEqual(['wholeBlood.plateletsKPerUl', 'prp.neutrophilsKPerUl', 'wholeBlood.volumeMl']);
    expect(errors[0]!.message).toContain('did you mean 245 × 10³/µL');
    const result = evaluatePreparation({ ...doubleSpin, prp: { ...doubleSpin.prp, volumeMl: 40 } });
    expect(result.errors.map((e) => e.field)).toEqual(['prp.volumeMl']);
    expect(result.metrics).toBeNull();
  });

  it('warns about a concentration factor below 1 and an implausible baseline', () => {
    const result = evaluatePreparation({ ...doubleSpin, wholeBlood: { ...doubleSpin.wholeBlood, plateletsKPerUl: 80 }, prp: { ...doubleSpin.prp, plateletsKPerUl: 70 } });
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['baseline-platelets-low', 'concentration-factor-below-1']));
    expect(new Set(result.warnings.map((w) => `${w.code}${w.field}`)).size).toBe(result.warnings.length);
  });

  it('flags bupivacaine mixed into the PRP, and lidocaine above 1:1', () => {
    const bupi = evaluatePreparation({ ...doubleSpin, localAnaesthetic: { agent: 'Bupivacaine 0.5 %', mixedWithPrp: true } });
    expect(bupi.warnings).toEqual([expect.objectContaining({ code: 'anaesthetic-bupivacaine', field: 'localAnaesthetic.agent' })]);
    expect(evaluatePreparation({ ...doubleSpin, localAnaesthetic: { agent: 'bupivacaine', mixedWithPrp: false } }).warnings).toEqual([]);
    const lido = evaluatePreparation({ ...doubleSpin, localAnaesthetic: { agent: 'lidocaine 1 %', mixedWithPrp: true, volumeMl: 6 } });
    expect(lido.warnings).toEqual([expect.objectContaining({ code: 'anaesthetic-ratio', field: 'localAnaesthetic.volumeMl' })]);
  });

  it('warns when the product is older than the limit at injection, naming the field the time came from', () => {
    const drawnAtMs = Date.parse('2026-03-02T08:00:00Z');
    const late = evaluatePreparation(doubleSpin, { drawnAtMs, productAtMs: drawnAtMs + 4.5 * 3_600_000, productAtField: 'injectedAt' });
    expect(late.productAgeHours).toBe(4.5);
    expect(late.warnings).toEqual([expect.objectContaining({ code: 'product-age', field: 'injectedAt' })]);
    expect(evaluatePreparation(doubleSpin, { drawnAtMs, productAtMs: drawnAtMs + 4.5 * 3_600_000, productAgeLimitHours: 6 }).warnings).toEqual([]);
    const before = evaluatePreparation(doubleSpin, { drawnAtMs, productAtMs: drawnAtMs - 60_000, productAtField: 'preparedAt' });
    expect(before.errors).toEqual([expect.objectContaining({ field: 'preparedAt' })]);
  });
});

describe('protocols', () => {
  it('pre-fills spins, the anticoagulant volume from the ratio, method and protocol name, never measured values', () => {
    const filled = prefillFromProtocol({ wholeBlood: { volumeMl: 27 } }, protocol);
    expect(filled.spins).toEqual(protocol.spins);
    expect(filled.anticoagulant).toEqual({ agent: 'ACD-A', volumeMl: 3 });
    expect(filled.method).toBe('manual');
    expect(filled.system).toEqual({ protocol: 'Lumbar double spin v2' });
    expect(filled.prp).toBeUndefined();
    expect(toPreparationInput(filled).input).toBeNull();
    const typed = prefillFromProtocol({ spins: [{ rcf: 120, minutes: 15 }], anticoagulant: { agent: 'sodium citrate 3.2 %' } }, protocol);
    expect(typed.spins).toEqual([{ rcf: 120, minutes: 15 }]);
    expect(typed.anticoagulant).toEqual({ agent: 'sodium citrate 3.2 %' });
    const kit = prefillFromProtocol({}, { ...protocol, systemId: 'zimmer-biomet-mini-gps-iii' });
    expect(kit.method).toBe('device');
    expect(kit.system!.name).toBe('Mini GPS III');
  });

  it('gives the rpm for each spin on the clinic rotor', () => {
    // RCF = 1.118e-5 × r × rpm² (Dhurat 2014): 3,000 rpm at 10 cm ≈ 1,006 × g.
    expect(protocolSpinSettings([{ rcf: 1006.2, minutes: 10 }], 10)[0]!.rpm).toBe(3000);
    expect(protocolSpinSettings(protocol.spins, 10).map((s) => s.rpm)).toEqual([946, 3783]);
  });

  it('reports every problem of a protocol with its field', () => {
    expect(protocolErrors(protocol)).toEqual([]);
    const errors = protocolErrors({ ...protocol, name: ' ', spins: [{ rcf: 0, minutes: 10 }], rotor: { radiusCm: 0, type: 'swing-out' }, systemId: 'nope' });
    expect(errors.map((e) => e.field)).toEqual(['name', 'rotor.radiusCm', 'spins[0].rcf', 'systemId']);
  });
});
