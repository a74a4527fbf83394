import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ConsentKind, ConsentStatus, ConsentTemplateTable, SignatureKind } from '../store/schema-pathway.js';
import type { Database, Sex } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, isUniqueViolation } from './db-helpers.js';
import { ServiceError, conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { renderArticleHtml } from './markdown.js';
import { assertCan } from './permissions.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { loadEpisodeContext, type ConsentRow } from './pathway-common.js';

/**
 * Consent, written by the clinic and signed by the patient.
 * - Templates are versioned: a change is a new version; a signed consent points at the exact
 *   version and keeps the SHA-256 of the text it showed.
 * - A signature is the patient's typed name and a drawn mark (a PNG data URL from a canvas, or
 *   SVG path data from a pointer trace), checked for type and size.
 * - A signed consent never changes. Withdrawal is recorded beside it (who, when, why); the
 *   registry consent (may the data enter research exports?) is optional and can be withdrawn.
 */

type TemplateRow = Selectable<ConsentTemplateTable>;

export const CONSENT_KINDS: readonly ConsentKind[] = ['procedure', 'registry'];

export const SIGNATURE_LIMITS = {
  /** A canvas signature is usually 5–40 KB; this leaves room for a high-density tablet. */
  pngBytes: 300 * 1024,
  pathChars: 100_000,
  minSide: 20,
  maxWidth: 4000,
  maxHeight: 2000,
} as const;

export interface TemplateView {
  id: string;
  kind: ConsentKind;
  version: number;
  title: string;
  bodyMarkdown: string;
  /** The text as safe HTML (the same renderer as the public articles). */
  bodyHtml: string;
  bodySha256: string;
  createdAt: string;
  createdBy: StaffRef | null;
  /** The latest version of its kind: the one patients sign now. */
  current: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The latest version number of the clinic's consent text of a kind (0 when there is none). */
async function currentTemplateVersion(db: Kysely<Database>, clinicId: string, kind: ConsentKind): Promise<number> {
  const latest = await db.selectFrom('consent_template').select((eb) => eb.fn.max('version').as('v')).where('clinic_id', '=', clinicId).where('kind', '=', kind).executeTakeFirst();
  return Number(latest?.v ?? 0);
}

function presentTemplate(row: TemplateRow, names: Map<string, string>, currentVersion: number): TemplateView {
  return {
    id: row.id, kind: row.kind, version: row.version, title: row.title, bodyMarkdown: row.body_markdown, bodyHtml: renderArticleHtml(row.body_markdown),
    bodySha256: row.body_sha256, createdAt: row.created_at, createdBy: staffRef(names, row.created_by), current: row.version === currentVersion,
  };
}

/** Publishes a new version of the clinic's consent text of a kind. */
export async function createConsentTemplate(services: Services, actor: Actor, input: { kind: ConsentKind; title: string; bodyMarkdown: string }): Promise<TemplateView> {
  assertCan(actor, 'consent-template:manage');
  const title = input.title.trim();
  const body = input.bodyMarkdown.replace(/\r\n?/g, '\n').trim();
  if (!title) throw invalid('title', 'Give the consent a title.');
  if (body.length < 50) throw invalid('bodyMarkdown', 'The consent text is too short to explain risks, benefits and alternatives (at least 50 characters).');
  const { store } = services;
  try {
    return await inTransaction(store, async (trx) => {
      const row: TemplateRow = {
        id: newId(), clinic_id: actor.clinicId, kind: input.kind, version: (await currentTemplateVersion(trx, actor.clinicId, input.kind)) + 1, title, body_markdown: body, body_sha256: sha256(body),
        created_at: nowIso(), created_by: actor.userId,
      };
      await trx.insertInto('consent_template').values(row).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'consent_template', entityId: row.id, detail: { kind: row.kind, version: row.version, sha256: row.body_sha256 } });
      return presentTemplate(row, await staffNames(trx, actor.clinicId, [actor.userId]), row.version);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Someone published a version at the same moment; reload and try again.');
    throw error;
  }
}

/** Every version, newest first (optionally of one kind). */
export async function listConsentTemplates(services: Services, actor: Actor, options: { kind?: ConsentKind } = {}): Promise<TemplateView[]> {
  assertCan(actor, 'consent:read');
  const { db } = services.store;
  let q = db.selectFrom('consent_template').selectAll().where('clinic_id', '=', actor.clinicId);
  if (options.kind) q = q.where('kind', '=', options.kind);
  const rows = await q.orderBy('kind').orderBy('version', 'desc').execute();
  const current = new Map<string, number>();
  for (const r of rows) current.set(r.kind, Math.max(current.get(r.kind) ?? 0, r.version));
  const names = await staffNames(db, actor.clinicId, rows.map((r) => r.created_by));
  return rows.map((r) => presentTemplate(r, names, current.get(r.kind)!));
}

export async function getConsentTemplate(services: Services, actor: Actor, id: string): Promise<TemplateView> {
  assertCan(actor, 'consent:read');
  const { db } = services.store;
  const row = await db.selectFrom('consent_template').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!row) throw notFound('consent template');
  return presentTemplate(row, await staffNames(db, actor.clinicId, [row.created_by]), await currentTemplateVersion(db, actor.clinicId, row.kind));
}

// ---------------------------------------------------------------------------------------------
// Signatures

export type SignatureInput =
  | { kind: 'png'; dataUrl: string }
  | { kind: 'svg-path'; d: string; width: number; height: number };

interface CheckedSignature {
  kind: SignatureKind;
  data: string;
  width: number;
  height: number;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// SVG path grammar, characters only: commands, numbers, separators. No markup can get through.
const PATH_CHARS = /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]+$/;

function checkSize(width: number, height: number, field: string): void {
  const { minSide, maxWidth, maxHeight } = SIGNATURE_LIMITS;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < minSide || height < minSide || width > maxWidth || height > maxHeight) {
    throw invalid(field, `The signature must be between ${minSide}×${minSide} and ${maxWidth}×${maxHeight} pixels (it is ${width}×${height}).`);
  }
}

