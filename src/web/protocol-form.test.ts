import { describe, expect, it } from 'vitest';
import { checkProtocol, emptyProtocolValues, protocolProblemErrors, protocolValuesOf, spinRpm, spinsSummary, type ProtocolValues } from './protocol-form.js';
import type { ProtocolVersionView } from './types.js';

function filled(extra: Record<string, string> = {}): ProtocolValues {
  const v = emptyProtocolValues();
  return {
    fields: { ...v.fields, name: 'Lumbar double spin', 'rotor.radiusCm': '10', ...extra },
    spins: [{ rcf: '100', minutes: '15', temperatureC: '' }, { rcf: '1600', minutes: '20', temperatureC: '22' }],
  };
}

describe('protocol editor', () => {
  it('shows the rpm that gives each × g on the rotor (Dhurat 2014: 100 g at 10 cm ≈ 946 rpm)', () => {
    expect(spinRpm('100', '10')).toBe(946);
    expect(spinRpm('1600', '10')).toBe(3783);
    expect(spinRpm('1600', '')).toBeUndefined();
    expect(spinRpm('fast', '10')).toBeUndefined();
  });

  it('builds the spec the API takes, leaving out what is empty', () => {
    const { spec, errors } = checkProtocol(filled({ 'anticoagulant.agent': 'ACD-A', 'anticoagulant.parts': '1', 'anticoagulant.bloodParts': '9', targetVolumeMl: '4' }));
    expect(errors).toEqual({});
    expect(spec).toEqual({
      name: 'Lumbar double spin',
      spins: [{ rcf: 100, minutes: 15 }, { rcf: 1600, minutes: 20, temperatureC: 22 }],
      rotor: { radiusCm: 10, type: 'swing-out' },
      anticoagulant: { agent: 'ACD-A', parts: 1, bloodParts: 9 },
      targetVolumeMl: 4,
    });
  });

  it('names every missing or impossible part at its field', () => {
    const v = filled({ name: '', 'rotor.radiusCm': '0', 'anticoagulant.agent': 'ACD-A', 'tubes.count': '2.5' });
    v.spins = [{ rcf: '100', minutes: '', temperatureC: '' }];
    const { spec, errors } = checkProtocol(v);
    expect(spec).toBeUndefined();
    expect(errors).toMatchObject({
      name: 'Give the protocol a name.',
      'spins[0].minutes': 'Enter how many minutes spin 1 runs.',
      'rotor.radiusCm': 'Rotor radius must be greater than 0.',
      'anticoagulant.parts': 'Enter the parts of anticoagulant (ACD-A 1:9 → 1).',
      'tubes.description': 'Describe the tubes, e.g. 15 mL conical, ACD-A prefilled.',
      'tubes.count': 'Tubes per preparation must be a whole number.',
    });
  });

  it('reads a stored version back into the editor', () => {
    const stored: ProtocolVersionView = {
      protocolId: 'p', versionId: 'v', version: 2, name: 'Soft-hard', description: null, systemId: null, systemName: null,
      spins: [{ rcf: 300, minutes: 5, temperatureC: 12, rpm: 1638 }], rotor: { radiusCm: 10, type: 'fixed-angle' }, centrifuge: 'Bench 17',
      tubes: { description: '10 mL', count: 2 }, anticoagulant: null, drawVolumeMl: 20, targetVolumeMl: null, activation: { agent: 'calcium-chloride' }, notes: null,
      createdAt: '2025-01-01T00:00:00.000Z', createdBy: null,
    };
    const v = protocolValuesOf(stored);
    expect(v.spins).toEqual([{ rcf: '300', minutes: '5', temperatureC: '12' }]);
    expect(checkProtocol(v).spec).toMatchObject({ name: 'Soft-hard', rotor: { radiusCm: 10, type: 'fixed-angle' }, tubes: { description: '10 mL', count: 2 }, activation: { agent: 'calcium-chloride' } });
  });

  it('puts the server’s errors on the editor’s fields, whatever the spin notation', () => {
    const { fields, general } = protocolProblemErrors({
      type: 'x', title: 'x', status: 400, detail: 'x',
      errors: [{ field: 'spins.0.temperatureC', message: 'must be at most 60' }, { field: 'systemId', message: 'systemId "nope" is not in the catalogue of PRP systems.' }],
    });
    expect(fields).toEqual({ 'spins[0].temperatureC': 'Spin 1 temperature (°C) must be at most 60.', systemId: 'Commercial system "nope" is not in the catalogue of PRP systems.' });
    expect(general).toBeUndefined();
    expect(protocolProblemErrors({ type: 'x', title: 'x', status: 409, detail: 'This clinic already has a protocol named "A".', field: 'name' }).fields)
      .toEqual({ name: 'This clinic already has a protocol named "A".' });
  });

  it('summarises spins in one line', () => {
    expect(spinsSummary([{ rcf: 100, minutes: 15 }, { rcf: 1600, minutes: 20, temperatureC: 22 }])).toBe('100 g × 15 min → 1,600 g × 20 min at 22 °C');
  });
});
