/**
 * The API's shapes, taken from the server's own presenters so a change there fails the type
 * check here. Type-only imports: nothing of the server ends up in the browser bundle.
 */
export type { SessionView, StaffView } from '../services/auth.js';
export type { PatientView, PatientSummary, PatientFields, Page } from '../services/patients.js';
export type { EpisodeView } from '../services/episodes.js';
export type { AuditEventView } from '../services/audit.js';
export type { OutboxView } from '../services/outbox.js';
export type { Permission } from '../services/permissions.js';
export type { Role, Sex, EpisodeStatus } from '../store/schema.js';

import type { OutboxView } from '../services/outbox.js';
import type { PatientSummary } from '../services/patients.js';

/** GET /api/v1/meta */
export interface Meta {
  indications: { code: string; label: string; icd10: string }[];
  roles: Record<string, string>;
}

/** GET /api/v1/audit/verify */
export interface AuditVerification {
  ok: boolean;
  events: number;
  firstBreak: { chain: string; eventId: string | null; chainSeq: number; reason: string } | null;
}

/** GET /api/v1/outbox */
export interface OutboxList {
  smtpConfigured: boolean;
  messages: OutboxView[];
}

/** RFC 9457 problem document, as every API error is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  field?: string;
  errors?: { field: string; message: string }[];
  /** 409 on patient create/update: `likely-duplicate`. */
  code?: string;
  duplicates?: PatientSummary[];
  [extension: string]: unknown;
}

// Preparations, protocols and the PRP systems catalogue (the lab screen and protocols admin).
export type { PreparationView, ComputedView } from '../services/preparations.js';
export type { ProtocolView, ProtocolVersionView, ProtocolSpec } from '../services/protocols.js';
import type { PrpSource, PrpSystem } from '../science/prp-systems.js';

/** GET /api/v1/prp-systems */
export interface PrpCatalogue {
  systems: PrpSystem[];
  sources: Record<string, PrpSource>;
}
