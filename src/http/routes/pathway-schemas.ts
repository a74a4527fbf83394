import Type, { type TProperties, type TSchema } from 'typebox';
import {
  CANCER_STATUSES, DISC_CONTOURS, FACET_ARTHROPATHY_GRADES, IMAGE_GUIDANCE, IMAGING_STUDIES, INJECTION_STRUCTURES, MEDICATION_CLASSES, SIDES, SPINAL_LEVELS,
  CUSTODY_STATES, ESCALATABLE_CODES, MODIC_TYPES, PFIRRMANN_GRADES, type ModicType, type PfirrmannGrade,
} from '../../science/index.js';
import { ADVERSE_EVENT_CATEGORIES, ADVERSE_EVENT_OUTCOMES, ADVERSE_EVENT_RELATEDNESS, ADVERSE_EVENT_SEVERITIES } from '../../services/adverse-events.js';
import { DECISION_OUTCOMES } from '../../services/assessments.js';
import { CONSENT_KINDS } from '../../services/consents.js';
import { LEAD_STATUSES } from '../../services/leads.js';
import { Enum, Id, Indication, Instant, IsoDate, IsoInstant, Nullable, NullableEnum, Text } from '../schemas.js';

/** Schemas of the clinical pathway. Request objects are closed: unknown fields are rejected. */

const closed = <P extends TProperties>(properties: P, description?: string) => Type.Object(properties, { additionalProperties: false, ...(description && { description }) });
const Required = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description && { description }) });
const opt = <T extends TSchema>(s: T) => Type.Optional(s);
/** Passed through as the service shaped it (documented in the service's types). */
const AnyObject = (description?: string) => Type.Unsafe<unknown>({ type: 'object', additionalProperties: true, ...(description && { description }) });
export const StaffRefSchema = Nullable(Type.Object({ id: Id, displayName: Type.String() }));

export const Level = Enum(SPINAL_LEVELS, 'Lumbar motion segment, L1/L2 to L5/S1.');
export const SideSchema = Enum(SIDES);

// ---------------------------------------------------------------- assessment

export const AssessmentBody = closed({
  indications: Type.Array(Indication, { minItems: 1, maxItems: 5, description: 'Causes of pain being treated (a patient may have more than one).' }),
  levels: Type.Array(Level, { maxItems: 5 }),
  side: opt(Nullable(SideSchema)),
  painDurationMonths: opt(Nullable(Type.Number({ minimum: 0, maximum: 1200 }))),
  imaging: opt(Nullable(closed({
    study: Enum(IMAGING_STUDIES),
    performedOn: opt(Nullable(IsoDate)),
    discs: Type.Array(closed({
      level: Level,
      pfirrmannGrade: opt(Type.Unsafe<PfirrmannGrade | null>({ type: ['integer', 'null'], enum: [...PFIRRMANN_GRADES, null], description: 'Pfirrmann 2001 grade I–V (1–5).' })),
      modicType: opt(Type.Unsafe<ModicType | null>({ type: ['integer', 'null'], enum: [...MODIC_TYPES, null], description: 'Modic endplate change type 1–3; 0 = none.' })),
      annularFissure: opt(Nullable(Type.Boolean())),
      contour: opt(NullableEnum(DISC_CONTOURS)),
      facetArthropathy: opt(NullableEnum(FACET_ARTHROPATHY_GRADES)),
    }), { maxItems: 5 }),
    findingsText: opt(Nullable(Text(5000))),
  }))),
  priorTreatments: closed({
    physiotherapy: closed({ done: Type.Boolean(), weeks: opt(Nullable(Type.Number({ minimum: 0, maximum: 520 }))) }),
    steroidInjections: Type.Array(closed({ on: IsoDate, site: Required(200), level: opt(Nullable(Level)), side: opt(Nullable(SideSchema)) }), { maxItems: 30 }),
    surgeries: Type.Array(closed({ on: opt(Nullable(IsoDate)), description: Required(500), levels: opt(Type.Array(Level, { maxItems: 5 })) }), { maxItems: 10 }),
    other: opt(Nullable(Text(2000))),
  }),
  medications: Type.Array(closed({
    class: Enum(MEDICATION_CLASSES),
    name: Required(120),
    ongoing: Type.Boolean({ description: 'Still taking it.' }),
    lastDoseOn: opt(Nullable(IsoDate)),
  }), { maxItems: 30 }),
  labs: closed({
    plateletsKPerUl: opt(Nullable(Type.Number({ minimum: 0, description: 'Platelets, × 10³/µL.' }))),
    haemoglobinGPerDl: opt(Nullable(Type.Number({ minimum: 0, description: 'Haemoglobin, g/dL.' }))),
    takenOn: opt(Nullable(IsoDate)),
  }),
  conditions: closed({
    activeSystemicInfection: Type.Boolean(), infectionNearSite: Type.Boolean(), bleedingDisorder: Type.Boolean(), haemodynamicInstability: Type.Boolean(),
    recentFeverOrIllness: Type.Boolean(), cancer: Enum(CANCER_STATUSES), cancerHaematologicalOrBone: opt(Type.Boolean()), pregnant: Type.Boolean(),
    breastfeeding: Type.Boolean(), tobaccoUse: Type.Boolean(), contrastAllergy: Type.Boolean(), inflammatoryArthritis: Type.Boolean(),
  }),
  notes: opt(Nullable(Text(5000))),
});

