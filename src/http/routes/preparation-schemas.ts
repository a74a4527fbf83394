import Type, { type TSchema } from 'typebox';
import {
  ACTIVATION_AGENTS,
  ACTIVATION_TIMINGS,
  IMAGING_MODALITIES,
  PREPARATION_FORMS,
  PREPARATION_METHODS,
  ROTOR_TYPES,
  SAMPLE_ANTICOAGULANTS,
  SPIN_TEMPERATURE_RANGE_C,
} from '../../science/index.js';
import { Enum, Id, Instant, IsoInstant, Nullable, NullableEnum, Text } from '../schemas.js';

/** Schemas of protocols and preparations. Objects are closed: unknown fields are rejected. */

// Counts carry no maximum here on purpose: a count in the wrong unit (245000 for 245) reaches the
// science library, which answers with the field and the conversion instead of a bare "too big".
const Count = (unit: string) => Type.Number({ minimum: 0, description: unit });
const Volume = (description: string, maximum = 500) => Type.Number({ exclusiveMinimum: 0, maximum, description: `${description} (mL)` });

export const Spin = Type.Object({
  rcf: Type.Number({ exclusiveMinimum: 0, maximum: 30000, description: 'Relative centrifugal force, × g (not rpm).' }),
  minutes: Type.Number({ exclusiveMinimum: 0, maximum: 180 }),
  temperatureC: Type.Optional(Type.Number({ minimum: SPIN_TEMPERATURE_RANGE_C.min, maximum: SPIN_TEMPERATURE_RANGE_C.max, description: 'Chamber temperature, °C.' })),
}, { additionalProperties: false });

/** Every property optional; with `nullable`, each may also be null (PATCH clears it). */
function fields(properties: Record<string, TSchema>, nullable: boolean) {
  return Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, Type.Optional(nullable ? Nullable(schema) : schema)]));
}

function enumFields(properties: Record<string, readonly string[]>, nullable: boolean) {
  return Object.fromEntries(Object.entries(properties).map(([key, values]) => [key, Type.Optional(nullable ? NullableEnum(values) : Enum(values))]));
}

function counts(nullable: boolean) {
  return fields({
    plateletsKPerUl: Count('Platelets, × 10³/µL (= 10⁹/L).'),
    wbcKPerUl: Count('White cells, × 10³/µL.'),
    neutrophilsKPerUl: Count('Neutrophils (absolute), × 10³/µL.'),
    rbcMPerUl: Count('Red cells, × 10⁶/µL (= 10¹²/L).'),
    hematocritPct: Count('Haematocrit, %.'),
    analyserLine: Text(500, 'The analyser line as pasted, e.g. "PLT 245 WBC 6.1 RBC 4.5 HCT 41"; fills the counts left empty.'),
  }, nullable);
}

function object(properties: Record<string, TSchema>, nullable: boolean, description?: string) {
  const schema = Type.Object(properties, { additionalProperties: false, ...(description && { description }) });
  return Type.Optional(nullable ? Nullable(schema) : schema);
}

