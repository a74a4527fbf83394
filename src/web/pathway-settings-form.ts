import { ESCALATABLE_CODES, type EscalatableCode } from '../science/contraindications.js';
import type { FormErrors } from './forms.js';
import type { PathwaySettingsView } from './pathway-types.js';

/**
 * The numbers of the pathway settings page: the contraindication engine's wash-outs and
 * thresholds and the product time limit, each with its unit. The ranges are the server's
 * (PUT /api/v1/pathway-settings); the page only checks that a number was typed.
 */

export type NumericSetting =
  | 'nsaidWashoutDays' | 'nsaidResumeDaysAfter' | 'antiplateletWashoutDays' | 'anticoagulantWashoutDays' | 'systemicSteroidWashoutDays'
  | 'steroidInjectionWashoutDays' | 'spineSurgeryWithinDays' | 'plateletsAbsoluteBelowKPerUl' | 'plateletsRelativeBelowKPerUl'
  | 'haemoglobinRelativeBelowGPerDl' | 'labsMaxAgeDays' | 'productAgeLimitHours';

export interface SettingField {
  key: NumericSetting;
  label: string;
  unit: string;
  /** Whole numbers only (the days). */
  whole: boolean;
  hint: string;
  group: 'washout' | 'threshold' | 'product';
}

export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'nsaidWashoutDays', label: 'NSAID wash-out before the procedure', unit: 'days', whole: true, group: 'washout', hint: 'Anti-inflammatory painkillers (ibuprofen, naproxen…) impair the platelets that will be concentrated.' },
  { key: 'nsaidResumeDaysAfter', label: 'NSAIDs allowed again after the procedure', unit: 'days', whole: true, group: 'washout', hint: 'Used in the instructions only.' },
  { key: 'antiplateletWashoutDays', label: 'Antiplatelet wash-out', unit: 'days', whole: true, group: 'washout', hint: 'Only if the prescriber agrees.' },
  { key: 'anticoagulantWashoutDays', label: 'Anticoagulant wash-out', unit: 'days', whole: true, group: 'washout', hint: 'Drug-specific; agreed with the prescriber.' },
  { key: 'systemicSteroidWashoutDays', label: 'No systemic steroids within', unit: 'days', whole: true, group: 'washout', hint: 'Tablets or injections acting on the whole body.' },
  { key: 'steroidInjectionWashoutDays', label: 'No steroid injection at the site within', unit: 'days', whole: true, group: 'washout', hint: 'A corticosteroid injection at the level to be treated.' },
  { key: 'spineSurgeryWithinDays', label: 'No spine surgery within', unit: 'days', whole: true, group: 'washout', hint: 'Recent surgery at the spine is a relative contraindication.' },
  { key: 'plateletsAbsoluteBelowKPerUl', label: 'Platelet count that blocks the procedure, below', unit: '× 10³/µL', whole: false, group: 'threshold', hint: 'Critical thrombocytopenia blocks the eligible decision.' },
  { key: 'plateletsRelativeBelowKPerUl', label: 'Platelet count that warns, below', unit: '× 10³/µL', whole: false, group: 'threshold', hint: 'At least the absolute threshold.' },
  { key: 'haemoglobinRelativeBelowGPerDl', label: 'Haemoglobin that warns, below', unit: 'g/dL', whole: false, group: 'threshold', hint: 'Anaemia is a relative contraindication.' },
  { key: 'labsMaxAgeDays', label: 'Blood counts valid for', unit: 'days', whole: true, group: 'threshold', hint: 'Counted back from the planned procedure date.' },
  { key: 'productAgeLimitHours', label: 'Product time limit, draw to injection', unit: 'hours', whole: false, group: 'product', hint: 'Past it the bedside check blocks the injection unless a clinician overrides it with a reason.' },
];

export const INSTRUCTION_TEXT_MAX = 1000;