const FindingSchema = Type.Object({ code: Type.String(), severity: Enum(['absolute', 'relative'] as const), reason: Type.String(), source: Type.String(), field: Type.String() });
export const FindingsSchema = Type.Object({ plannedDate: Nullable(IsoDate), absolute: Type.Array(FindingSchema), relative: Type.Array(FindingSchema) });

export const AssessmentSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, version: Type.Integer(), assessment: AnyObject('The assessment as saved (same shape as the request).'),
  createdAt: IsoInstant, createdBy: StaffRefSchema,
  evaluation: Nullable(Type.Object({ ...FindingsSchema.properties, scienceVersion: Type.String(), evaluatedAt: IsoInstant })),
});

export const DecisionBody = closed({
  assessmentId: Id,
  outcome: Enum(DECISION_OUTCOMES),
  rationale: Required(5000),
  acknowledgedFindings: opt(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: 'Codes of the relative findings read and accepted.' })),
  overrideReason: opt(Nullable(Text(2000, 'Required to sign "eligible" over an absolute contraindication.'))),
  password: Type.String({ minLength: 1, maxLength: 256, description: 'The signing clinician’s own password: the signature.' }),
});

export const DecisionSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, outcome: Enum(DECISION_OUTCOMES), rationale: Type.String(), assessmentId: Id, assessmentVersion: Type.Integer(),
  findings: FindingsSchema, acknowledgedFindings: Type.Array(Type.String()), overridden: Type.Array(Type.String()), overrideReason: Nullable(Type.String()),
  plannedProcedureOn: Nullable(IsoDate), scienceVersion: Type.String(), supersedesId: Nullable(Id), signedBy: StaffRefSchema, signedAt: IsoInstant,
  current: Type.Boolean(), outdated: Type.Boolean(),
});

// ---------------------------------------------------------------- settings

const Days = (max: number) => Nullable(Type.Integer({ minimum: 0, maximum: max }));
export const SettingsBody = closed({
  nsaidWashoutDays: opt(Days(60)), nsaidResumeDaysAfter: opt(Days(60)), antiplateletWashoutDays: opt(Days(60)), anticoagulantWashoutDays: opt(Days(60)),
  systemicSteroidWashoutDays: opt(Days(180)), steroidInjectionWashoutDays: opt(Days(365)), spineSurgeryWithinDays: opt(Days(3650)),
  plateletsAbsoluteBelowKPerUl: opt(Nullable(Type.Number({ minimum: 0, maximum: 450 }))), plateletsRelativeBelowKPerUl: opt(Nullable(Type.Number({ minimum: 0, maximum: 450 }))),
  haemoglobinRelativeBelowGPerDl: opt(Nullable(Type.Number({ minimum: 0, maximum: 20 }))), labsMaxAgeDays: opt(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
  escalateToAbsolute: opt(Nullable(Type.Array(Enum(ESCALATABLE_CODES), { maxItems: 30, description: 'Relative findings the clinic treats as absolute.' }))),
  productAgeLimitHours: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 24 }))),
  instructionsBeforeText: opt(Nullable(Text(1000))), instructionsAfterText: opt(Nullable(Text(1000))),
});
export const SettingsSchema = Type.Object({ settings: AnyObject(), defaults: AnyObject(), sources: AnyObject(), updatedAt: Nullable(IsoInstant) });

