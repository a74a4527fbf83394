import {
  findPrpSystem,
  preparationProtocolOf,
  protocolErrors,
  protocolSpinSettings,
  type ActivationAgent,
  type PreparationProtocol,
  type RotorType,
  type SpinSetting,
  type SpinStep,
} from '../science/index.js';
import type { Insertable, Selectable } from 'kysely';
import { fromJson, toJson } from '../store/json.js';
import type { ProtocolVersionTable } from '../store/schema-preparation.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, isUniqueViolation, type Trx } from './db-helpers.js';
import { ServiceError, invalidAll, notFound } from './errors.js';
import { newId } from './ids.js';
import { staffNames, staffRef, type StaffRef } from './staff-refs.js';
import { assertCan } from './permissions.js';

type ProtocolVersionRow = Selectable<ProtocolVersionTable>;

/** Everything a clinic writes down about one protocol version; editing means writing a new version. */
export interface ProtocolSpec {
  name: string;
  description?: string | null;
  /** A catalogue id (GET /api/v1/prp-systems) when the protocol runs a commercial kit. */
  systemId?: string | null;
  spins: SpinStep[];
  rotor: { radiusCm: number; type: RotorType };
  /** The clinic's centrifuge, as the lab names it (make, model, asset tag). */
  centrifuge?: string | null;
  tubes?: { description: string; count: number; volumeMl?: number } | null;
  anticoagulant?: { agent: string; parts: number; bloodParts: number } | null;
  drawVolumeMl?: number | null;
  targetVolumeMl?: number | null;
  activation?: { agent: ActivationAgent; detail?: string } | null;
  notes?: string | null;
}

export interface ProtocolVersionView {
  protocolId: string;
  versionId: string;
  version: number;
  name: string;
  description: string | null;
  systemId: string | null;
  systemName: string | null;
  /** Each spin in × g, with the rpm that gives that force on this protocol's rotor. */
  spins: SpinSetting[];
  rotor: { radiusCm: number; type: RotorType };
  centrifuge: string | null;
  tubes: { description: string; count: number; volumeMl?: number } | null;
  anticoagulant: { agent: string; parts: number; bloodParts: number } | null;
  drawVolumeMl: number | null;
  targetVolumeMl: number | null;
  activation: { agent: ActivationAgent; detail?: string } | null;
  notes: string | null;
  createdAt: string;
  createdBy: StaffRef | null;
}

export interface ProtocolView {
  id: string;
  name: string;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  /** The version asked for (the current one by default). */
  version: ProtocolVersionView;
  /** Every version, newest first. */
  versions: { version: number; versionId: string; name: string; createdAt: string; createdBy: StaffRef | null }[];
}

/** Kept under its old name for callers in services. */
export const toScienceProtocol = preparationProtocolOf;

function checkSpec(spec: ProtocolSpec): void {
  const errors = protocolErrors(toScienceProtocol({
    name: spec.name, version: 1, systemId: spec.systemId ?? null, spins: spec.spins.map((s) => ({ ...s, rpm: 0 })), rotor: spec.rotor,
    anticoagulant: spec.anticoagulant ?? null, activation: spec.activation ?? null,
  }));
  if (errors.length > 0) throw invalidAll(errors);
}

