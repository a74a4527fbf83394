import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INJECTION_STRUCTURES, INSTRUMENTS, ODI_LICENCE_NOTE } from '../../science/index.js';
import type { Services } from '../../services/context.js';
import { TREATMENT_FAILURE_KINDS, enterResponse, getFollowUp, listWorklist, recordCall, recordTreatmentFailure, setProcedureDate } from '../../services/follow-up.js';
import { getInstrumentQuestionnaire, importInstrument, listInstruments } from '../../services/instruments.js';
import { getOutcomeSettings, updateOutcomeSettings, type OutcomeSettingsUpdate } from '../../services/outcome-settings.js';
import { outcomeSummary } from '../../services/outcome-summary.js';
import { actorOf } from '../access.js';
import { Id, IdParams, Indication, IsoDate, IsoInstant, Nullable } from '../schemas.js';

/** A JSON object passed through as it is (a FHIR Questionnaire, a protocol, a rule, answers). */
const AnyObject = (description?: string) => Type.Unsafe<object>({ type: 'object', additionalProperties: true, ...(description && { description }) });
const NullableObject = Type.Unsafe<object | null>({ type: ['object', 'null'], additionalProperties: true });
const Num = Type.Number();
const NullableNum = Nullable(Type.Number());
const InstrumentCode = Type.Enum(Object.keys(INSTRUMENTS), { description: 'Instrument code (nrs-back, nrs-leg, odi, peg, pgic, start-back).' });

const InstrumentSchema = Type.Object({
  code: Type.String(), title: Type.String(), wording: Type.Enum(['built-in', 'import-required']), available: Type.Boolean(),
  source: Nullable(Type.String()), version: Nullable(Type.String()), importedAt: Nullable(IsoInstant), outcome: Type.Boolean(),
  scoreMin: Num, scoreMax: Num, higherIsWorse: Type.Boolean(), licence: Type.String(), questions: Type.Integer(),
});

const RuleEntry = Type.Object({ instrument: Type.String(), rule: AnyObject(), text: Type.String() });

const SettingsSchema = Type.Object({
  contactText: Nullable(Type.String()), protocol: AnyObject('Follow-up protocol: { timePoints: [{ code, label, offset, windowBefore, windowAfter }] }'),
  baselineInstruments: Type.Array(Type.String()), followUpInstruments: Type.Array(Type.String()), reminderDays: Type.Array(Type.Integer()),
  responderRules: Type.Record(Type.String(), AnyObject(), { description: 'Instrument code → responder rule (absolute / percent / pgic / all / any, see autolog/science responder.ts): one responder figure per instrument.' }),
  responderRuleList: Type.Array(RuleEntry, { description: 'The same rules in instrument order, each in words.' }),
  responderRule: AnyObject('The first rule of the list (the back-pain NRS by default): the patient chart’s rule.'), responderRuleText: Type.String(), updatedAt: Nullable(IsoInstant),
});

const ContactSchema = Type.Object({
  id: Id, kind: Type.String(), channel: Type.String(), sendNumber: Nullable(Type.Integer()), at: IsoInstant, outcome: Nullable(Type.String()),
  note: Nullable(Type.String()), by: Nullable(Type.String()), delivery: Nullable(Type.String({ description: 'Outbox status of the email: pending, sending, sent, or failed (bounced for good).' })),
});

const ResponseSchema = Type.Object({
  id: Id, timePoint: Type.String(), instrument: Type.String(), instrumentVersion: Type.String(), status: Type.String(), mode: Type.String(),
  answers: AnyObject(), score: NullableNum, scoreDetail: NullableObject, scienceVersion: Nullable(Type.String()), recallPeriod: Nullable(Type.String()),
  startedAt: IsoInstant, completedAt: Nullable(IsoInstant),
});

const FailureSchema = Type.Object({ id: Id, kind: Type.String(), occurredOn: IsoDate, notes: Nullable(Type.String()), createdAt: IsoInstant });

