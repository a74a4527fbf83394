import { describeScreeningAnswers, formatSpecimenCode, type ContraindicationResult, type Mismatch, type ScreeningAnswers } from '../science/index.js';
import { fromJson } from '../store/json.js';
import type { Role } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { todayIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { forbidden } from './errors.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { loadEpisodeContext } from './pathway-common.js';

/**
 * The two read models of the pathway: an episode's timeline (every step with its state, who and
 * when, plus every event in order) and the worklists per role. Both are computed from the
 * records on each request — there is no status column to drift out of step with them.
 */

export type StepState = 'done' | 'pending' | 'attention' | 'blocked' | 'not-applicable';
export type StepCode =
  | 'screening' | 'assessment' | 'decision' | 'consent' | 'registry-consent' | 'instructions' | 'draw' | 'preparation' | 'verification' | 'injection' | 'follow-up' | 'adverse-events';

export interface TimelineStep {
  step: StepCode;
  label: string;
  state: StepState;
  at: string | null;
  by: StaffRef | null;
  summary: string;
  /** Records behind the step, for links in the staff app. */
  refs: { type: string; id: string }[];
}

export interface TimelineEvent {
  at: string;
  type: string;
  by: StaffRef | null;
  summary: string;
  entityType: string;
  entityId: string;
}

export interface EpisodeTimeline {
  episode: { id: string; status: string; indication: string; icd10Code: string; openedOn: string; plannedProcedureOn: string | null };
  patient: { id: string; mrn: string; givenName: string; familyName: string; birthDate: string };
  steps: TimelineStep[];
  events: TimelineEvent[];
}

const step = (s: StepCode, label: string, state: StepState, summary: string, extra: Partial<TimelineStep> = {}): TimelineStep => ({ step: s, label, state, at: null, by: null, summary, refs: [], ...extra });

/** The lead's screening in words, for the timeline: what the patient told the public form. */
function screeningSummary(answersJson: unknown): string {
  const answers = fromJson<ScreeningAnswers>(answersJson);
  if (!answers) return 'Answered the public self-screening (no red flags) and asked for a consultation.';
  const words = describeScreeningAnswers(answers);
  return `Answered the public self-screening (no red flags) and asked for a consultation: ${words.painLocations.join(', ')}; ${words.duration}; tried: ${words.tried.join(', ')}.`;
}

export async function getEpisodeTimeline(services: Services, actor: Actor, episodeId: string): Promise<EpisodeTimeline> {
  assertCan(actor, 'episode:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode, patient } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const c = actor.clinicId;
    const [leads, assessments, decisions, consents, sends, specimens, custody, verifications, procedures, adverse, timePoints] = await Promise.all([
      trx.selectFrom('lead').selectAll().where('clinic_id', '=', c).where('patient_id', '=', patient.id).orderBy('created_at').execute(),
      trx.selectFrom('assessment').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('version').execute(),
      trx.selectFrom('eligibility_decision').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('signed_at').orderBy('id').execute(),
      trx.selectFrom('consent').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('signed_at').execute(),
      trx.selectFrom('instruction_send').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('created_at').orderBy('id').execute(),
      trx.selectFrom('specimen').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('drawn_at').execute(),
      trx.selectFrom('custody_event').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('recorded_at').orderBy('id').execute(),
      trx.selectFrom('bedside_verification').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('verified_at').orderBy('id').execute(),
      trx.selectFrom('injection_procedure').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('performed_at').execute(),
      trx.selectFrom('adverse_event').selectAll().where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('onset_on').execute(),
      trx.selectFrom('follow_up_time_point').select(['id', 'code', 'status', 'completed_at', 'due_on']).where('clinic_id', '=', c).where('episode_id', '=', episodeId).orderBy('position').execute(),
    ]);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'episode_timeline', entityId: episodeId, patientId: patient.id });
    const names = await staffNames(trx, c, [
      ...leads.map((l) => l.updated_by), ...assessments.map((a) => a.created_by), ...decisions.map((d) => d.signed_by), ...consents.flatMap((x) => [x.collected_by, x.withdrawn_by]),
      ...sends.map((s) => s.created_by), ...custody.map((e) => e.by_id), ...verifications.map((v) => v.verified_by), ...procedures.map((p) => p.performed_by),
      ...adverse.flatMap((a) => [a.reported_by, a.reviewed_by]),
    ]);
    const who = (id: string | null) => staffRef(names, id);
    const steps: TimelineStep[] = [];

    // The screening this episode came from: the patient's latest request sent before the episode was opened.
    const lead = leads.filter((l) => l.created_at.slice(0, 10) <= episode.opened_on).at(-1);
    steps.push(lead
      ? step('screening', 'Self-screening', 'done', screeningSummary(lead.answers_json), { at: lead.created_at, refs: [{ type: 'lead', id: lead.id }] })
      : step('screening', 'Self-screening', 'not-applicable', 'No self-screening on record (referred, or came in directly).'));

    const assessment = assessments.at(-1);
    steps.push(assessment
      ? step('assessment', 'Assessment', 'done', `Version ${assessment.version}${assessments.length > 1 ? ` (${assessments.length} versions)` : ''}.`, { at: assessment.created_at, by: who(assessment.created_by), refs: [{ type: 'assessment', id: assessment.id }] })
      : step('assessment', 'Assessment', 'pending', 'A clinician assesses indications, imaging, medicines and labs.'));

    const decision = decisions.at(-1);
    if (!decision) steps.push(step('decision', 'Eligibility decision', 'pending', assessment ? 'Awaiting a signed decision.' : 'After the assessment.'));
    else {
      const outdated = assessment !== undefined && assessment.id !== decision.assessment_id;
      const findings = fromJson<ContraindicationResult>(decision.findings_json)!;
      const overridden = decision.override_reason ? ` Absolute contraindication overridden (${findings.absolute.map((f) => f.code).join(', ')}).` : '';
      const state: StepState = outdated ? 'attention' : decision.outcome === 'eligible' ? 'done' : decision.outcome === 'deferred' ? 'attention' : 'blocked';
      steps.push(step('decision', 'Eligibility decision', state, `${decision.outcome === 'eligible' ? 'Eligible' : decision.outcome === 'deferred' ? 'Deferred' : 'Not eligible'}.${overridden}${outdated ? ' The assessment changed since: a new decision is needed.' : ''}`, {
        at: decision.signed_at, by: who(decision.signed_by), refs: [{ type: 'decision', id: decision.id }],
      }));
    }

    const procedureConsents = consents.filter((x) => x.kind === 'procedure');
    const activeConsent = procedureConsents.filter((x) => x.status === 'signed').at(-1);
    steps.push(activeConsent
      ? step('consent', 'Procedure consent', 'done', `Signed (consent text version ${activeConsent.template_version}).`, { at: activeConsent.signed_at, by: who(activeConsent.collected_by), refs: [{ type: 'consent', id: activeConsent.id }] })
      : procedureConsents.length > 0
        ? step('consent', 'Procedure consent', 'attention', 'Withdrawn: the patient must sign again before treatment.', { at: procedureConsents.at(-1)!.withdrawn_at, by: who(procedureConsents.at(-1)!.withdrawn_by), refs: [{ type: 'consent', id: procedureConsents.at(-1)!.id }] })
        : step('consent', 'Procedure consent', 'pending', 'The patient signs the clinic’s consent text in the clinic.'));
    const registry = consents.filter((x) => x.kind === 'registry').at(-1);
    steps.push(registry
      ? step('registry-consent', 'Registry consent (optional)', registry.status === 'signed' ? 'done' : 'attention', registry.status === 'signed' ? 'May be included in research exports.' : 'Withdrawn: excluded from research exports.', {
        at: registry.status === 'signed' ? registry.signed_at : registry.withdrawn_at, by: who(registry.status === 'signed' ? registry.collected_by : registry.withdrawn_by), refs: [{ type: 'consent', id: registry.id }],
      })
      : step('registry-consent', 'Registry consent (optional)', 'not-applicable', 'Not asked or not given: excluded from research exports.'));

    const send = sends.at(-1);
    const planned = episode.planned_procedure_on;
    steps.push(!planned
      ? step('instructions', 'Instructions', 'pending', 'Plan the procedure date; the instructions are dated from it.')
      // Once injected, the date follows the injection (follow-up anchor): the instructions sent before it stand.
      : send && (send.planned_procedure_on === planned || procedures.length > 0)
        ? step('instructions', 'Instructions', 'done', `Emailed for ${send.planned_procedure_on ?? planned}${send.reason === 'date-changed' ? ' (re-sent after the date moved)' : ''}.`, { at: send.created_at, by: who(send.created_by), refs: [{ type: 'instruction_send', id: send.id }] })
        : step('instructions', 'Instructions', send ? 'attention' : 'pending', send ? `Last sent for ${send.planned_procedure_on ?? 'no date'}, not for ${planned}.` : `Not sent yet for ${planned}.`));

    const specimen = specimens.at(-1);
    steps.push(specimen
      ? step('draw', 'Blood draw and label', 'done', `Specimen ${formatSpecimenCode(specimen.code)}${specimens.length > 1 ? ` (${specimens.length} draws)` : ''}.`, { at: specimen.drawn_at, by: who(specimen.drawn_by), refs: specimens.map((s) => ({ type: 'specimen', id: s.id })) })
      : step('draw', 'Blood draw and label', 'pending', 'After a current eligible decision and a signed consent.'));

    const preparedEvent = custody.filter((e) => e.type === 'prepared').at(-1);
    const preparedSpecimen = preparedEvent ? specimens.find((s) => s.id === preparedEvent.specimen_id) : undefined;
    const discarded = specimens.filter((s) => s.status === 'discarded');
    steps.push(preparedEvent && preparedSpecimen
      ? step('preparation', 'Preparation', 'done', `PRP ready${preparedSpecimen.prp_volume_ml ? ` (${preparedSpecimen.prp_volume_ml} mL)` : ''}.`, {
        at: preparedEvent.at, by: who(preparedEvent.by_id),
        refs: [{ type: 'specimen', id: preparedSpecimen.id }, ...(preparedSpecimen.preparation_id ? [{ type: 'preparation', id: preparedSpecimen.preparation_id }] : [])],
      })
      : specimen && specimen.status !== 'discarded'
        ? step('preparation', 'Preparation', 'pending', specimen.status === 'centrifuged' ? 'Centrifuged; being prepared.' : 'Drawn; waiting for the centrifuge.')
        : step('preparation', 'Preparation', discarded.length > 0 ? 'attention' : 'pending', discarded.length > 0 ? `Product discarded: ${discarded.at(-1)!.discard_reason}.` : 'After the draw.'));

    const passed = verifications.filter((v) => v.result === 'passed').at(-1);
    const lastCheck = verifications.at(-1);
    steps.push(lastCheck && lastCheck.result === 'failed'
      ? step('verification', 'Bedside identity check', 'blocked', `FAILED: ${(fromJson<Mismatch[]>(lastCheck.mismatches_json) ?? []).map((m) => m.field).join(', ') || 'product expired'}. The injection is blocked.`, { at: lastCheck.verified_at, by: who(lastCheck.verified_by), refs: [{ type: 'verification', id: lastCheck.id }] })
      : passed
        ? step('verification', 'Bedside identity check', 'done', `Product, wristband and birth date matched${passed.expiry_override_reason ? ' (expiry overridden)' : ''}.`, { at: passed.verified_at, by: who(passed.verified_by), refs: [{ type: 'verification', id: passed.id }] })
        : step('verification', 'Bedside identity check', 'pending', 'Scan the product and the wristband, and confirm the birth date.'));

    const procedure = procedures.at(-1);
    steps.push(procedure
      ? step('injection', 'Injection', 'done', `${procedure.total_volume_ml} mL to ${(fromJson<unknown[]>(procedure.targets_json) ?? []).length} target(s).`, { at: procedure.performed_at, by: who(procedure.performed_by), refs: [{ type: 'procedure', id: procedure.id }] })
      : step('injection', 'Injection', 'pending', 'After a passed bedside check.'));

    const completed = timePoints.filter((t) => t.status === 'completed').length;
    steps.push(timePoints.length === 0
      ? step('follow-up', 'Follow-up', 'not-applicable', 'No follow-up schedule yet (it starts when the procedure date is planned).')
      : step('follow-up', 'Follow-up', completed === timePoints.length ? 'done' : 'pending', `${completed} of ${timePoints.length} time points answered.`, { at: timePoints.filter((t) => t.completed_at).at(-1)?.completed_at ?? null }));

    const flagged = adverse.filter((a) => a.serious === 1 && a.reviewed_at === null);
    steps.push(adverse.length === 0
      ? step('adverse-events', 'Adverse events', 'not-applicable', 'None reported.')
      : step('adverse-events', 'Adverse events', flagged.length > 0 ? 'attention' : 'done', `${adverse.length} reported${flagged.length > 0 ? `; ${flagged.length} serious awaiting review` : ''}.`, { at: adverse.at(-1)!.reported_at, refs: adverse.map((a) => ({ type: 'adverse_event', id: a.id })) }));

    const events: TimelineEvent[] = [
      ...leads.map((l) => ({ at: l.created_at, type: 'lead', by: null, summary: 'Consultation requested through the self-screening', entityType: 'lead', entityId: l.id })),
      ...assessments.map((a) => ({ at: a.created_at, type: 'assessment', by: who(a.created_by), summary: `Assessment version ${a.version}`, entityType: 'assessment', entityId: a.id })),
      ...decisions.map((d) => ({ at: d.signed_at, type: 'decision', by: who(d.signed_by), summary: `Decision signed: ${d.outcome}${d.override_reason ? ' (absolute contraindication overridden)' : ''}`, entityType: 'eligibility_decision', entityId: d.id })),
      ...consents.flatMap((x) => [
        { at: x.signed_at, type: 'consent', by: who(x.collected_by), summary: `${x.kind === 'procedure' ? 'Procedure' : 'Registry'} consent signed (version ${x.template_version})`, entityType: 'consent', entityId: x.id },
        ...(x.withdrawn_at ? [{ at: x.withdrawn_at, type: 'consent-withdrawn', by: who(x.withdrawn_by), summary: `${x.kind === 'procedure' ? 'Procedure' : 'Registry'} consent withdrawn`, entityType: 'consent', entityId: x.id }] : []),
      ]),
      ...sends.map((s) => ({ at: s.created_at, type: 'instructions', by: who(s.created_by), summary: `Instructions emailed (${s.reason}) for ${s.planned_procedure_on ?? 'no date'}`, entityType: 'instruction_send', entityId: s.id })),
      ...custody.map((e) => ({ at: e.at, type: `custody-${e.type}`, by: who(e.by_id), summary: `Product ${formatSpecimenCode(specimens.find((s) => s.id === e.specimen_id)?.code ?? '')}: ${e.type}`, entityType: 'specimen', entityId: e.specimen_id })),
      ...verifications.filter((v) => v.result === 'failed').map((v) => ({ at: v.verified_at, type: 'verification-failed', by: who(v.verified_by), summary: `Bedside check FAILED (${(fromJson<Mismatch[]>(v.mismatches_json) ?? []).map((m) => m.field).join(', ') || 'expired'})`, entityType: 'bedside_verification', entityId: v.id })),
      ...procedures.map((p) => ({ at: p.performed_at, type: 'injection', by: who(p.performed_by), summary: `Injection recorded: ${p.total_volume_ml} mL`, entityType: 'injection_procedure', entityId: p.id })),
      ...adverse.flatMap((a) => [
        { at: a.reported_at, type: 'adverse-event', by: who(a.reported_by), summary: `Adverse event: ${a.category}, ${a.severity}${a.serious ? ' (serious)' : ''}`, entityType: 'adverse_event', entityId: a.id },
        ...(a.reviewed_at ? [{ at: a.reviewed_at, type: 'adverse-event-reviewed', by: who(a.reviewed_by), summary: 'Adverse event reviewed', entityType: 'adverse_event', entityId: a.id }] : []),
      ]),
    ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));

    return {
      episode: { id: episode.id, status: episode.status, indication: episode.indication, icd10Code: episode.icd10_code, openedOn: episode.opened_on, plannedProcedureOn: planned },
      patient: { id: patient.id, mrn: patient.mrn, givenName: patient.given_name, familyName: patient.family_name, birthDate: patient.birth_date },
      steps, events,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Worklists

export type WorklistSectionCode =
  | 'assessments-awaiting-decision' | 'adverse-events-to-review' | 'draws-awaiting-preparation' | 'consents-pending' | 'instructions-pending' | 'leads-to-call';

export interface WorkItem {
  episodeId: string | null;
  leadId: string | null;
  specimenId: string | null;
  adverseEventId: string | null;
  patient: { id: string; mrn: string; givenName: string; familyName: string } | null;
  /** For a lead: the name given. */
  name: string | null;
  at: string;
  summary: string;
}

export interface WorklistSection {
  code: WorklistSectionCode;
  title: string;
  items: WorkItem[];
}

export interface Alert {
  kind: 'serious-adverse-event' | 'identity-mismatch';
  at: string;
  episodeId: string;
  entityId: string;
  patient: { id: string; mrn: string; givenName: string; familyName: string };
  summary: string;
}

export interface Worklist {
  role: Role;
  today: string;
  /** Shown on every home screen: serious adverse events awaiting review, failed bedside checks not yet acknowledged. */
  alerts: Alert[];
  sections: WorklistSection[];
}

const SECTIONS_BY_ROLE: Record<Role, WorklistSectionCode[]> = {
  clinician: ['assessments-awaiting-decision', 'adverse-events-to-review'],
  lab: ['draws-awaiting-preparation'],
  coordinator: ['consents-pending', 'instructions-pending', 'leads-to-call'],
  admin: ['assessments-awaiting-decision', 'adverse-events-to-review', 'draws-awaiting-preparation', 'consents-pending', 'instructions-pending', 'leads-to-call'],
};

const TITLES: Record<WorklistSectionCode, string> = {
  'assessments-awaiting-decision': 'Assessments awaiting a decision',
  'adverse-events-to-review': 'Adverse events to review',
  'draws-awaiting-preparation': 'Today’s draws awaiting preparation',
  'consents-pending': 'Eligible, consent not signed',
  'instructions-pending': 'Instructions not sent for the planned date',
  'leads-to-call': 'Consultation requests to call',
};

const LIMIT = 100;

type PatientCols = { patient_id: string; mrn: string; given_name: string; family_name: string };
const patientOf = (r: PatientCols) => ({ id: r.patient_id, mrn: r.mrn, givenName: r.given_name, familyName: r.family_name });
const item = (partial: Partial<WorkItem> & { at: string; summary: string }): WorkItem => ({ episodeId: null, leadId: null, specimenId: null, adverseEventId: null, patient: null, name: null, ...partial });

/** Open, not yet injected episodes whose latest decision (the one no later decision follows) is "eligible". */
function latestEligibleDecisions(trx: Trx, clinicId: string) {
  return trx.selectFrom('eligibility_decision as d')
    .innerJoin('episode as e', (j) => j.onRef('e.id', '=', 'd.episode_id').onRef('e.clinic_id', '=', 'd.clinic_id'))
    .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'e.patient_id').onRef('p.clinic_id', '=', 'e.clinic_id'))
    .where('d.clinic_id', '=', clinicId).where('d.outcome', '=', 'eligible').where('e.status', '=', 'open')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('eligibility_decision as d2').select('d2.id').whereRef('d2.episode_id', '=', 'd.episode_id').where('d2.clinic_id', '=', clinicId).whereRef('d2.signed_at', '>', 'd.signed_at'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('injection_procedure as ip').select('ip.id').whereRef('ip.episode_id', '=', 'd.episode_id').where('ip.clinic_id', '=', clinicId))));
}