/** Accepts only a real PNG (signature bytes and IHDR read) or plain path data, within size limits. */
export function checkSignature(input: SignatureInput): CheckedSignature {
  if (input.kind === 'png') {
    const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(input.dataUrl);
    if (!match) throw invalid('signature.dataUrl', 'The signature must be a PNG image as a data URL (data:image/png;base64,…).');
    const bytes = Buffer.from(match[1]!, 'base64');
    if (bytes.length > SIGNATURE_LIMITS.pngBytes) throw invalid('signature.dataUrl', `The signature image is too large (${Math.round(bytes.length / 1024)} KB; at most ${SIGNATURE_LIMITS.pngBytes / 1024} KB).`);
    // PNG: 8-byte signature, then the IHDR chunk (length 13) carrying width and height (ISO/IEC 15948 §11.2.2).
    if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_MAGIC) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
      throw invalid('signature.dataUrl', 'The signature is not a PNG image.');
    }
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    checkSize(width, height, 'signature.dataUrl');
    return { kind: 'png', data: input.dataUrl, width, height };
  }
  const d = input.d.trim();
  if (d.length > SIGNATURE_LIMITS.pathChars) throw invalid('signature.d', `The signature path is too long (at most ${SIGNATURE_LIMITS.pathChars} characters).`);
  if (!/^[Mm]/.test(d) || !PATH_CHARS.test(d) || !/[LlHhVvCcSsQqTtAa]/.test(d)) {
    throw invalid('signature.d', 'The signature must be SVG path data that starts with a move (M) and draws at least one line or curve.');
  }
  checkSize(input.width, input.height, 'signature.width');
  return { kind: 'svg-path', data: d.replace(/\s+/g, ' '), width: input.width, height: input.height };
}

// ---------------------------------------------------------------------------------------------
// Signed consents