/** The preparation body: POST (`nullable` false) or a PATCH merge patch (`nullable` true). */
export function preparationBody(mode: 'create' | 'patch') {
  const n = mode === 'patch';
  const drawnAt = Instant('When the blood was drawn.');
  return Type.Object({
    ...fields({
      protocolId: Id,
      protocolVersion: Type.Integer({ minimum: 1, description: 'Defaults to the protocol’s current version.' }),
      systemId: Type.String({ maxLength: 60, description: 'A commercial system from GET /api/v1/prp-systems.' }),
    }, n),
    draw: mode === 'create'
      ? Type.Object({
        drawnAt,
        ...fields({ drawnById: Id, tubeLot: Text(60, 'Lot number of the draw tubes.'), kitLot: Text(60, 'Lot number of the kit.') }, false),
      }, { additionalProperties: false, description: 'The blood draw.' })
      : Type.Optional(Type.Object({
        drawnAt: Type.Optional(drawnAt),
        ...fields({ drawnById: Id, tubeLot: Text(60), kitLot: Text(60) }, true),
      }, { additionalProperties: false })),
    wholeBlood: object({
      ...counts(n),
      ...fields({ volumeMl: Volume('Blood drawn, anticoagulant excluded') }, n),
      ...enumFields({ sampleAnticoagulant: SAMPLE_ANTICOAGULANTS }, n),
    }, n, 'Baseline: the blood drawn and its CBC.'),
    prp: object({ ...counts(n), ...fields({ volumeMl: Volume('PRP obtained') }, n) }, n, 'The final product and its CBC.'),
    anticoagulant: object(fields({ agent: Text(60, 'e.g. ACD-A, sodium citrate 3.2 %.'), volumeMl: Type.Number({ minimum: 0, maximum: 100 }) }, n), n),
    spins: Type.Optional(n ? Nullable(Type.Array(Spin, { maxItems: 6 })) : Type.Array(Spin, { maxItems: 6 })),
    activation: object({
      ...enumFields({ agent: ACTIVATION_AGENTS, timing: ACTIVATION_TIMINGS }, n),
      ...fields({ detail: Text(200), minutesBeforeInjection: Type.Number({ minimum: 0, maximum: 600 }) }, n),
    }, n),
    ...fields({
      injectedVolumeMl: Volume('Injected'),
      injectedAt: Instant('When the product was injected.'),
    }, n),
    localAnaesthetic: object(fields({
      agent: Text(80, 'e.g. lidocaine 1 %, or "none".'),
      mixedWithPrp: Type.Boolean({ description: 'true when mixed into the PRP syringe.' }),
      volumeMl: Type.Number({ minimum: 0, maximum: 100 }),
    }, n), n),
    ...enumFields({ method: PREPARATION_METHODS, form: PREPARATION_FORMS, imagingModality: IMAGING_MODALITIES }, n),
    ...fields({
      imageGuided: Type.Boolean(),
      site: Text(200, 'Structure injected, e.g. L4-L5 disc.'),
      concomitantMedication: Text(500),
      rehabilitation: Text(500),
      outcomeMeasures: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
      preparedById: Id,
      preparedAt: Instant('When the PRP was ready.'),
      notes: Text(5000),
    }, n),
    injections: object(fields({ count: Type.Integer({ minimum: 1, maximum: 20 }), intervalDays: Type.Integer({ minimum: 0, maximum: 365 }) }, n), n),
  }, { additionalProperties: false });
}

const N = Type.Number;
const NullNum = Nullable(Type.Number());
const NullStr = Nullable(Type.String());
const StaffRefSchema = Nullable(Type.Object({ id: Id, displayName: Type.String() }));
/** An object whose listed properties are documented but not required, passed through whole. */
const Loose = (properties: Record<string, TSchema>, description?: string) =>
  Type.Unsafe<object>(Type.Object(Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, Type.Optional(s)])), { additionalProperties: true, ...(description && { description }) }));

const Warning = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
const CountsOut = { plateletsKPerUl: NullNum, wbcKPerUl: NullNum, neutrophilsKPerUl: NullNum, rbcMPerUl: NullNum, hematocritPct: NullNum, analyserLine: NullStr };

// Stored computations are documented but passed through loosely: a record computed by an older
// science version must still be readable even if that version's output had other fields.
const Classifications = Loose({
  paw: Loose({ code: NullStr, platelets: Type.String(), activated: Nullable(Type.Boolean()), whiteCells: NullStr, neutrophils: NullStr, missing: Type.Array(Type.String()) }, 'PAW (DeLong 2012).'),
  plra: Loose({ code: NullStr, leukocytes: NullStr, redCells: NullStr, activation: NullStr, leukocytePctOfCells: NullNum, neutrophilPctOfLeukocytes: NullNum, missing: Type.Array(Type.String()) }, 'PLRA (Mautner 2015).'),
  depa: Loose({ code: NullStr, dose: Type.String(), efficiency: Type.String(), purity: NullStr, activation: NullStr, plateletDoseBillion: N(), recoveryPercent: N(), purityPercent: NullNum, missing: Type.Array(Type.String()) }, 'DEPA (Magalon 2016).'),
  marspill: Loose({ code: NullStr, missing: Type.Array(Type.String()), notes: Type.Array(Type.String()) }, 'MARSPILL (Lana 2017).'),
  mishra: Loose({ code: NullStr, type: NullNum, suffix: Type.String(), missing: Type.Array(Type.String()) }, 'Mishra 2012.'),
  dohanEhrenfest: Loose({ family: NullStr, missing: Type.Array(Type.String()) }, 'Dohan Ehrenfest 2009.'),
});