async function section(trx: Trx, clinicId: string, code: WorklistSectionCode, today: string, timeZone: string): Promise<WorkItem[]> {
  switch (code) {
    case 'assessments-awaiting-decision': {
      const rows = await trx.selectFrom('assessment as a')
        .innerJoin('episode as e', (j) => j.onRef('e.id', '=', 'a.episode_id').onRef('e.clinic_id', '=', 'a.clinic_id'))
        .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'a.patient_id').onRef('p.clinic_id', '=', 'a.clinic_id'))
        .select(['a.id', 'a.episode_id', 'a.version', 'a.created_at', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
        .where('a.clinic_id', '=', clinicId).where('e.status', '=', 'open')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('assessment as a2').select('a2.id').whereRef('a2.episode_id', '=', 'a.episode_id').where('a2.clinic_id', '=', clinicId).whereRef('a2.version', '>', 'a.version'))))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('eligibility_decision as d').select('d.id').whereRef('d.assessment_id', '=', 'a.id').where('d.clinic_id', '=', clinicId))))
        .orderBy('a.created_at').limit(LIMIT).execute();
      return rows.map((r) => item({ episodeId: r.episode_id, patient: patientOf(r), at: r.created_at, summary: `Assessment version ${r.version} has no signed decision.` }));
    }
    case 'adverse-events-to-review': {
      const rows = await trx.selectFrom('adverse_event as a')
        .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'a.patient_id').onRef('p.clinic_id', '=', 'a.clinic_id'))
        .select(['a.id', 'a.episode_id', 'a.category', 'a.severity', 'a.serious', 'a.onset_on', 'a.reported_at', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
        .where('a.clinic_id', '=', clinicId).where('a.reviewed_at', 'is', null)
        .orderBy('a.serious', 'desc').orderBy('a.onset_on').limit(LIMIT).execute();
      return rows.map((r) => item({ episodeId: r.episode_id, adverseEventId: r.id, patient: patientOf(r), at: r.reported_at, summary: `${r.serious ? 'SERIOUS — ' : ''}${r.category}, ${r.severity}, onset ${r.onset_on}.` }));
    }
    case 'draws-awaiting-preparation': {
      const since = new Date(Date.now() - 36 * 3_600_000).toISOString();
      const rows = await trx.selectFrom('specimen as s')
        .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 's.patient_id').onRef('p.clinic_id', '=', 's.clinic_id'))
        .select(['s.id', 's.episode_id', 's.code', 's.status', 's.drawn_at', 's.expires_at', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
        .where('s.clinic_id', '=', clinicId).where('s.status', 'in', ['drawn', 'centrifuged']).where('s.drawn_at', '>=', since)
        .orderBy('s.drawn_at').limit(LIMIT).execute();
      const clock = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone });
      return rows.filter((r) => todayIso(timeZone, new Date(r.drawn_at)) === today).map((r) => item({
        episodeId: r.episode_id, specimenId: r.id, patient: patientOf(r), at: r.drawn_at,
        summary: `${formatSpecimenCode(r.code)}: ${r.status}; expires ${clock.format(new Date(r.expires_at))}.`,
      }));
    }
    case 'consents-pending': {
      const rows = await latestEligibleDecisions(trx, clinicId)
        .select(['d.episode_id', 'd.signed_at', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
        .where((eb) => eb.not(eb.exists(eb.selectFrom('consent as c').select('c.id').whereRef('c.episode_id', '=', 'd.episode_id').where('c.clinic_id', '=', clinicId).where('c.kind', '=', 'procedure').where('c.status', '=', 'signed'))))
        .orderBy('d.signed_at').limit(LIMIT).execute();
      return rows.map((r) => item({ episodeId: r.episode_id, patient: patientOf(r), at: r.signed_at, summary: 'Eligible; the procedure consent is not signed.' }));
    }
    case 'instructions-pending': {
      const rows = await latestEligibleDecisions(trx, clinicId)
        .select(['d.episode_id', 'e.planned_procedure_on', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name', 'p.email'])
        .where('e.planned_procedure_on', 'is not', null).where('e.planned_procedure_on', '>=', today)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('instruction_send as i').select('i.id').whereRef('i.episode_id', '=', 'd.episode_id').where('i.clinic_id', '=', clinicId).whereRef('i.planned_procedure_on', '=', 'e.planned_procedure_on'))))
        .orderBy('e.planned_procedure_on').limit(LIMIT).execute();
      return rows.map((r) => item({ episodeId: r.episode_id, patient: patientOf(r), at: r.planned_procedure_on!, summary: `Procedure ${r.planned_procedure_on}: instructions not sent${r.email ? '' : ' (no email address: print them)'}.` }));
    }
    case 'leads-to-call': {
      const rows = await trx.selectFrom('lead').select(['id', 'name', 'phone', 'email', 'preferred_time', 'created_at']).where('clinic_id', '=', clinicId).where('status', '=', 'new')
        .orderBy('created_at').limit(LIMIT).execute();
      return rows.map((r) => item({ leadId: r.id, name: r.name, at: r.created_at, summary: [r.phone ?? r.email, r.preferred_time ? `prefers ${r.preferred_time}` : null].filter(Boolean).join('; ') }));
    }
  }
}