/** One 400 naming every bad field (`errors[]`), with the first as `field`. */
function presentVersion(row: ProtocolVersionRow, names: Map<string, string>): ProtocolVersionView {
  const rotor = { radiusCm: row.rotor_radius_cm, type: row.rotor_type as RotorType };
  const spins = fromJson<SpinStep[]>(row.spins) ?? [];
  return {
    protocolId: row.protocol_id,
    versionId: row.id,
    version: row.version,
    name: row.name,
    description: row.description,
    systemId: row.system_id,
    systemName: row.system_id ? findPrpSystem(row.system_id)?.name ?? null : null,
    spins: protocolSpinSettings(spins, rotor.radiusCm),
    rotor,
    centrifuge: row.centrifuge,
    tubes: fromJson(row.tubes),
    anticoagulant: row.anticoagulant_agent !== null && row.anticoagulant_parts !== null && row.anticoagulant_blood_parts !== null
      ? { agent: row.anticoagulant_agent, parts: row.anticoagulant_parts, bloodParts: row.anticoagulant_blood_parts }
      : null,
    drawVolumeMl: row.draw_volume_ml,
    targetVolumeMl: row.target_volume_ml,
    activation: row.activation_agent === null ? null : { agent: row.activation_agent as ActivationAgent, ...(row.activation_detail !== null && { detail: row.activation_detail }) },
    notes: row.notes,
    createdAt: row.created_at,
    createdBy: staffRef(names, row.created_by_id),
  };
}

function versionRow(actor: Actor, protocolId: string, version: number, spec: ProtocolSpec, now: string): Insertable<ProtocolVersionTable> {
  return {
    id: newId(),
    clinic_id: actor.clinicId,
    protocol_id: protocolId,
    version,
    name: spec.name.trim(),
    description: spec.description?.trim() || null,
    system_id: spec.systemId || null,
    spins: toJson(spec.spins.map((s) => ({ rcf: s.rcf, minutes: s.minutes, ...(s.temperatureC !== undefined && { temperatureC: s.temperatureC }) }))),
    rotor_radius_cm: spec.rotor.radiusCm,
    rotor_type: spec.rotor.type,
    centrifuge: spec.centrifuge?.trim() || null,
    tubes: toJson(spec.tubes ?? null),
    anticoagulant_agent: spec.anticoagulant?.agent.trim() ?? null,
    anticoagulant_parts: spec.anticoagulant?.parts ?? null,
    anticoagulant_blood_parts: spec.anticoagulant?.bloodParts ?? null,
    draw_volume_ml: spec.drawVolumeMl ?? null,
    target_volume_ml: spec.targetVolumeMl ?? null,
    activation_agent: spec.activation?.agent ?? null,
    activation_detail: spec.activation?.detail?.trim() || null,
    notes: spec.notes?.trim() || null,
    created_at: now,
    created_by_id: actor.userId,
  };
}

function nameTaken(name: string): ServiceError {
  return new ServiceError('conflict', `This clinic already has a protocol named "${name}". Choose another name, or add a version to that protocol.`, { field: 'name' });
}

async function assertNameFree(trx: Trx, clinicId: string, name: string, exceptId?: string): Promise<void> {
  let q = trx.selectFrom('prep_protocol').select('id').where('clinic_id', '=', clinicId).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw nameTaken(name);
}

/** A protocol of the actor's clinic with the asked (or current) version and the list of its versions. */
async function loadProtocol(trx: Trx, clinicId: string, id: string, version?: number): Promise<ProtocolView | null> {
  const protocol = await trx.selectFrom('prep_protocol').selectAll().where('id', '=', id).where('clinic_id', '=', clinicId).executeTakeFirst();
  if (!protocol) return null;
  const versions = await trx.selectFrom('prep_protocol_version').selectAll().where('clinic_id', '=', clinicId).where('protocol_id', '=', id).orderBy('version', 'desc').execute();
  const wanted = versions.find((v) => v.version === (version ?? protocol.current_version));
  if (!wanted) return null;
  const names = await staffNames(trx, clinicId, versions.map((v) => v.created_by_id));
  return {
    id: protocol.id,
    name: protocol.name,
    currentVersion: protocol.current_version,
    createdAt: protocol.created_at,
    updatedAt: protocol.updated_at,
    version: presentVersion(wanted, names),
    versions: versions.map((v) => ({ version: v.version, versionId: v.id, name: v.name, createdAt: v.created_at, createdBy: staffRef(names, v.created_by_id) })),
  };
}