const FollowUpSchema = Type.Object({
  episodeId: Id, patientId: Id, episodeStatus: Type.String(), plannedProcedureOn: Nullable(IsoDate), today: IsoDate,
  schedule: Nullable(Type.Object({ id: Id, anchorOn: IsoDate, status: Type.String(), stopReason: Nullable(Type.String()), protocol: AnyObject() })),
  timePoints: Type.Array(Type.Object({
    id: Id, code: Type.String(), label: Type.String(), dueOn: IsoDate, windowStartOn: IsoDate, windowEndOn: IsoDate, status: Type.String(),
    state: Type.Enum(['upcoming', 'due', 'completed', 'missed', 'stopped']), stopReason: Nullable(Type.String()),
    instruments: Type.Array(Type.String(), { description: 'What the patient is asked: the protocol’s instruments the clinic can offer now.' }),
    notImported: Type.Array(Type.String(), { description: 'In the protocol but not asked: licensed wording (the ODI) the clinic has not imported yet.' }),
    sends: Type.Integer(), nextSendOn: Nullable(IsoDate), invitedAt: Nullable(IsoInstant), completedAt: Nullable(IsoInstant),
    contacts: Type.Array(ContactSchema), responses: Type.Array(ResponseSchema),
  })),
  treatmentFailures: Type.Array(FailureSchema),
  trajectories: Type.Array(Type.Object({
    instrument: Type.String(), title: Type.String(), label: Type.String(), scoreMin: Num, scoreMax: Num, higherIsWorse: Type.Boolean(), baseline: NullableNum,
    importantChange: Nullable(Type.Object({ points: NullableNum, percent: NullableNum, source: Type.String() })),
    points: Type.Array(Type.Object({ timePoint: Type.String(), label: Type.String(), dueOn: IsoDate, completedAt: Nullable(IsoInstant), score: Num })),
  })),
  responderRule: Type.Object({ rule: AnyObject(), text: Type.String() }),
  responderRules: Type.Array(RuleEntry),
});

const Interval = { estimate: NullableNum, lower: NullableNum, upper: NullableNum };
const SummarySchema = Type.Object({
  asOf: IsoDate, filters: AnyObject(), confidence: Num,
  source: Type.Enum(['live', 'rollup'], { description: 'live: computed now; rollup: summed from the per-month cells the scheduler rebuilt at computedAt (large clinics, whole-month ranges).' }),
  computedAt: IsoInstant, responderRules: Type.Array(RuleEntry, { description: 'The clinic’s responder rules, one per instrument.' }),
  timePoints: Type.Array(Type.Object({
    indication: Type.String(), timePoint: Type.String(), label: Type.String(), scheduled: Type.Integer(), due: Type.Integer(), invited: Type.Integer(),
    completed: Type.Integer(), stopped: Type.Integer(), optedOut: Type.Integer(),
  })),
  instruments: Type.Array(Type.Object({
    indication: Type.String(), timePoint: Type.String(), label: Type.String(), instrument: Type.String(), due: Type.Integer(), invited: Type.Integer(),
    completed: Type.Integer(), completionPercent: NullableNum, scored: Type.Integer(), meanScore: NullableNum, baselineN: Type.Integer(),
    change: Nullable(Type.Object({ n: Type.Integer(), mean: NullableNum, sd: NullableNum, lower: NullableNum, upper: NullableNum })),
  })),
  responders: Type.Array(Type.Object({
    indication: Type.String(), timePoint: Type.String(), label: Type.String(), instrument: Type.String(), evaluable: Type.Integer(), responders: Type.Integer(), ...Interval, rule: Type.String(),
  })),
});

const WorklistSchema = Type.Array(Type.Object({
  timePointId: Id, episodeId: Id, indication: Type.String(), timePoint: Type.String(), label: Type.String(), windowEndOn: IsoDate,
  instruments: Type.Array(Type.String(), { description: 'Instrument codes to ask (those the clinic can offer).' }), sends: Type.Integer(),
  lastContactAt: Nullable(IsoInstant), reasons: Type.Array(Type.String()),
  patient: Type.Object({ id: Id, mrn: Type.String(), givenName: Type.String(), familyName: Type.String(), phone: Nullable(Type.String()), email: Nullable(Type.String()) }),
}));

const Note = Type.String({ maxLength: 2000 });

