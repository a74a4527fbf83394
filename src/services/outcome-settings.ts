import {
  DEFAULT_FOLLOW_UP_PROTOCOL, INSTRUMENTS, INSTRUMENT_CODES, ScienceInputError, describeResponderRule, followUpSchedule, instrumentSpec,
  responderInstruments, validateResponderRule, type FollowUpProtocol, type ResponderRule,
} from '../science/index.js';
import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../store/json.js';
import type { Database } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { invalid } from './errors.js';
import { assertCan } from './permissions.js';

/**
 * Reminder emails after the invitation, in days from the invitation (outcomes.md §4: "2–3
 * reminders (~days 3, 7, 14), then a phone worklist"). A clinic setting; this is the default.
 */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [3, 7, 14];

/**
 * What is asked at baseline and at each follow-up (ICHOM LBP set: back and leg pain NRS, ODI;
 * PEG as a short pain-interference measure; STarT Back once, at baseline, for case mix; PGIC at
 * follow-up only). An instrument whose wording the clinic has not imported (the ODI) is skipped.
 */
export const DEFAULT_INSTRUMENTS = {
  baseline: [INSTRUMENT_CODES.nrsBack, INSTRUMENT_CODES.nrsLeg, INSTRUMENT_CODES.odi, INSTRUMENT_CODES.peg, INSTRUMENT_CODES.startBack],
  followUp: [INSTRUMENT_CODES.nrsBack, INSTRUMENT_CODES.nrsLeg, INSTRUMENT_CODES.odi, INSTRUMENT_CODES.peg, INSTRUMENT_CODES.pgic],
} as const;

/** Instrument code → the responder rule applied to it: one responder figure per entry. */
export type ResponderRules = Readonly<Record<string, ResponderRule>>;

const pointsOrPercent = (instrument: string, points: number): ResponderRule => ({
  kind: 'any', rules: [{ kind: 'absolute', instrument, points, direction: 'decrease' }, { kind: 'percent', instrument, percent: 30 }],
});

/**
 * Autolog's default responder rules, one per instrument with an established minimal important
 * change — Ostelo 2008 (Spine) consensus: NRS 2 points, ODI 10 points, or a 30 % improvement from
 * baseline; Farrar 2001: about 2 NRS points or about 30 % matched "much improved" on the PGIC.
 * PEG and PGIC have no default (a clinic may add one).
 */
const DEFAULT_RESPONDER_RULES: ResponderRules = {
  [INSTRUMENT_CODES.nrsBack]: pointsOrPercent(INSTRUMENT_CODES.nrsBack, 2),
  [INSTRUMENT_CODES.nrsLeg]: pointsOrPercent(INSTRUMENT_CODES.nrsLeg, 2),
  [INSTRUMENT_CODES.odi]: pointsOrPercent(INSTRUMENT_CODES.odi, 10),
};

/** The back-pain NRS rule: the rule of the patient's chart and of clients that know one rule only. */
const DEFAULT_RESPONDER_RULE: ResponderRule = DEFAULT_RESPONDER_RULES[INSTRUMENT_CODES.nrsBack]!;

export interface ResponderRuleEntry {
  instrument: string;
  rule: ResponderRule;
  /** the rule in words, printed beside its figure */
  text: string;
}

/** The map as an ordered list (instruments in Autolog's order), each rule with its words. */
export function responderRuleEntries(rules: ResponderRules): ResponderRuleEntry[] {
  const order = Object.keys(INSTRUMENTS);
  return Object.entries(rules).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([instrument, rule]) => ({ instrument, rule, text: describeResponderRule(rule) }));
}

/**
 * The stored map; a clinic that chose one rule before rules were per instrument keeps it, as the
 * rule of the first instrument it reads, beside the defaults for the others.
 */
function storedResponderRules(mapJson: unknown, legacyJson: unknown): ResponderRules {
  const map = fromJson<Record<string, ResponderRule>>(mapJson);
  if (map) return map;
  const legacy = fromJson<ResponderRule>(legacyJson);
  if (!legacy) return DEFAULT_RESPONDER_RULES;
  return { ...DEFAULT_RESPONDER_RULES, [responderInstruments(legacy)[0]!]: legacy };
}

export interface OutcomeSettings {
  contactText: string | null;
  protocol: FollowUpProtocol;
  baselineInstruments: string[];
  followUpInstruments: string[];
  reminderDays: number[];
  /** instrument code → responder rule; the summary shows one responder figure per entry */
  responderRules: ResponderRules;
  /** the same map as a list in instrument order, each rule in words */
  responderRuleList: ResponderRuleEntry[];
  /** the first rule of the list (the back-pain NRS by default): the patient chart's rule */
  responderRule: ResponderRule;
  responderRuleText: string;
  updatedAt: string | null;
}

/** The clinic's settings with Autolog's defaults filled in (inside or outside a transaction). */
export async function loadOutcomeSettings(db: Kysely<Database> | Trx, clinicId: string): Promise<OutcomeSettings> {
  const row = await db.selectFrom('outcome_settings').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
  const responderRules = storedResponderRules(row?.responder_rules_json, row?.responder_rule_json);
  const responderRuleList = responderRuleEntries(responderRules);
  const responderRule = responderRuleList[0]?.rule ?? DEFAULT_RESPONDER_RULE;
  return {
    contactText: row?.contact_text ?? null,
    protocol: fromJson<FollowUpProtocol>(row?.protocol_json) ?? DEFAULT_FOLLOW_UP_PROTOCOL,
    baselineInstruments: fromJson<string[]>(row?.baseline_instruments_json) ?? [...DEFAULT_INSTRUMENTS.baseline],
    followUpInstruments: fromJson<string[]>(row?.follow_up_instruments_json) ?? [...DEFAULT_INSTRUMENTS.followUp],
    reminderDays: fromJson<number[]>(row?.reminder_days_json) ?? [...DEFAULT_REMINDER_DAYS],
    responderRules,
    responderRuleList,
    responderRule,
    responderRuleText: describeResponderRule(responderRule),
    updatedAt: row?.updated_at ?? null,
  };
}