// ---------------------------------------------------------------- leads

export const LeadSchema = Type.Object({
  id: Id, status: Enum(LEAD_STATUSES), name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), preferredTime: Nullable(Type.String()),
  contactConsentAt: IsoInstant, answers: AnyObject(), answerLabels: Type.Object({ painLocations: Type.Array(Type.String()), duration: Type.String(), tried: Type.Array(Type.String()) }),
  patientId: Nullable(Id), note: Nullable(Type.String()), createdAt: IsoInstant, updatedAt: IsoInstant, updatedBy: StaffRefSchema,
});
export const LeadUpdateBody = closed({ status: opt(Enum(LEAD_STATUSES)), note: opt(Nullable(Text(2000))), patientId: opt(Nullable(Id)) });
export const LeadStatusSchema = Enum(LEAD_STATUSES);

// ---------------------------------------------------------------- consent

export const ConsentKindSchema = Enum(CONSENT_KINDS);
export const TemplateBody = closed({ kind: ConsentKindSchema, title: Required(200), bodyMarkdown: Type.String({ minLength: 1, maxLength: 50_000, description: 'Risks, benefits and alternatives, in Markdown.' }) });
export const TemplateSchema = Type.Object({
  id: Id, kind: ConsentKindSchema, version: Type.Integer(), title: Type.String(), bodyMarkdown: Type.String(), bodyHtml: Type.String(), bodySha256: Type.String(),
  createdAt: IsoInstant, createdBy: StaffRefSchema, current: Type.Boolean(),
});
const SignatureBody = Type.Union([
  closed({ kind: Type.Literal('png'), dataUrl: Type.String({ maxLength: 420_000, description: 'data:image/png;base64,… from the signature canvas (≤ 300 KB).' }) }),
  closed({ kind: Type.Literal('svg-path'), d: Type.String({ maxLength: 100_000, description: 'SVG path data of the drawn strokes.' }), width: Type.Integer({ minimum: 1, maximum: 10000 }), height: Type.Integer({ minimum: 1, maximum: 10000 }) }),
]);
export const SignConsentBody = closed({ templateId: Id, signedName: Required(200, 'The name the patient typed.'), signature: SignatureBody });
export const ConsentSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, kind: ConsentKindSchema, templateId: Id, templateVersion: Type.Integer(), title: Type.String(), bodySha256: Type.String(),
  signedName: Type.String(), signature: Type.Object({ kind: Enum(['png', 'svg-path'] as const), data: Type.String(), width: Type.Integer(), height: Type.Integer() }),
  signedAt: IsoInstant, collectedBy: StaffRefSchema, status: Enum(['signed', 'withdrawn'] as const), withdrawnAt: Nullable(IsoInstant), withdrawnBy: StaffRefSchema,
  withdrawalReason: Nullable(Type.String()),
});
export const WithdrawBody = closed({ reason: Required(1000) });

// ---------------------------------------------------------------- instructions

const InstructionItemSchema = Type.Object({ code: Type.String(), phase: Enum(['before', 'day-of', 'after'] as const), date: Nullable(IsoDate), text: Type.String(), past: Type.Boolean() });
const InstructionSendSchema = Type.Object({
  id: Id, plannedProcedureOn: Nullable(IsoDate), reason: Enum(['initial', 'resend', 'date-changed'] as const), to: Type.String(), outboxId: Id,
  deliveryStatus: Nullable(Enum(['pending', 'sending', 'sent', 'failed'] as const)), deliveredAt: Nullable(IsoInstant), createdAt: IsoInstant, createdBy: StaffRefSchema,
});
export const InstructionsSchema = Type.Object({
  episodeId: Id, plannedProcedureOn: Nullable(IsoDate), items: Type.Array(InstructionItemSchema), text: Nullable(Type.String()), patientEmail: Nullable(Type.String()),
  upToDate: Type.Boolean(), sends: Type.Array(InstructionSendSchema),
});
export { InstructionSendSchema };

// ---------------------------------------------------------------- custody

