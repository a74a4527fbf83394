import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTRAINDICATION_SETTINGS } from '../science/contraindications.js';
import { draftOf, labelled, parseSettingNumber, settingsBody } from './pathway-settings-form.js';
import type { PathwaySettingsView } from './pathway-types.js';

const defaults = { ...DEFAULT_CONTRAINDICATION_SETTINGS, productAgeLimitHours: 4 };
const view = (overrides: Partial<PathwaySettingsView['settings']> = {}): PathwaySettingsView => ({
  settings: { ...defaults, instructionsBeforeText: null, instructionsAfterText: null, ...overrides },
  defaults,
  sources: {},
  updatedAt: null,
});

describe('pathway settings form', () => {
  it('reads typed numbers, with a decimal comma, and nothing else', () => {
    expect(parseSettingNumber(' 7 ')).toBe(7);
    expect(parseSettingNumber('2,5')).toBe(2.5);
    expect(parseSettingNumber('seven')).toBeUndefined();
    expect(parseSettingNumber('7 days')).toBeUndefined();
  });

  it('sends only what changed, and the default as null so the clinic follows it', () => {
    const current = view({ nsaidWashoutDays: 5, instructionsAfterText: 'Call us.' });
    const draft = { ...draftOf(current), nsaidWashoutDays: '3', antiplateletWashoutDays: '12', instructionsAfterText: '  ', instructionsBeforeText: 'Eat lightly.' };
    expect(settingsBody(draft, current)).toEqual({ body: { nsaidWashoutDays: null, antiplateletWashoutDays: 12, instructionsAfterText: null, instructionsBeforeText: 'Eat lightly.' } });
    expect(settingsBody(draftOf(current), current)).toEqual({ body: {} });
  });

  it('sends the findings treated as absolute in the engine\'s order, and none as null', () => {
    const current = view({ escalateToAbsolute: ['anticoagulant'] });
    expect(settingsBody({ ...draftOf(current), escalateToAbsolute: ['tobacco', 'anticoagulant', 'cancer'] }, current))
      .toEqual({ body: { escalateToAbsolute: ['anticoagulant', 'cancer', 'tobacco'] } });
    expect(settingsBody({ ...draftOf(current), escalateToAbsolute: [] }, current)).toEqual({ body: { escalateToAbsolute: null } });
    // Ticked in another order, the same choice is no change.
    const two = view({ escalateToAbsolute: ['cancer', 'anticoagulant'] });
    expect(settingsBody({ ...draftOf(two), escalateToAbsolute: ['anticoagulant', 'cancer'] }, two)).toEqual({ body: {} });
  });

  it('treats an emptied number as the default', () => {
    const current = view({ productAgeLimitHours: 3 });
    expect(settingsBody({ ...draftOf(current), productAgeLimitHours: '' }, current)).toEqual({ body: { productAgeLimitHours: null } });
  });

  it('names every field that is not a number and sends nothing', () => {
    const result = settingsBody({ ...draftOf(view()), nsaidWashoutDays: 'three', haemoglobinRelativeBelowGPerDl: '10 g' }, view());
    expect(result).toEqual({
      errors: {
        fields: {
          nsaidWashoutDays: 'NSAID wash-out before the procedure: enter a whole number (days).',
          haemoglobinRelativeBelowGPerDl: 'Haemoglobin that warns, below: enter a number (g/dL).',
        },
        general: undefined,
      },
    });
  });

  it('puts labels in place of setting keys in the server’s messages', () => {
    const fixed = labelled({ fields: { plateletsAbsoluteBelowKPerUl: 'plateletsAbsoluteBelowKPerUl must be at most the relative threshold (100).' }, general: undefined });
    expect(fixed.fields.plateletsAbsoluteBelowKPerUl).toBe('Platelet count that blocks the procedure, below must be at most the relative threshold (100).');
  });
});
