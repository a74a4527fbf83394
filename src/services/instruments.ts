import type { Kysely } from 'kysely';
import {
  BUILT_IN_WORDING_VERSION, INSTRUMENTS, ODI_LICENCE_NOTE, ScienceInputError, canonicaliseQuestionnaire, instrumentSpec, recallPeriodOf,
  type InstrumentSpec, type Questionnaire,
} from '../science/index.js';
import { fromJson, toJson } from '../store/json.js';
import type { Database } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { ServiceError, invalid } from './errors.js';
import { newId } from './ids.js';
import { assertCan } from './permissions.js';

/** An instrument as the clinic can use it now: the built-in wording or its imported copy. */
export interface ResolvedInstrument {
  code: string;
  spec: InstrumentSpec;
  questionnaire: Questionnaire;
  version: string;
  /** the imported copy's row, or null for Autolog's wording */
  instrumentId: string | null;
  /** when the imported copy was imported, or null for Autolog's wording */
  importedAt: string | null;
  recallPeriod: string | null;
}

/**
 * Every instrument the clinic can ask, by code: an imported copy wins over Autolog's wording
 * (a clinic with Keele's licence can ask the validated STarT Back); the ODI exists only once imported.
 */
export async function activeInstruments(db: Kysely<Database>, clinicId: string): Promise<Map<string, ResolvedInstrument>> {
  const imported = await db.selectFrom('instrument').select(['id', 'code', 'version', 'questionnaire_json', 'imported_at']).where('clinic_id', '=', clinicId).where('active', '=', 1).execute();
  const out = new Map<string, ResolvedInstrument>();
  for (const spec of Object.values(INSTRUMENTS)) {
    const row = imported.find((r) => r.code === spec.code);
    if (row) {
      const questionnaire = fromJson<Questionnaire>(row.questionnaire_json)!;
      out.set(spec.code, { code: spec.code, spec, questionnaire, version: row.version, instrumentId: row.id, importedAt: row.imported_at, recallPeriod: recallPeriodOf(questionnaire) });
    } else if (spec.questionnaire) {
      out.set(spec.code, { code: spec.code, spec, questionnaire: spec.questionnaire, version: BUILT_IN_WORDING_VERSION, instrumentId: null, importedAt: null, recallPeriod: recallPeriodOf(spec.questionnaire) });
    }
  }
  return out;
}

export interface InstrumentView {
  code: string;
  title: string;
  wording: 'built-in' | 'import-required';
  /** true when patients can be asked it now (built-in wording, or an imported copy) */
  available: boolean;
  source: 'built-in' | 'imported' | null;
  version: string | null;
  importedAt: string | null;
  outcome: boolean;
  scoreMin: number;
  scoreMax: number;
  higherIsWorse: boolean;
  licence: string;
  /** how many questions the structure expects (the ODI: 10 sections of 6 statements) */
  questions: number;
}

export async function listInstruments(services: Services, actor: Actor): Promise<InstrumentView[]> {
  assertCan(actor, 'outcome:read');
  const active = await activeInstruments(services.store.db, actor.clinicId);
  return Object.values(INSTRUMENTS).map((spec) => {
    const resolved = active.get(spec.code);
    return {
      code: spec.code, title: spec.title, wording: spec.wording, available: Boolean(resolved),
      source: resolved ? (resolved.instrumentId ? 'imported' : 'built-in') : null, version: resolved?.version ?? null, importedAt: resolved?.importedAt ?? null,
      outcome: spec.outcome, scoreMin: spec.scoreMin, scoreMax: spec.scoreMax, higherIsWorse: spec.higherIsWorse, licence: spec.licence, questions: spec.structure.length,
    };
  });
}

/** The Questionnaire patients see for `code` (FHIR JSON, canonical linkIds). */
export async function getInstrumentQuestionnaire(services: Services, actor: Actor, code: string): Promise<Questionnaire> {
  assertCan(actor, 'outcome:read');
  const spec = INSTRUMENTS[code];
  if (!spec) throw new ServiceError('not-found', `There is no instrument with the code "${code}". Known codes: ${Object.keys(INSTRUMENTS).join(', ')}.`);
  const resolved = (await activeInstruments(services.store.db, actor.clinicId)).get(code);
  if (!resolved) throw new ServiceError('not-found', `${spec.title} has not been imported yet. ${ODI_LICENCE_NOTE}`);
  return resolved.questionnaire;
}

export interface InstrumentImport {
  code: string;
  questionnaire: unknown;
  licenceNote?: string | null;
}

/**
 * Imports the clinic's licensed copy of an instrument (a FHIR Questionnaire JSON document): checks
 * it against the instrument's structure, maps its linkIds and answer options, and makes it the
 * copy patients are asked from now on. Earlier copies stay for the responses that used them.
 */
export async function importInstrument(services: Services, actor: Actor, input: InstrumentImport): Promise<InstrumentView> {
  assertCan(actor, 'instrument:manage');
  let spec: InstrumentSpec;
  try {
    spec = instrumentSpec(input.code, 'code');
  } catch {
    throw invalid('code', `Unknown instrument "${input.code}". Known codes: ${Object.keys(INSTRUMENTS).join(', ')}.`);
  }
  let canonical;
  try {
    canonical = canonicaliseQuestionnaire(spec.code, input.questionnaire);
  } catch (error) {
    if (error instanceof ScienceInputError) {
      throw invalid(error.field, `This file does not match ${spec.title}: ${error.field} must be ${error.allowed}.`);
    }
    throw error;
  }
  const source = input.questionnaire as Questionnaire;
  const { store } = services;
  const id = newId();
  const now = nowIso();
  const version = (source.version?.trim() || `imported-${now.slice(0, 10)}`).slice(0, 100);
  await inTransaction(store, async (trx) => {
    await trx.updateTable('instrument').set({ active: 0 }).where('clinic_id', '=', actor.clinicId).where('code', '=', spec.code).execute();
    await trx.insertInto('instrument').values({
      id, clinic_id: actor.clinicId, code: spec.code, version, title: (source.title ?? spec.title).slice(0, 300),
      questionnaire_json: toJson(canonical.questionnaire), source_json: toJson(input.questionnaire), link_map_json: toJson(canonical.linkMap),
      licence_note: input.licenceNote?.trim() || null, active: 1, imported_by: actor.userId, imported_at: now,
    }).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'instrument', entityId: id, detail: { code: spec.code, version } });
  });
  return (await listInstruments(services, actor)).find((i) => i.code === spec.code)!;
}
