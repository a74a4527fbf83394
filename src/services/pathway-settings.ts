import type { Kysely } from 'kysely';
import {
  CONTRAINDICATION_SETTING_SOURCES, DEFAULT_CONTRAINDICATION_SETTINGS, PRODUCT_AGE_LIMIT_HOURS_DEFAULT, ScienceInputError, resolveContraindicationSettings,
  type ContraindicationSettings,
} from '../science/index.js';
import { fromJson, toJson } from '../store/json.js';
import type { Database } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { invalid } from './errors.js';
import { assertCan } from './permissions.js';

/**
 * The clinic's pathway settings: the wash-out windows and thresholds the contraindication engine
 * and the patient instructions use, the time a product may wait from draw to injection, and the
 * clinic's own lines added to the instructions. Only what differs from Autolog's defaults is
 * stored, so a better default reaches every clinic that never chose otherwise.
 */

export interface PathwaySettings extends ContraindicationSettings {
  /** Draw to injection; past it the product is expired at the bedside (default 4 h). */
  productAgeLimitHours: number;
  instructionsBeforeText: string | null;
  instructionsAfterText: string | null;
}

export interface PathwaySettingsView {
  settings: PathwaySettings;
  defaults: ContraindicationSettings & { productAgeLimitHours: number };
  /** Where each default comes from, and whether it was checked against the source. */
  sources: Record<string, { source: string; verified: boolean }>;
  updatedAt: string | null;
}

type Overrides = Partial<ContraindicationSettings & { productAgeLimitHours: number }>;

/** The one place the settings are read (services and jobs alike). */
export async function loadPathwaySettings(db: Kysely<Database>, clinicId: string): Promise<PathwaySettings & { updatedAt: string | null }> {
  const row = await db.selectFrom('pathway_settings').selectAll().where('clinic_id', '=', clinicId).executeTakeFirst();
  const overrides = (row ? fromJson<Overrides>(row.settings_json) : null) ?? {};
  const { productAgeLimitHours, ...engine } = overrides;
  return {
    ...resolveContraindicationSettings(engine),
    productAgeLimitHours: productAgeLimitHours ?? PRODUCT_AGE_LIMIT_HOURS_DEFAULT,
    instructionsBeforeText: row?.instructions_before_text ?? null,
    instructionsAfterText: row?.instructions_after_text ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

function view(settings: PathwaySettings & { updatedAt: string | null }): PathwaySettingsView {
  const { updatedAt, ...rest } = settings;
  return {
    settings: rest,
    defaults: { ...DEFAULT_CONTRAINDICATION_SETTINGS, productAgeLimitHours: PRODUCT_AGE_LIMIT_HOURS_DEFAULT },
    sources: {
      ...CONTRAINDICATION_SETTING_SOURCES,
      productAgeLimitHours: { source: 'Whole blood and PRP kept up to 4 h at room temperature showed no growth-factor change (Wilson/Fortier 2018, Am J Orthop)', verified: true },
    },
    updatedAt,
  };
}

export async function getPathwaySettings(services: Services, actor: Actor): Promise<PathwaySettingsView> {
  assertCan(actor, 'assessment:read');
  return view(await loadPathwaySettings(services.store.db, actor.clinicId));
}

export type PathwaySettingsUpdate = { [K in keyof Overrides]?: Overrides[K] | null } & { instructionsBeforeText?: string | null; instructionsAfterText?: string | null };

/** Changes some settings (null restores Autolog's default); audited with the old and new values. */
export async function updatePathwaySettings(services: Services, actor: Actor, input: PathwaySettingsUpdate): Promise<PathwaySettingsView> {
  assertCan(actor, 'clinic:manage');
  const { store } = services;
  await inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('pathway_settings').selectAll().where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    const before = (row ? fromJson<Overrides>(row.settings_json) : null) ?? {};
    const next: Record<string, unknown> = { ...before };
    const { instructionsBeforeText, instructionsAfterText, ...values } = input;
    for (const [key, value] of Object.entries(values)) {
      if (value === null) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    const { productAgeLimitHours, ...engine } = next as Overrides;
    try {
      resolveContraindicationSettings(engine);
    } catch (error) {
      if (error instanceof ScienceInputError) throw invalid(error.field.replace(/^settings\./, ''), error.message.replace(/^settings\./, ''));
      throw error;
    }
    if (productAgeLimitHours !== undefined && !(productAgeLimitHours > 0 && productAgeLimitHours <= 24)) {
      throw invalid('productAgeLimitHours', 'productAgeLimitHours must be more than 0 and at most 24 hours.');
    }
    const now = nowIso();
    const texts = {
      instructions_before_text: instructionsBeforeText === undefined ? row?.instructions_before_text ?? null : instructionsBeforeText?.trim() || null,
      instructions_after_text: instructionsAfterText === undefined ? row?.instructions_after_text ?? null : instructionsAfterText?.trim() || null,
    };
    const values2 = { settings_json: toJson(next), ...texts, updated_at: now, updated_by: actor.userId };
    await trx.insertInto('pathway_settings').values({ clinic_id: actor.clinicId, ...values2 })
      .onConflict((oc) => oc.column('clinic_id').doUpdateSet(values2)).execute();
    const changed = [...new Set([...Object.keys(before), ...Object.keys(next)])].filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify(next[k]));
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'update', entityType: 'pathway_settings', entityId: actor.clinicId,
      detail: { changed: Object.fromEntries(changed.map((k) => [k, { from: (before as Record<string, unknown>)[k] ?? 'default', to: next[k] ?? 'default' }])), texts: instructionsBeforeText !== undefined || instructionsAfterText !== undefined },
    });
  });
  return view(await loadPathwaySettings(store.db, actor.clinicId));
}