const Computed = Type.Object({
  scienceVersion: Type.String({ description: 'Version of autolog/science that computed the values.' }),
  currentScienceVersion: Type.String(),
  upToDate: Type.Boolean({ description: 'false: computed by another version; POST …/recompute to bring it up to date.' }),
  computedAt: IsoInstant,
  productAgeLimitHours: N(),
  productAgeHours: NullNum,
  missingForMetrics: Type.Array(Type.String()),
  metrics: Nullable(Loose({ concentrationFactor: N(), plateletDoseBillion: N(), recoveryPercent: N(), leukocyteFactor: N(), purityPercent: N() })),
  classifications: Nullable(Classifications),
  completeness: Loose({
    percent: N(), present: Type.Array(Type.String()), missing: Type.Array(Type.String()), notApplicable: Type.Array(Type.String()),
    items: Type.Array(Loose({ id: Type.String(), category: Type.String(), label: Type.String(), status: Type.String(), fields: Type.Array(Type.String()) })),
  }, 'MIBO-derived reporting completeness (Murray 2017).'),
  warnings: Type.Array(Warning),
});

export const PreparationSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id,
  protocol: Nullable(Type.Object({ id: Id, versionId: Id, version: Type.Integer(), name: Type.String(), rotorRadiusCm: N() })),
  systemId: NullStr, systemName: NullStr,
  draw: Type.Object({ drawnAt: IsoInstant, drawnBy: StaffRefSchema, tubeLot: NullStr, kitLot: NullStr }),
  wholeBlood: Type.Object({ ...CountsOut, volumeMl: NullNum, sampleAnticoagulant: NullStr }),
  prp: Type.Object({ ...CountsOut, volumeMl: NullNum }),
  anticoagulant: Type.Object({ agent: NullStr, volumeMl: NullNum }),
  spins: Type.Array(Type.Object({ rcf: N(), minutes: N(), temperatureC: Type.Optional(N()), rpm: Nullable(Type.Integer({ description: 'On the linked protocol’s rotor.' })) })),
  activation: Type.Object({ agent: NullStr, detail: NullStr, timing: NullStr, minutesBeforeInjection: NullNum }),
  injectedVolumeMl: NullNum, injectedAt: NullStr,
  localAnaesthetic: Type.Object({ agent: NullStr, mixedWithPrp: Nullable(Type.Boolean()), volumeMl: NullNum }),
  method: NullStr, form: NullStr, imageGuided: Nullable(Type.Boolean()), imagingModality: NullStr, site: NullStr,
  injections: Type.Object({ count: Nullable(Type.Integer()), intervalDays: Nullable(Type.Integer()) }),
  concomitantMedication: NullStr, rehabilitation: NullStr, outcomeMeasures: Type.Array(Type.String()),
  preparedBy: StaffRefSchema, preparedAt: NullStr, notes: NullStr,
  computed: Computed,
  createdAt: IsoInstant, createdBy: StaffRefSchema, updatedAt: IsoInstant,
});

// ---------------------------------------------------------------------------------------------
// Protocols

const ProtocolSpinOut = Type.Object({ rcf: N(), minutes: N(), temperatureC: Type.Optional(N()), rpm: Type.Integer({ description: 'rpm giving this × g on the protocol’s rotor.' }) });

export const ProtocolSpecBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.Optional(Nullable(Text(2000))),
  systemId: Type.Optional(Nullable(Type.String({ maxLength: 60, description: 'A commercial system from GET /api/v1/prp-systems.' }))),
  spins: Type.Array(Spin, { minItems: 1, maxItems: 4 }),
  rotor: Type.Object({
    radiusCm: Type.Number({ exclusiveMinimum: 0, maximum: 50, description: 'Rotor radius to the tube bottom (r_max), cm.' }),
    type: Enum(ROTOR_TYPES),
  }, { additionalProperties: false }),
  centrifuge: Type.Optional(Nullable(Text(200, 'The centrifuge (make, model, asset tag).'))),
  tubes: Type.Optional(Nullable(Type.Object({
    description: Type.String({ minLength: 1, maxLength: 200 }), count: Type.Integer({ minimum: 1, maximum: 20 }), volumeMl: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200 })),
  }, { additionalProperties: false }))),
  anticoagulant: Type.Optional(Nullable(Type.Object({
    agent: Type.String({ minLength: 1, maxLength: 60 }),
    parts: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Parts of anticoagulant…' }),
    bloodParts: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '…to parts of blood (ACD-A 1:9 → 1 and 9).' }),
  }, { additionalProperties: false }))),
  drawVolumeMl: Type.Optional(Nullable(Volume('Planned blood draw'))),
  targetVolumeMl: Type.Optional(Nullable(Volume('Target PRP volume'))),
  activation: Type.Optional(Nullable(Type.Object({ agent: Enum(ACTIVATION_AGENTS), detail: Type.Optional(Text(200)) }, { additionalProperties: false }))),
  notes: Type.Optional(Nullable(Text(5000))),
}, { additionalProperties: false });

