import type { Role } from '../store/schema.js';
import { forbidden } from './errors.js';
import type { Actor } from './context.js';

export const ROLES: readonly Role[] = ['admin', 'clinician', 'lab', 'coordinator'];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  clinician: 'Clinician',
  lab: 'Lab / PRP technician',
  coordinator: 'Coordinator',
};

/**
 * The permission matrix: the one place that says which role may do what. Every HTTP route
 * declares one of these permissions (or `public` / `signed-in`), and a test fails if one doesn't.
 */
export const PERMISSIONS = {
  'patient:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'patient:write': ['admin', 'clinician', 'coordinator'],
  'episode:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'episode:write': ['admin', 'clinician', 'coordinator'],
  'staff:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'staff:manage': ['admin'],
  'audit:read': ['admin'],
  'outbox:read': ['admin', 'coordinator'],
  'clinic:manage': ['admin'],
  'article:write': ['admin', 'clinician'],
  'comment:moderate': ['admin', 'clinician'],
  'protocol:manage': ['admin', 'lab'],
  'preparation:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'preparation:write': ['admin', 'lab'],
  'outcome:read': ['admin', 'clinician', 'coordinator'],
  'outcome:write': ['admin', 'clinician', 'coordinator'],
  'instrument:manage': ['admin'],
  // Clinical pathway (leads from the public screening, assessment, decision, consent, custody,
  // procedure, adverse events). Clinical judgements — assessing, signing a decision, injecting,
  // reviewing an adverse event — are the clinician's alone.
  'lead:read': ['admin', 'clinician', 'coordinator'],
  'lead:write': ['admin', 'coordinator'],
  'assessment:read': ['admin', 'clinician', 'coordinator'],
  'assessment:write': ['clinician'],
  'decision:sign': ['clinician'],
  'consent:read': ['admin', 'clinician', 'coordinator', 'lab'],
  'consent:write': ['admin', 'clinician', 'coordinator'],
  'consent-template:manage': ['admin'],
  'instructions:send': ['admin', 'clinician', 'coordinator'],
  'custody:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'custody:write': ['clinician', 'lab'],
  // A failed bedside check's alert is closed by a clinician or an administrator, with a note.
  'custody-alert:acknowledge': ['admin', 'clinician'],
  'procedure:read': ['admin', 'clinician', 'lab', 'coordinator'],
  'procedure:write': ['clinician'],
  'adverse-event:read': ['admin', 'clinician', 'coordinator'],
  'adverse-event:write': ['admin', 'clinician', 'coordinator'],
  'adverse-event:review': ['clinician'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** What a route needs: a matrix permission, any signed-in account, or nothing. */
export type RouteAccess = Permission | 'signed-in' | 'public';

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw forbidden(`Your role (${ROLE_LABELS[actor.role]}) may not do this: it needs the "${permission}" permission.`);
  }
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
