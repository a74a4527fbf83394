import type { Role } from '../store/schema.js';
import { recordAudit, subjectOf } from './audit.js';
import { insertStaff, issueResetToken, normaliseEmail, presentStaff, type StaffView } from './auth.js';
import { INVITATION_SECONDS } from './auth-policy.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction } from './db-helpers.js';
import { invalid, notFound } from './errors.js';
import { enqueueMail } from './outbox.js';
import { checkPasswordPolicy } from './passwords.js';
import { assertCan } from './permissions.js';
import { hashPassword, newToken } from './secrets.js';

export async function listStaff(services: Services, actor: Actor): Promise<StaffView[]> {
  assertCan(actor, 'staff:read');
  const rows = await services.store.db.selectFrom('staff_user').selectAll().where('clinic_id', '=', actor.clinicId).orderBy('display_name').execute();
  return rows.map(presentStaff);
}

export interface NewStaffInput {
  email: string;
  displayName: string;
  role: Role;
  /** Optional: without it the new colleague gets an emailed link to choose one. */
  password?: string;
}

/** Adds a colleague to the actor's clinic and emails them a link to set their password. */
export async function createStaff(services: Services, actor: Actor, input: NewStaffInput): Promise<StaffView> {
  assertCan(actor, 'staff:manage');
  const { store } = services;
  const email = normaliseEmail(input.email);
  if (input.password !== undefined) checkPasswordPolicy(input.password, 'password', email);
  // An unguessable password nobody knows until the invitation link sets a real one.
  const passwordHash = await hashPassword(input.password ?? newToken());
  return inTransaction(store, async (trx) => {
    const user = await insertStaff(trx, { clinicId: actor.clinicId, email, displayName: input.displayName, role: input.role, passwordHash });
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'create', entityType: 'staff_user', entityId: user.id, detail: { role: user.role } });
    if (input.password === undefined) {
      const token = await issueResetToken(trx, user, INVITATION_SECONDS);
      await enqueueMail(trx, {
        clinicId: actor.clinicId, kind: 'staff-invitation', to: email, subject: 'Your Autolog account',
        text: [
          `Hello ${user.display_name},`, '',
          `${actor.label} has created an Autolog account for you.`,
          'Open this link within 72 hours to choose your password:', '',
          `${services.config.publicUrl}/app/reset-password#token=${token}`,
        ].join('\n'),
      });
    }
    return presentStaff(user);
  });
}

export interface StaffUpdate {
  displayName?: string;
  role?: Role;
  active?: boolean;
}

export async function updateStaff(services: Services, actor: Actor, id: string, input: StaffUpdate): Promise<StaffView> {
  assertCan(actor, 'staff:manage');
  const { store } = services;
  return inTransaction(store, async (trx) => {
    const user = await trx.selectFrom('staff_user').selectAll().where('id', '=', id).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
    if (!user) throw notFound('staff account');
    const losesAdmin = user.role === 'admin' && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
    if (losesAdmin) {
      const admins = await trx.selectFrom('staff_user').select((eb) => eb.fn.countAll<number>().as('n')).where('clinic_id', '=', actor.clinicId).where('role', '=', 'admin').where('active', '=', 1).executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1) throw invalid(input.active === false ? 'active' : 'role', 'The clinic must keep at least one active administrator.');
    }
    const changes = {
      ...(input.displayName !== undefined && { display_name: input.displayName.trim() }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
    };
    const updated = { ...user, ...changes, updated_at: nowIso() };
    await trx.updateTable('staff_user').set({ ...changes, updated_at: updated.updated_at }).where('id', '=', id).execute();
    // A deactivated account or a changed role must not keep acting through old sessions.
    if (input.active === false || (input.role !== undefined && input.role !== user.role)) {
      await trx.deleteFrom('staff_session').where('user_id', '=', id).execute();
    }
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'staff_user', entityId: id, detail: { fields: Object.keys(input) } });
    return presentStaff(updated);
  });
}