export interface ConsentView {
  id: string;
  episodeId: string;
  patientId: string;
  kind: ConsentKind;
  templateId: string;
  templateVersion: number;
  title: string;
  bodySha256: string;
  signedName: string;
  signature: { kind: SignatureKind; data: string; width: number; height: number };
  signedAt: string;
  collectedBy: StaffRef | null;
  status: ConsentStatus;
  withdrawnAt: string | null;
  withdrawnBy: StaffRef | null;
  withdrawalReason: string | null;
}

function presentConsent(row: ConsentRow, title: string, names: Map<string, string>): ConsentView {
  return {
    id: row.id, episodeId: row.episode_id, patientId: row.patient_id, kind: row.kind, templateId: row.template_id, templateVersion: row.template_version, title,
    bodySha256: row.body_sha256, signedName: row.signed_name,
    signature: { kind: row.signature_kind, data: row.signature_data, width: row.signature_width, height: row.signature_height },
    signedAt: row.signed_at, collectedBy: staffRef(names, row.collected_by), status: row.status, withdrawnAt: row.withdrawn_at,
    withdrawnBy: staffRef(names, row.withdrawn_by), withdrawalReason: row.withdrawal_reason,
  };
}

export interface SignConsentInput {
  templateId: string;
  /** The name the patient typed. */
  signedName: string;
  signature: SignatureInput;
}

/**
 * Records the patient's signature on the current version of a consent text, in the clinic (the
 * staff member who collected it is recorded). Signing an older version is refused: the patient
 * must have read what the clinic asks today.
 */
export async function signConsent(services: Services, actor: Actor, episodeId: string, input: SignConsentInput): Promise<ConsentView> {
  assertCan(actor, 'consent:write');
  const signedName = input.signedName.replace(/\s+/g, ' ').trim();
  if (signedName.length < 2) throw invalid('signedName', 'The patient types their full name to sign.');
  const signature = checkSignature(input.signature);
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId, { lock: true });
    if (episode.status === 'cancelled') throw conflict('This episode was cancelled.');
    const template = await trx.selectFrom('consent_template').selectAll().where('id', '=', input.templateId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!template) throw new ServiceError('invalid', 'templateId: no consent text with that id in this clinic.', { field: 'templateId' });
    const latestVersion = await currentTemplateVersion(trx, actor.clinicId, template.kind);
    if (latestVersion !== template.version) {
      throw new ServiceError('conflict', `A newer version (${latestVersion}) of this consent exists; show the patient that one.`, { field: 'templateId', data: { code: 'template-superseded', latestVersion } });
    }
    const row: ConsentRow = {
      id: newId(), clinic_id: actor.clinicId, episode_id: episodeId, patient_id: episode.patient_id, kind: template.kind, template_id: template.id, template_version: template.version,
      body_sha256: template.body_sha256, signed_name: signedName, signature_kind: signature.kind, signature_data: signature.data, signature_width: signature.width,
      signature_height: signature.height, signed_at: nowIso(), collected_by: actor.userId, status: 'signed', withdrawn_at: null, withdrawn_by: null, withdrawal_reason: null,
    };
    await trx.insertInto('consent').values(row).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), {
      action: 'create', entityType: 'consent', entityId: row.id, patientId: episode.patient_id,
      detail: { episodeId, kind: row.kind, templateVersion: row.template_version, sha256: row.body_sha256, signature: row.signature_kind },
    });
    return presentConsent(row, template.title, await staffNames(trx, actor.clinicId, [actor.userId]));
  });
}

/** The episode's consents, newest first. Audited. */
export async function listConsents(services: Services, actor: Actor, episodeId: string): Promise<ConsentView[]> {
  assertCan(actor, 'consent:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const { episode } = await loadEpisodeContext(trx, services, actor.clinicId, episodeId);
    const rows = await trx.selectFrom('consent').innerJoin('consent_template as t', 't.id', 'consent.template_id').selectAll('consent').select('t.title')
      .where('consent.clinic_id', '=', actor.clinicId).where('consent.episode_id', '=', episodeId).orderBy('consent.signed_at', 'desc').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'consent', patientId: episode.patient_id, detail: { episodeId, list: true, count: rows.length } });
    const names = await staffNames(trx, actor.clinicId, rows.flatMap((r) => [r.collected_by, r.withdrawn_by]));
    return rows.map(({ title, ...r }) => presentConsent(r, title, names));
  });
}