const MismatchSchema = Type.Object({ field: Type.String(), message: Type.String() });
export const VerificationSchema = Type.Object({
  id: Id, episodeId: Id, specimenId: Nullable(Id), result: Enum(['passed', 'failed'] as const), mismatches: Type.Array(MismatchSchema), expired: Type.Boolean(),
  expiryOverrideReason: Nullable(Type.String()), verifiedBy: StaffRefSchema, verifiedAt: IsoInstant,
  acknowledgedAt: Nullable(IsoInstant), acknowledgedBy: StaffRefSchema, acknowledgementNote: Nullable(Type.String()),
});
export const SpecimenSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, code: Type.String({ description: 'Canonical code: what the barcode carries.' }), displayCode: Type.String({ description: 'Grouped for people: 7K4Q9-XMD2W-T.' }),
  status: Enum(CUSTODY_STATES), drawnAt: IsoInstant, drawnBy: StaffRefSchema, expiresAt: IsoInstant, productAgeLimitHours: Type.Number(), expired: Type.Boolean(),
  drawVolumeMl: Nullable(Type.Number()), tubeCount: Nullable(Type.Integer()), preparationId: Nullable(Id), prpVolumeMl: Nullable(Type.Number()), discardReason: Nullable(Type.String()),
  note: Nullable(Type.String()),
  events: Type.Array(Type.Object({ id: Id, type: Enum(CUSTODY_STATES), at: IsoInstant, by: StaffRefSchema, detail: Nullable(AnyObject()), recordedAt: IsoInstant })),
  verifications: Type.Array(VerificationSchema),
});
export const DrawBody = closed({
  drawnAt: opt(Instant('When the blood was drawn (default: now).')),
  drawVolumeMl: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 500 }))),
  tubeCount: opt(Nullable(Type.Integer({ minimum: 1, maximum: 20 }))),
  note: opt(Nullable(Text(1000))),
});
export const CustodyStepBody = Type.Union([
  closed({ type: Type.Literal('centrifuged'), at: opt(Instant('When.')), confirmSeparateRun: opt(Type.Boolean({ description: 'Another patient’s product is mid-preparation and this is a separate centrifuge run.' })), note: opt(Nullable(Text(1000))) }),
  closed({ type: Type.Literal('prepared'), at: opt(Instant('When.')), preparationId: opt(Nullable(Id)), prpVolumeMl: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 500 }))), note: opt(Nullable(Text(1000))) }),
  closed({ type: Type.Literal('discarded'), at: opt(Instant('When.')), reason: Required(1000) }),
]);
export const BedsideBody = closed({
  specimenCode: Type.String({ minLength: 1, maxLength: 100, description: 'Scanned from the product label (or typed).' }),
  mrn: Type.String({ minLength: 1, maxLength: 100, description: 'Scanned from the patient’s wristband (or typed).' }),
  birthDate: IsoDate,
  expiryOverrideReason: opt(Nullable(Text(1000, 'A clinician may use a product past its time limit, with a reason.'))),
});

// ---------------------------------------------------------------- procedure and adverse events

export const ProcedureBody = closed({
  specimenId: Id,
  performedAt: opt(Instant('When the injection was given (default: now).')),
  performedById: opt(Id),
  assistantId: opt(Nullable(Id)),
  targets: Type.Array(closed({
    structure: Enum(INJECTION_STRUCTURES), level: opt(Nullable(Level)), side: opt(Nullable(SideSchema)),
    volumeMl: Type.Number({ exclusiveMinimum: 0, maximum: 50 }), description: opt(Nullable(Text(200))),
  }), { minItems: 1, maxItems: 20 }),
  imageGuidance: Enum(IMAGE_GUIDANCE),
  needle: opt(Nullable(closed({ gauge: opt(Nullable(Type.Integer({ minimum: 10, maximum: 34 }))), lengthMm: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 300 }))), type: opt(Nullable(Text(100))) }))),
  localAnaesthetic: opt(Nullable(closed({
    agent: Required(100), concentrationPct: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 10 }))), volumeMl: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100 }))),
    doseMg: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1000 }))), mixedWithPrp: Type.Boolean(),
  }))),
  contrast: opt(Nullable(closed({ used: Type.Boolean(), agent: opt(Nullable(Text(100))), volumeMl: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100 }))) }))),
  antibioticProphylaxis: opt(Nullable(closed({ given: Type.Boolean(), agent: opt(Nullable(Text(100))), doseMg: opt(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 5000 }))), route: opt(Nullable(Text(50))), timing: opt(Nullable(Text(100))) }))),
  immediateComplications: opt(Nullable(closed({ none: Type.Boolean(), items: opt(Type.Array(Text(200), { maxItems: 20 })), note: opt(Nullable(Text(2000))) }))),
  dischargeInstructions: opt(Nullable(Text(5000))),
  notes: opt(Nullable(Text(5000))),
});
export const ProcedureSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, specimenId: Id, preparationId: Nullable(Id), verificationId: Id, performedAt: IsoInstant, performedBy: StaffRefSchema, assistant: StaffRefSchema,
  targets: Type.Array(AnyObject()), totalVolumeMl: Type.Number(), prpAvailableMl: Type.Number(), imageGuidance: Enum(IMAGE_GUIDANCE),
  needle: Nullable(AnyObject()), localAnaesthetic: Nullable(AnyObject()), contrast: Nullable(AnyObject()), antibioticProphylaxis: Nullable(AnyObject()),
  immediateComplications: AnyObject(), dischargeInstructions: Nullable(Type.String()),
  warnings: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })), notes: Nullable(Type.String()), scienceVersion: Type.String(),
  createdAt: IsoInstant, createdBy: StaffRefSchema,
});