/** Staff API for instruments, follow-up schedules, responses and the outcome summary (outcomes issue). */
export const outcomeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/api/v1/instruments', {
    config: { access: 'outcome:read' },
    schema: { tags: ['outcomes'], summary: 'The instruments Autolog can score, and whether the clinic can ask each one now', description: ODI_LICENCE_NOTE, response: { 200: Type.Array(InstrumentSchema) } },
  }, async (request) => listInstruments(services, actorOf(request)));

  app.get('/api/v1/instruments/:code', {
    config: { access: 'outcome:read' },
    schema: {
      tags: ['outcomes'], summary: 'The FHIR Questionnaire patients are asked for one instrument (canonical linkIds)',
      description: `404 for the ODI until the clinic has imported its licensed copy. ${ODI_LICENCE_NOTE}`,
      params: Type.Object({ code: InstrumentCode }, { additionalProperties: false }), response: { 200: AnyObject('A FHIR R4 Questionnaire') },
    },
  }, async (request) => getInstrumentQuestionnaire(services, actorOf(request), request.params.code));

  app.post('/api/v1/instruments', {
    config: { access: 'instrument:manage' },
    schema: {
      tags: ['outcomes'], summary: 'Import the clinic’s licensed copy of an instrument (FHIR Questionnaire JSON)',
      description: `${ODI_LICENCE_NOTE} The file is checked against the instrument's structure (for the ODI: 10 choice questions of 6 answer options each). ` +
        'Questions are matched by linkId when the expected ones are used (pain-intensity, personal-care, lifting, walking, sitting, standing, sleeping, sex-life, social-life, travelling), otherwise in order; ' +
        'options by code 0–5, by the ordinalValue extension, or in printed order (scored 0–5). The same import replaces Autolog’s wording of any other instrument with a licensed one (e.g. Keele’s STarT Back).',
      body: Type.Object({ code: InstrumentCode, questionnaire: AnyObject('A FHIR R4 Questionnaire resource'), licenceNote: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) }, { additionalProperties: false }),
      response: { 201: InstrumentSchema },
    },
  }, async (request, reply) => reply.code(201).send(await importInstrument(services, actorOf(request), request.body)));

  app.get('/api/v1/outcome-settings', {
    config: { access: 'outcome:read' },
    schema: { tags: ['outcomes'], summary: 'The clinic’s follow-up protocol, instruments, reminder days, responder rule and patient contact line', response: { 200: SettingsSchema } },
  }, async (request) => getOutcomeSettings(services, actorOf(request)));

  app.put('/api/v1/outcome-settings', {
    config: { access: 'clinic:manage' },
    schema: {
      tags: ['outcomes'], summary: 'Change outcome settings (null resets one to Autolog’s default); schedules already attached keep their protocol',
      body: Type.Object({
        contactText: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
        protocol: Type.Optional(Nullable(AnyObject())),
        baselineInstruments: Type.Optional(Nullable(Type.Array(InstrumentCode, { minItems: 1, maxItems: 10 }))),
        followUpInstruments: Type.Optional(Nullable(Type.Array(InstrumentCode, { minItems: 1, maxItems: 10 }))),
        reminderDays: Type.Optional(Nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 5 }))),
        responderRules: Type.Optional(Nullable(Type.Record(Type.String(), AnyObject(), { description: 'Instrument code → responder rule; replaces the whole map (null: Autolog’s defaults).' }))),
      }, { additionalProperties: false }),
      response: { 200: SettingsSchema },
    },
  }, async (request) => updateOutcomeSettings(services, actorOf(request), request.body as OutcomeSettingsUpdate));

  app.put('/api/v1/episodes/:id/procedure-date', {
    config: { access: 'outcome:write' },
    schema: {
      tags: ['outcomes'], summary: 'Plan (or move, or clear) the procedure date: attaches the follow-up schedule and moves every open time point with the date',
      description: 'Recording the injection (POST /api/v1/episodes/:id/procedures) does the same with the day it was given, in the clinic’s time zone: the follow-up is anchored on the injection. ' +
        'After the injection no "new date" instructions are emailed.',
      params: IdParams,
      body: Type.Object({ plannedProcedureOn: Nullable(IsoDate) }, { additionalProperties: false }),
      response: { 200: FollowUpSchema },
    },
  }, async (request) => setProcedureDate(services, actorOf(request), request.params.id, request.body));

  app.get('/api/v1/episodes/:id/follow-up', {
    config: { access: 'outcome:read' },
    schema: { tags: ['outcomes'], summary: 'The episode’s follow-up: time points, contacts, responses with scores, failures, trajectories (an audited read)', params: IdParams, response: { 200: FollowUpSchema } },
  }, async (request) => getFollowUp(services, actorOf(request), request.params.id));

  app.post('/api/v1/episodes/:id/treatment-failures', {
    config: { access: 'outcome:write' },
    schema: {
      tags: ['outcomes'], summary: 'Record a treatment failure (repeat injection, surgery, other escalation) with its date',
      params: IdParams,
      body: Type.Object({ kind: Type.Enum([...TREATMENT_FAILURE_KINDS]), occurredOn: IsoDate, notes: Type.Optional(Nullable(Note)) }, { additionalProperties: false }),
      response: { 201: FailureSchema },
    },
  }, async (request, reply) => reply.code(201).send(await recordTreatmentFailure(services, actorOf(request), request.params.id, request.body)));

  app.post('/api/v1/time-points/:id/responses', {
    config: { access: 'outcome:write' },
    schema: {
      tags: ['outcomes'], summary: 'Enter answers given by phone or on paper (checked and scored like the survey’s; a repeat updates the same response)',
      params: IdParams,
      body: Type.Object({
        instrumentCode: InstrumentCode, mode: Type.Enum(['phone', 'paper']),
        answers: Type.Record(Type.String({ maxLength: 255 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()]), { description: 'linkId → answer: a number, an option code, true/false or text.' }),
      }, { additionalProperties: false }),
      response: { 201: ResponseSchema },
    },
  }, async (request, reply) => reply.code(201).send(await enterResponse(services, actorOf(request), request.params.id, request.body)));

  app.post('/api/v1/time-points/:id/calls', {
    config: { access: 'outcome:write' },
    schema: {
      tags: ['outcomes'], summary: 'Log a phone call about a time point',
      params: IdParams,
      body: Type.Object({ outcome: Type.Enum(['reached', 'no-answer', 'declined', 'wrong-number']), note: Type.Optional(Nullable(Note)) }, { additionalProperties: false }),
      response: { 201: ContactSchema },
    },
  }, async (request, reply) => reply.code(201).send(await recordCall(services, actorOf(request), request.params.id, request.body)));

  app.get('/api/v1/follow-up/worklist', {
    config: { access: 'outcome:read' },
    schema: {
      tags: ['outcomes'], summary: 'Phone worklist: due time points that email has not brought in (reminders used up, no address, bounced, window closing)',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
      response: { 200: WorklistSchema },
    },
  }, async (request) => listWorklist(services, actorOf(request), request.query));

  app.get('/api/v1/outcomes/summary', {
    config: { access: 'outcome:read' },
    schema: {
      tags: ['outcomes'], summary: 'Outcome summary per indication × time point × instrument, with mean change (95 % t interval) and responders (Wilson 95 %)',
      description: 'Cohort: episodes whose planned procedure date is in [from, to]. Change is follow-up − baseline over complete pairs (negative = better for pain and disability). ' +
        'completionPercent = completed / due. One responder figure per instrument that has a rule, the rule given beside it. ' +
        'clinicianId and structure filter by the recorded injection (who performed it, a structure injected). ' +
        'For a large clinic and a whole-month range the figures come from a rollup at most 30 minutes old (see source and computedAt); add live=true to compute them now.',
      querystring: Type.Object({
        from: Type.Optional(IsoDate), to: Type.Optional(IsoDate), indication: Type.Optional(Indication),
        clinicianId: Type.Optional(Id), structure: Type.Optional(Type.Enum([...INJECTION_STRUCTURES], { description: 'A structure injected (injection target code).' })),
        live: Type.Optional(Type.Boolean({ description: 'Compute now even when a fresh rollup exists.' })),
      }, { additionalProperties: false }),
      response: { 200: SummarySchema },
    },
  }, async (request) => {
    const { live, ...filters } = request.query;
    return outcomeSummary(services, actorOf(request), filters, { source: live ? 'live' : 'auto' });
  });
};