async function alerts(trx: Trx, clinicId: string): Promise<Alert[]> {
  const serious = await trx.selectFrom('adverse_event as a')
    .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'a.patient_id').onRef('p.clinic_id', '=', 'a.clinic_id'))
    .select(['a.id', 'a.episode_id', 'a.category', 'a.severity', 'a.reported_at', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
    .where('a.clinic_id', '=', clinicId).where('a.reviewed_at', 'is', null).where('a.serious', '=', 1).orderBy('a.reported_at').limit(LIMIT).execute();
  // A failed identity check stays pinned until a clinician or administrator acknowledges it with a note.
  const failed = await trx.selectFrom('bedside_verification as v')
    .innerJoin('patient as p', (j) => j.onRef('p.id', '=', 'v.patient_id').onRef('p.clinic_id', '=', 'v.clinic_id'))
    .select(['v.id', 'v.episode_id', 'v.verified_at', 'v.mismatches_json', 'p.id as patient_id', 'p.mrn', 'p.given_name', 'p.family_name'])
    .where('v.clinic_id', '=', clinicId).where('v.result', '=', 'failed').where('v.acknowledged_at', 'is', null).orderBy('v.verified_at', 'desc').limit(LIMIT).execute();
  return [
    ...serious.map((r) => ({ kind: 'serious-adverse-event' as const, at: r.reported_at, episodeId: r.episode_id, entityId: r.id, patient: patientOf(r), summary: `Serious adverse event (${r.category}, ${r.severity}) awaiting a clinician's review.` })),
    ...failed.flatMap((r) => {
      const mismatches = fromJson<Mismatch[]>(r.mismatches_json) ?? [];
      return mismatches.length === 0 ? [] : [{ kind: 'identity-mismatch' as const, at: r.verified_at, episodeId: r.episode_id, entityId: r.id, patient: patientOf(r), summary: `Bedside identity check failed (${mismatches.map((m) => m.field).join(', ')}); the injection was blocked.` }];
    }),
  ];
}

/**
 * The worklist of a role (an administrator may look at any role's; others at their own). It lists
 * names: a read of patient data, audited like a search.
 */
export async function getWorklist(services: Services, actor: Actor, options: { role?: Role } = {}): Promise<Worklist> {
  const role = options.role ?? actor.role;
  if (role !== actor.role && actor.role !== 'admin') throw forbidden('Only an administrator may look at another role’s worklist.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const today = todayIso(actor.timeZone);
    const sections: WorklistSection[] = [];
    for (const code of SECTIONS_BY_ROLE[role]) sections.push({ code, title: TITLES[code], items: await section(trx, actor.clinicId, code, today, actor.timeZone) });
    const found = await alerts(trx, actor.clinicId);
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'search', entityType: 'pathway_worklist', detail: { role, results: sections.reduce((n, s) => n + s.items.length, 0) + found.length } });
    return { role, today, alerts: found, sections };
  });
}