export const AdverseEventBody = closed({
  onsetOn: IsoDate, category: Enum(ADVERSE_EVENT_CATEGORIES), severity: Enum(ADVERSE_EVENT_SEVERITIES), relatedness: Enum(ADVERSE_EVENT_RELATEDNESS),
  outcome: Enum(ADVERSE_EVENT_OUTCOMES), description: Required(5000), procedureId: opt(Nullable(Id)),
  serious: opt(Type.Boolean({ description: 'Serious by a criterion other than severity (hospitalisation, lasting disability …).' })),
});
export const AdverseEventPatch = closed({
  severity: opt(Enum(ADVERSE_EVENT_SEVERITIES)), relatedness: opt(Enum(ADVERSE_EVENT_RELATEDNESS)), outcome: opt(Enum(ADVERSE_EVENT_OUTCOMES)),
  description: opt(Required(5000)), serious: opt(Type.Boolean()),
});
export const AdverseEventSchema = Type.Object({
  id: Id, episodeId: Id, patientId: Id, procedureId: Nullable(Id), onsetOn: IsoDate, category: Enum(ADVERSE_EVENT_CATEGORIES), severity: Enum(ADVERSE_EVENT_SEVERITIES),
  serious: Type.Boolean(), relatedness: Enum(ADVERSE_EVENT_RELATEDNESS), outcome: Enum(ADVERSE_EVENT_OUTCOMES), description: Type.String(), reportedAt: IsoInstant,
  reportedBy: StaffRefSchema, updatedAt: IsoInstant, reviewedAt: Nullable(IsoInstant), reviewedBy: StaffRefSchema, reviewNote: Nullable(Type.String()), flagged: Type.Boolean(),
});
export const ReviewBody = closed({ note: Required(5000) });

// ---------------------------------------------------------------- timeline and worklists

const PatientBrief = Type.Object({ id: Id, mrn: Type.String(), givenName: Type.String(), familyName: Type.String() });
export const TimelineSchema = Type.Object({
  episode: Type.Object({ id: Id, status: Type.String(), indication: Type.String(), icd10Code: Type.String(), openedOn: IsoDate, plannedProcedureOn: Nullable(IsoDate) }),
  patient: Type.Object({ ...PatientBrief.properties, birthDate: IsoDate }),
  steps: Type.Array(Type.Object({
    step: Type.String(), label: Type.String(), state: Enum(['done', 'pending', 'attention', 'blocked', 'not-applicable'] as const), at: Nullable(IsoInstant), by: StaffRefSchema,
    summary: Type.String(), refs: Type.Array(Type.Object({ type: Type.String(), id: Id })),
  })),
  events: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), by: StaffRefSchema, summary: Type.String(), entityType: Type.String(), entityId: Id })),
});
export const WorklistSchema = Type.Object({
  role: Type.String(), today: IsoDate,
  alerts: Type.Array(Type.Object({ kind: Type.String(), at: Type.String(), episodeId: Id, entityId: Id, patient: PatientBrief, summary: Type.String() })),
  sections: Type.Array(Type.Object({
    code: Type.String(), title: Type.String(),
    items: Type.Array(Type.Object({
      episodeId: Nullable(Id), leadId: Nullable(Id), specimenId: Nullable(Id), adverseEventId: Nullable(Id), patient: Nullable(PatientBrief), name: Nullable(Type.String()),
      at: Type.String(), summary: Type.String(),
    })),
  })),
});