export const ProtocolVersionSchema = Type.Object({
  protocolId: Id, versionId: Id, version: Type.Integer(), name: Type.String(), description: NullStr, systemId: NullStr, systemName: NullStr,
  spins: Type.Array(ProtocolSpinOut),
  rotor: Type.Object({ radiusCm: N(), type: Type.String() }),
  centrifuge: NullStr,
  tubes: Nullable(Type.Object({ description: Type.String(), count: Type.Integer(), volumeMl: Type.Optional(N()) })),
  anticoagulant: Nullable(Type.Object({ agent: Type.String(), parts: N(), bloodParts: N() })),
  drawVolumeMl: NullNum, targetVolumeMl: NullNum,
  activation: Nullable(Type.Object({ agent: Type.String(), detail: Type.Optional(Type.String()) })),
  notes: NullStr, createdAt: IsoInstant, createdBy: StaffRefSchema,
});

export const ProtocolSchema = Type.Object({
  id: Id, name: Type.String(), currentVersion: Type.Integer(), createdAt: IsoInstant, updatedAt: IsoInstant,
  version: ProtocolVersionSchema,
  versions: Type.Array(Type.Object({ version: Type.Integer(), versionId: Id, name: Type.String(), createdAt: IsoInstant, createdBy: StaffRefSchema })),
});

// ---------------------------------------------------------------------------------------------
// Catalogue and analyser line

const Range = Type.Object({ min: N(), max: N() });
const Fact = (value: TSchema) => Type.Object({ value, source: Type.String(), verified: Type.Boolean({ description: 'false = [M]: not checked against the source.' }), note: Type.Optional(Type.String()) });

export const PrpSystemSchema = Type.Object({
  id: Type.String(), kind: Type.String(), name: Type.String(), maker: Type.Optional(Type.String()),
  bloodInMl: Type.Optional(Fact(Range)),
  anticoagulant: Type.Optional(Fact(Type.Object({ agent: Type.String(), volumeMl: Type.Optional(Range) }))),
  prpOutMl: Type.Optional(Fact(Range)),
  spins: Type.Optional(Fact(Type.Array(Type.Object({ rcf: Type.Optional(Range), rpm: Type.Optional(N()), minutes: Range, temperatureC: Type.Optional(N()) })))),
  fold: Type.Optional(Fact(Range)),
  prpPlateletsKPerUl: Type.Optional(Fact(Range)),
  recoveryPercent: Type.Optional(Fact(Range)),
  leukocytes: Type.Optional(Fact(Type.String())),
  redCells: Type.Optional(Fact(Type.String())),
  notes: Type.Optional(Type.String()),
});

export const PrpCatalogueSchema = Type.Object({
  systems: Type.Array(PrpSystemSchema),
  sources: Type.Record(Type.String(), Type.Object({ citation: Type.String(), url: Type.Optional(Type.String()) })),
});

export const AnalyserLineBody = Type.Object({
  line: Type.String({ maxLength: 500, description: 'e.g. "PLT 245 WBC 6.1 RBC 4.5 HCT 41" or "PLT: 245 10^3/uL".' }),
  sample: Type.Optional(Enum(['wholeBlood', 'prp'] as const, 'Which sample, so plausibility warnings know what is usual.')),
}, { additionalProperties: false });

export const AnalyserLineSchema = Type.Object({
  counts: Type.Object({ plateletsKPerUl: Type.Optional(N()), wbcKPerUl: Type.Optional(N()), neutrophilsKPerUl: Type.Optional(N()), rbcMPerUl: Type.Optional(N()), hematocritPct: Type.Optional(N()) }),
  readings: Type.Array(Type.Object({ field: Type.String(), label: Type.String(), printedValue: N(), printedUnit: NullStr, value: N() })),
  ignored: Type.Array(Type.Object({ label: Type.String(), reason: Type.String() })),
  unrecognised: Type.Array(Type.String()),
  warnings: Type.Array(Warning),
});