export async function getOutcomeSettings(services: Services, actor: Actor): Promise<OutcomeSettings> {
  assertCan(actor, 'outcome:read');
  return loadOutcomeSettings(services.store.db, actor.clinicId);
}

export interface OutcomeSettingsUpdate {
  contactText?: string | null;
  protocol?: FollowUpProtocol | null;
  baselineInstruments?: string[] | null;
  followUpInstruments?: string[] | null;
  reminderDays?: number[] | null;
  /** instrument code → rule; the whole map is replaced (null: Autolog's defaults) */
  responderRules?: Record<string, ResponderRule> | null;
}

/** Each entry: an outcome instrument, a valid rule, and a rule that reads that instrument's score. */
function checkResponderRules(rules: Record<string, ResponderRule>): void {
  const codes = Object.keys(rules);
  if (codes.length === 0) throw invalid('responderRules', 'Give a responder rule for at least one instrument.');
  for (const code of codes) {
    const field = `responderRules.${code}`;
    const spec = (INSTRUMENTS as Record<string, { outcome: boolean } | undefined>)[code];
    if (!spec || !spec.outcome) throw invalid(field, `"${code}" is not an outcome instrument: use ${Object.values(INSTRUMENTS).filter((i) => i.outcome).map((i) => i.code).join(', ')}.`);
    try {
      validateResponderRule(rules[code], field);
    } catch (error) {
      if (error instanceof ScienceInputError) throw invalid(error.field, `${error.field} must be ${error.allowed}.`);
      throw error;
    }
    if (!responderInstruments(rules[code]!).includes(code)) throw invalid(field, `The rule listed under ${code} must read the ${code} score.`);
  }
}

function checkInstruments(codes: string[], field: string): void {
  codes.forEach((code, i) => {
    try {
      instrumentSpec(code, `${field}[${i}]`);
    } catch (error) {
      if (error instanceof ScienceInputError) throw invalid(error.field, `Unknown instrument "${code}": use ${error.allowed}.`);
      throw error;
    }
  });
  if (new Set(codes).size !== codes.length) throw invalid(field, 'An instrument is listed twice.');
}

/**
 * Changes the clinic's outcome settings (null resets one to the default). A new protocol applies
 * to schedules attached from now on; schedules already attached keep the copy they were made with.
 */
export async function updateOutcomeSettings(services: Services, actor: Actor, input: OutcomeSettingsUpdate): Promise<OutcomeSettings> {
  assertCan(actor, 'clinic:manage');
  if (input.protocol) {
    try {
      followUpSchedule('2000-01-01', input.protocol);
    } catch (error) {
      if (error instanceof ScienceInputError) throw invalid(error.field.replace(/^protocol/, 'protocol'), `The protocol is not valid: ${error.field} must be ${error.allowed}.`);
      throw error;
    }
  }
  if (input.baselineInstruments) checkInstruments(input.baselineInstruments, 'baselineInstruments');
  if (input.followUpInstruments) checkInstruments(input.followUpInstruments, 'followUpInstruments');
  if (input.reminderDays) {
    const days = input.reminderDays;
    if (days.some((d, i) => i > 0 && d <= days[i - 1]!)) throw invalid('reminderDays', 'Reminder days must increase (for example 3, 7, 14).');
  }
  if (input.responderRules) checkResponderRules(input.responderRules);
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const now = nowIso();
    const current = await trx.selectFrom('outcome_settings').selectAll().where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    const values = {
      contact_text: input.contactText !== undefined ? (input.contactText?.trim() || null) : (current?.contact_text ?? null),
      protocol_json: input.protocol !== undefined ? toJson(input.protocol) : toJson(fromJson(current?.protocol_json)),
      baseline_instruments_json: input.baselineInstruments !== undefined ? toJson(input.baselineInstruments) : toJson(fromJson(current?.baseline_instruments_json)),
      follow_up_instruments_json: input.followUpInstruments !== undefined ? toJson(input.followUpInstruments) : toJson(fromJson(current?.follow_up_instruments_json)),
      reminder_days_json: input.reminderDays !== undefined ? toJson(input.reminderDays) : toJson(fromJson(current?.reminder_days_json)),
      // A reset of the rules (null) also forgets a single rule chosen before rules were per instrument.
      responder_rule_json: input.responderRules === null ? null : toJson(fromJson(current?.responder_rule_json)),
      responder_rules_json: input.responderRules !== undefined ? toJson(input.responderRules) : toJson(fromJson(current?.responder_rules_json)),
      updated_at: now, updated_by: actor.userId,
    };
    if (current) await trx.updateTable('outcome_settings').set(values).where('clinic_id', '=', actor.clinicId).execute();
    else await trx.insertInto('outcome_settings').values({ clinic_id: actor.clinicId, ...values }).execute();
    const fields = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: current ? 'update' : 'create', entityType: 'outcome_settings', entityId: actor.clinicId, detail: { fields } });
    return loadOutcomeSettings(trx, actor.clinicId);
  });
}
