import {
  DEFAULT_FOLLOW_UP_PROTOCOL, INSTRUMENT_CODES, RESPONDER_PRESETS, ScienceInputError, describeResponderRule, followUpSchedule, instrumentSpec,
  validateResponderRule, type FollowUpProtocol, type ResponderRule,
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

/** Ostelo 2008: a 2-point fall of the back-pain NRS is the minimal important change. */
export const DEFAULT_RESPONDER_RULE: ResponderRule = RESPONDER_PRESETS.osteloNrs2Points.rule;

export interface OutcomeSettings {
  contactText: string | null;
  protocol: FollowUpProtocol;
  baselineInstruments: string[];
  followUpInstruments: string[];
  reminderDays: number[];
  responderRule: ResponderRule;
  /** The rule in words, printed beside every responder figure. */
  responderRuleText: string;
  updatedAt: string | null;
}

/** The clinic's settings with Autolog's defaults filled in (inside or outside a transaction). */
export async function loadOutcomeSettings(db: Kysely<Database> | Trx, clinicId: string): Promise<OutcomeSettings> {
  const row = await db.selectFrom('outcome_settings').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
  const responderRule = fromJson<ResponderRule>(row?.responder_rule_json) ?? DEFAULT_RESPONDER_RULE;
  return {
    contactText: row?.contact_text ?? null,
    protocol: fromJson<FollowUpProtocol>(row?.protocol_json) ?? DEFAULT_FOLLOW_UP_PROTOCOL,
    baselineInstruments: fromJson<string[]>(row?.baseline_instruments_json) ?? [...DEFAULT_INSTRUMENTS.baseline],
    followUpInstruments: fromJson<string[]>(row?.follow_up_instruments_json) ?? [...DEFAULT_INSTRUMENTS.followUp],
    reminderDays: fromJson<number[]>(row?.reminder_days_json) ?? [...DEFAULT_REMINDER_DAYS],
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
  responderRule?: ResponderRule | null;
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
  if (input.responderRule) {
    try {
      validateResponderRule(input.responderRule, 'responderRule');
    } catch (error) {
      if (error instanceof ScienceInputError) throw invalid(error.field, `${error.field} must be ${error.allowed}.`);
      throw error;
    }
  }
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
      responder_rule_json: input.responderRule !== undefined ? toJson(input.responderRule) : toJson(fromJson(current?.responder_rule_json)),
      updated_at: now, updated_by: actor.userId,
    };
    if (current) await trx.updateTable('outcome_settings').set(values).where('clinic_id', '=', actor.clinicId).execute();
    else await trx.insertInto('outcome_settings').values({ clinic_id: actor.clinicId, ...values }).execute();
    const fields = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: current ? 'update' : 'create', entityType: 'outcome_settings', entityId: actor.clinicId, detail: { fields } });
    return loadOutcomeSettings(trx, actor.clinicId);
  });
}