/** The relative findings a clinic may treat as absolute, in the words of the settings page. */
export const ESCALATION_LABELS: Record<EscalatableCode, string> = {
  thrombocytopenia: 'Low platelet count (below the warning threshold)',
  anaemia: 'Anaemia (haemoglobin below the warning threshold)',
  'labs-missing': 'No blood counts recorded',
  'labs-old': 'Blood counts older than allowed',
  nsaid: 'NSAID inside its wash-out',
  antiplatelet: 'Antiplatelet inside its wash-out',
  anticoagulant: 'Anticoagulant inside its wash-out',
  'systemic-steroid': 'Systemic steroid inside its wash-out',
  'steroid-injection': 'Steroid injection at the site inside its wash-out',
  'recent-fever-or-illness': 'Recent fever or illness',
  cancer: 'Cancer (history or active)',
  tobacco: 'Tobacco use',
  breastfeeding: 'Breastfeeding',
  'contrast-allergy': 'Contrast allergy',
  'recent-spine-surgery': 'Recent spine surgery',
  'inflammatory-arthritis': 'Inflammatory arthritis',
  'disc-extrusion': 'Disc extrusion or sequestration',
};

export type SettingsDraft = Record<NumericSetting, string> & { instructionsBeforeText: string; instructionsAfterText: string; escalateToAbsolute: EscalatableCode[] };

const settingsOf = (view: PathwaySettingsView) => view.settings as unknown as Record<string, unknown>;
const defaultsOf = (view: PathwaySettingsView) => view.defaults as unknown as Record<string, unknown>;

/** The value of a field as typed in the form (numbers as the server gave them). */
export function draftOf(view: PathwaySettingsView): SettingsDraft {
  const s = settingsOf(view);
  const numbers = Object.fromEntries(SETTING_FIELDS.map((f) => [f.key, String(s[f.key] ?? '')])) as Record<NumericSetting, string>;
  return {
    ...numbers,
    instructionsBeforeText: view.settings.instructionsBeforeText ?? '',
    instructionsAfterText: view.settings.instructionsAfterText ?? '',
    escalateToAbsolute: [...(view.settings.escalateToAbsolute as EscalatableCode[])],
  };
}

export function defaultOf(view: PathwaySettingsView, key: NumericSetting): number {
  return Number(defaultsOf(view)[key]);
}

/** A typed number: "7", " 2.5 ", "2,5" (a decimal comma); undefined for anything else. */
export function parseSettingNumber(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * The PUT body: only what changed. A value equal to Autolog's default is sent as null, so the
 * clinic follows the default (and any better default later) rather than a copy of it.
 */
export function settingsBody(draft: SettingsDraft, view: PathwaySettingsView): { body: Record<string, number | string | string[] | null> } | { errors: FormErrors } {
  const s = settingsOf(view);
  const body: Record<string, number | string | string[] | null> = {};
  const fields: Record<string, string> = {};
  for (const f of SETTING_FIELDS) {
    const text = draft[f.key];
    const value = text.trim() === '' ? defaultOf(view, f.key) : parseSettingNumber(text);
    if (value === undefined) {
      fields[f.key] = `${f.label}: enter ${f.whole ? 'a whole number' : 'a number'} (${f.unit}).`;
      continue;
    }
    if (value === defaultOf(view, f.key)) {
      if (s[f.key] !== value) body[f.key] = null;
    } else if (value !== s[f.key]) {
      body[f.key] = value;
    }
  }
  if (Object.keys(fields).length > 0) return { errors: { fields, general: undefined } };
  for (const key of ['instructionsBeforeText', 'instructionsAfterText'] as const) {
    const text = draft[key].trim();
    if (text !== (view.settings[key] ?? '')) body[key] = text === '' ? null : text;
  }
  // In the engine's order, so the same choice is never sent as a change; none = Autolog's default.
  const escalate = ESCALATABLE_CODES.filter((c) => draft.escalateToAbsolute.includes(c));
  const stored = ESCALATABLE_CODES.filter((c) => (view.settings.escalateToAbsolute as string[]).includes(c));
  if (escalate.join() !== stored.join()) body.escalateToAbsolute = escalate.length === 0 ? null : escalate;
  return { body };
}

/** Server messages name the setting by its key (`nsaidWashoutDays must be…`); the form says its label. */
export function labelled(errors: FormErrors): FormErrors {
  const fix = (text: string) => SETTING_FIELDS.reduce((t, f) => t.replace(new RegExp(`\\b${f.key}\\b`, 'g'), f.label), text);
  return { fields: Object.fromEntries(Object.entries(errors.fields).map(([k, v]) => [k, fix(v)])), general: errors.general && fix(errors.general) };
}