export async function getConsent(services: Services, actor: Actor, id: string): Promise<ConsentView> {
  assertCan(actor, 'consent:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('consent').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('consent');
    const template = await trx.selectFrom('consent_template').select('title').where('id', '=', row.template_id).executeTakeFirstOrThrow();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'consent', entityId: id, patientId: row.patient_id });
    return presentConsent(row, template.title, await staffNames(trx, actor.clinicId, [row.collected_by, row.withdrawn_by]));
  });
}

/** Records the withdrawal of a consent; the signed copy itself is never changed. */
export async function withdrawConsent(services: Services, actor: Actor, id: string, input: { reason: string }): Promise<ConsentView> {
  assertCan(actor, 'consent:write');
  const reason = input.reason.trim();
  if (reason.length < 3) throw invalid('reason', 'Say why (or at whose request) the consent is withdrawn.');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('consent').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('consent');
    if (row.status === 'withdrawn') throw conflict('This consent was already withdrawn.');
    if (row.kind === 'procedure') {
      const injected = await trx.selectFrom('injection_procedure').select('id').where('clinic_id', '=', actor.clinicId).where('episode_id', '=', row.episode_id).executeTakeFirst();
      if (injected) throw conflict('The procedure has already been done under this consent; record the patient’s wishes in the episode notes instead.');
    }
    const now = nowIso();
    await trx.updateTable('consent').set({ status: 'withdrawn', withdrawn_at: now, withdrawn_by: actor.userId, withdrawal_reason: reason })
      .where('id', '=', id).where('clinic_id', '=', actor.clinicId).where('status', '=', 'signed').execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'consent', entityId: id, patientId: row.patient_id, detail: { kind: row.kind, withdrawn: true } });
    const template = await trx.selectFrom('consent_template').select('title').where('id', '=', row.template_id).executeTakeFirstOrThrow();
    return presentConsent({ ...row, status: 'withdrawn', withdrawn_at: now, withdrawn_by: actor.userId, withdrawal_reason: reason }, template.title, await staffNames(trx, actor.clinicId, [row.collected_by, actor.userId]));
  });
}

export interface ConsentPrint {
  clinicName: string;
  clinicTimeZone: string;
  patient: { mrn: string; givenName: string; familyName: string; birthDate: string; sex: Sex };
  consent: ConsentView;
  template: TemplateView;
  /** The stored text still hashes to what was signed. */
  textVerified: boolean;
  printedAt: string;
  printedBy: string;
}

/** Everything the printable signed copy shows; an audited read. */
export async function getConsentPrint(services: Services, actor: Actor, id: string): Promise<ConsentPrint> {
  assertCan(actor, 'consent:read');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const row = await trx.selectFrom('consent').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!row) throw notFound('consent');
    const template = await trx.selectFrom('consent_template').selectAll().where('id', '=', row.template_id).executeTakeFirstOrThrow();
    const { patient } = await loadEpisodeContext(trx, services, actor.clinicId, row.episode_id);
    const clinic = await trx.selectFrom('clinic').select(['name', 'time_zone']).where('id', '=', actor.clinicId).executeTakeFirstOrThrow();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'read', entityType: 'consent', entityId: id, patientId: row.patient_id, detail: { print: true } });
    const names = await staffNames(trx, actor.clinicId, [row.collected_by, row.withdrawn_by, template.created_by]);
    return {
      clinicName: clinic.name, clinicTimeZone: clinic.time_zone,
      patient: { mrn: patient.mrn, givenName: patient.given_name, familyName: patient.family_name, birthDate: patient.birth_date, sex: patient.sex },
      consent: presentConsent(row, template.title, names), template: presentTemplate(template, names, -1),
      textVerified: sha256(template.body_markdown) === row.body_sha256, printedAt: nowIso(), printedBy: actor.label,
    };
  });
}