/** Only the asked (or current) version of a protocol of this clinic: what a preparation follows. */
export async function loadProtocolVersion(trx: Trx, clinicId: string, id: string, version?: number): Promise<ProtocolVersionView | null> {
  const row = await trx
    .selectFrom('prep_protocol_version as v')
    .innerJoin('prep_protocol as p', (join) => join.onRef('p.id', '=', 'v.protocol_id').onRef('p.clinic_id', '=', 'v.clinic_id'))
    .selectAll('v')
    .where('v.clinic_id', '=', clinicId)
    .where('v.protocol_id', '=', id)
    .where((eb) => (version === undefined ? eb('v.version', '=', eb.ref('p.current_version')) : eb('v.version', '=', version)))
    .executeTakeFirst();
  return row ? presentVersion(row, await staffNames(trx, clinicId, [row.created_by_id])) : null;
}

export async function listProtocols(services: Services, actor: Actor): Promise<ProtocolVersionView[]> {
  assertCan(actor, 'preparation:read');
  return inTransaction(services.store, async (trx) => {
    const rows = await trx
      .selectFrom('prep_protocol_version as v')
      .innerJoin('prep_protocol as p', (join) => join.onRef('p.id', '=', 'v.protocol_id').onRef('p.current_version', '=', 'v.version'))
      .selectAll('v')
      .where('v.clinic_id', '=', actor.clinicId)
      .where('p.clinic_id', '=', actor.clinicId)
      .orderBy('p.name')
      .execute();
    const names = await staffNames(trx, actor.clinicId, rows.map((r) => r.created_by_id));
    return rows.map((r) => presentVersion(r, names));
  });
}

export async function getProtocol(services: Services, actor: Actor, id: string, version?: number): Promise<ProtocolView> {
  assertCan(actor, 'preparation:read');
  return inTransaction(services.store, async (trx) => {
    const found = await loadProtocol(trx, actor.clinicId, id, version);
    if (!found) throw notFound(version === undefined ? 'protocol' : `version ${version} of a protocol`);
    return found;
  });
}

export async function createProtocol(services: Services, actor: Actor, spec: ProtocolSpec): Promise<ProtocolView> {
  assertCan(actor, 'protocol:manage');
  checkSpec(spec);
  const { store } = services;
  const name = spec.name.trim();
  try {
    return await inTransaction(store, async (trx) => {
      await assertNameFree(trx, actor.clinicId, name);
      const now = nowIso();
      const id = newId();
      await trx.insertInto('prep_protocol').values({ id, clinic_id: actor.clinicId, name, current_version: 1, created_at: now, updated_at: now }).execute();
      const row = versionRow(actor, id, 1, spec, now);
      await trx.insertInto('prep_protocol_version').values(row).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'protocol', entityId: id, detail: { version: 1, name } });
      return (await loadProtocol(trx, actor.clinicId, id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/**
 * Edits a protocol by adding a version: old versions are never changed, so every preparation
 * keeps pointing at exactly what was followed.
 */
export async function addProtocolVersion(services: Services, actor: Actor, id: string, spec: ProtocolSpec): Promise<ProtocolView> {
  assertCan(actor, 'protocol:manage');
  const { store } = services;
  const name = spec.name.trim();
  try {
    return await inTransaction(store, async (trx) => {
      let q = trx.selectFrom('prep_protocol').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId);
      // Serialises concurrent edits of one protocol on PostgreSQL (version numbers stay dense).
      if (store.dialect === 'postgres') q = q.forUpdate();
      const protocol = await q.executeTakeFirst();
      if (!protocol) throw notFound('protocol');
      checkSpec(spec);
      await assertNameFree(trx, actor.clinicId, name, id);
      const now = nowIso();
      const version = protocol.current_version + 1;
      await trx.insertInto('prep_protocol_version').values(versionRow(actor, id, version, spec, now)).execute();
      await trx.updateTable('prep_protocol').set({ name, current_version: version, updated_at: now }).where('id', '=', id).where('clinic_id', '=', actor.clinicId).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'protocol', entityId: id, detail: { version, name } });
      return (await loadProtocol(trx, actor.clinicId, id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}
