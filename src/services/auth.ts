import { sql } from 'kysely';
import type { Store } from '../store/db.js';
import type { Role, StaffUserRow } from '../store/schema.js';
import { recordAudit, subjectOf, type AuditSubject } from './audit.js';
import {
  ACCOUNT_MAX_FAILURES, IP_MAX_FAILURES, LOCKOUT_SECONDS, PASSWORD_RESET_SECONDS, SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS, THROTTLE_WINDOW_SECONDS,
} from './auth-policy.js';
import { addSeconds, nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { ServiceError, conflict, forbidden, invalid } from './errors.js';
import { newId } from './ids.js';
import { enqueueMail } from './outbox.js';
import { checkPasswordPolicy } from './passwords.js';
import { permissionsOf, type Permission } from './permissions.js';
import { DUMMY_PASSWORD_HASH, hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';
import { clearKey, countHit, lockedSeconds, stableKey, type ThrottleRule } from './throttle.js';

export interface StaffView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export function presentStaff(u: StaffUserRow): StaffView {
  return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, active: u.active === 1, lastLoginAt: u.last_login_at, createdAt: u.created_at };
}

export interface SessionView {
  user: StaffView;
  clinic: { id: string; name: string; timeZone: string };
  permissions: Permission[];
  csrfToken: string;
  expiresAt: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// ---------------------------------------------------------------- first-run setup

export async function isSetupNeeded(store: Store): Promise<boolean> {
  const row = await store.db.selectFrom('staff_user').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export interface FirstAdminInput {
  clinicName: string;
  timeZone?: string;
  displayName: string;
  email: string;
  password: string;
}

/**
 * Creates the clinic and its first administrator. Allowed only while no account exists; the
 * check and the insert happen in one serialised transaction, so two racing setups cannot both win.
 * Shared by the setup page and `autolog create-admin`, so both apply the same rules.
 */
export async function createFirstAdmin(store: Store, input: FirstAdminInput, ip: string): Promise<StaffUserRow> {
  const email = normaliseEmail(input.email);
  checkPasswordPolicy(input.password, 'password', email);
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw invalid('timeZone', `"${timeZone}" is not an IANA time zone such as Europe/London.`);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(store, async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('autolog-setup'))`.execute(trx);
    const existing = await trx.selectFrom('staff_user').select('id').limit(1).executeTakeFirst();
    if (existing) throw forbidden('Setup is already complete: an account exists. Sign in, or ask an administrator for an account.');
    const now = nowIso();
    const clinicId = newId();
    await trx.insertInto('clinic').values({ id: clinicId, name: input.clinicName.trim(), time_zone: timeZone, created_at: now }).execute();
    const user = await insertStaff(trx, { clinicId, email, displayName: input.displayName, role: 'admin', passwordHash });
    const who: AuditSubject = { clinicId, actorId: user.id, actorLabel: email, ip };
    await recordAudit(trx, store.dialect, who, { action: 'create', entityType: 'clinic', entityId: clinicId, detail: { name: input.clinicName.trim() } });
    await recordAudit(trx, store.dialect, who, { action: 'create', entityType: 'staff_user', entityId: user.id, detail: { role: 'admin', via: 'setup' } });
    return user;
  });
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function insertStaff(trx: Trx, s: { clinicId: string; email: string; displayName: string; role: Role; passwordHash: string }): Promise<StaffUserRow> {
  const now = nowIso();
  const row: StaffUserRow = {
    id: newId(), clinic_id: s.clinicId, email: s.email, display_name: s.displayName.trim(), role: s.role, password_hash: s.passwordHash,
    active: 1, created_at: now, updated_at: now, last_login_at: null,
  };
  const taken = await trx.selectFrom('staff_user').select('id').where('email', '=', s.email).executeTakeFirst();
  if (taken) throw new ServiceError('conflict', `An account with the email ${s.email} already exists.`, { field: 'email' });
  await trx.insertInto('staff_user').values(row).execute();
  return row;
}

// ---------------------------------------------------------------- sign-in

export interface LoginResult {
  token: string;
  session: SessionView;
}

export async function login(services: Services, input: { email: string; password: string }, client: { ip: string; userAgent: string }): Promise<LoginResult> {
  const { store } = services;
  const email = normaliseEmail(input.email);
  const now = nowIso();
  await assertNotThrottled(store, LOGIN_IP, client.ip, now, 'rate-limited', 'Too many failed sign-ins from this network address.');
  await assertNotThrottled(store, LOGIN_ACCOUNT, email, now, 'locked', 'This account is locked after too many failed sign-ins.');

  const user = await store.db.selectFrom('staff_user').selectAll().where('email', '=', email).executeTakeFirst();
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !passwordOk) {
    await inTransaction(store, async (trx) => {
      await countHit(trx, LOGIN_ACCOUNT, stableKey(LOGIN_ACCOUNT.scope, email), Date.parse(now));
      await countHit(trx, LOGIN_IP, stableKey(LOGIN_IP.scope, client.ip), Date.parse(now));
      const who: AuditSubject = { clinicId: user?.clinic_id ?? null, actorId: user?.id ?? null, actorLabel: email, ip: client.ip };
      await recordAudit(trx, store.dialect, who, { action: 'login-failed', entityType: 'staff_user', entityId: user?.id ?? null, detail: { reason: user ? 'wrong password' : 'unknown email' } });
    });
    throw new ServiceError('unauthenticated', 'The email or password is incorrect.', { field: 'password' });
  }
  if (user.active !== 1) throw forbidden('This account has been deactivated. Ask an administrator of your clinic to reactivate it.');

  const token = newToken();
  const csrfToken = newToken();
  await inTransaction(store, async (trx) => {
    await clearKey(trx, LOGIN_ACCOUNT.scope, stableKey(LOGIN_ACCOUNT.scope, email));
    await trx.insertInto('staff_session').values({
      token_hash: hashToken(token), user_id: user.id, clinic_id: user.clinic_id, csrf_token: csrfToken, created_at: now, last_seen_at: now,
      expires_at: addSeconds(now, SESSION_ABSOLUTE_SECONDS), ip: client.ip, user_agent: client.userAgent.slice(0, 300),
    }).execute();
    await trx.updateTable('staff_user').set({ last_login_at: now }).where('id', '=', user.id).execute();
    await recordAudit(trx, store.dialect, { clinicId: user.clinic_id, actorId: user.id, actorLabel: email, ip: client.ip }, { action: 'login', entityType: 'staff_user', entityId: user.id });
  });
  const session = await describeSession(store, token);
  if (!session) throw new Error('session vanished right after creation');
  return { token, session: session.view };
}

/** Failed sign-ins (and wrong signing passwords) per account and per network address. */
const LOGIN_ACCOUNT: ThrottleRule = { scope: 'login-account', windowSeconds: THROTTLE_WINDOW_SECONDS, window: 'from-first-hit', max: ACCOUNT_MAX_FAILURES, lockSeconds: LOCKOUT_SECONDS };
const LOGIN_IP: ThrottleRule = { scope: 'login-ip', windowSeconds: THROTTLE_WINDOW_SECONDS, window: 'from-first-hit', max: IP_MAX_FAILURES, lockSeconds: LOCKOUT_SECONDS };

async function assertNotThrottled(store: Store, rule: ThrottleRule, value: string, now: string, kind: 'locked' | 'rate-limited', message: string): Promise<void> {
  const seconds = await lockedSeconds(store.db, rule.scope, stableKey(rule.scope, value), Date.parse(now));
  if (seconds > 0) {
    throw new ServiceError(kind, `${message} Try again in ${Math.ceil(seconds / 60)} minute(s), or reset the password by email.`, { retryAfterSeconds: seconds });
  }
}

/**
 * Confirms a signature by the signed-in person's password (eligibility decisions are signed this
 * way). A wrong password is audited and counts toward the account's lockout exactly like a failed
 * sign-in, so the signing form cannot be used to guess a colleague's password on an unattended
 * screen.
 */
export async function confirmPasswordSignature(store: Store, actor: Actor, password: string, purpose: string): Promise<void> {
  const now = nowIso();
  const user = await store.db.selectFrom('staff_user').select(['email', 'password_hash']).where('id', '=', actor.userId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!user) throw new ServiceError('unauthenticated', 'Your account no longer exists. Sign in again.');
  await assertNotThrottled(store, LOGIN_ACCOUNT, user.email, now, 'locked', 'This account is locked after too many wrong passwords; nothing was signed.');
  if (await verifyPassword(password, user.password_hash)) return;
  await inTransaction(store, async (trx) => {
    await countHit(trx, LOGIN_ACCOUNT, stableKey(LOGIN_ACCOUNT.scope, user.email), Date.parse(now));
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'login-failed', entityType: 'signature', entityId: actor.userId, detail: { purpose, reason: 'wrong password' } });
  });
  throw new ServiceError('invalid', 'That is not your password, so nothing was signed. Enter the password you sign in with.', { field: 'password' });
}

// ---------------------------------------------------------------- sessions

export interface AuthenticatedSession {
  actor: Omit<Actor, 'ip'>;
  view: SessionView;
  tokenHash: string;
}

/**
 * Resolves a session cookie. Each way of failing has its own message, because "your session
 * timed out" and "you were never signed in" call for different reactions from the person.
 */
export async function authenticate(store: Store, token: string): Promise<AuthenticatedSession> {
  const found = await describeSession(store, token);
  if (!found) throw new ServiceError('unauthenticated', 'You are not signed in, or your session has ended. Sign in to continue.');
  const now = nowIso();
  const { row } = found;
  if (row.expires_at <= now) {
    await store.db.deleteFrom('staff_session').where('token_hash', '=', found.tokenHash).execute();
    throw new ServiceError('unauthenticated', 'Your session reached its maximum length of 12 hours. Sign in again.');
  }
  if (addSeconds(row.last_seen_at, SESSION_IDLE_SECONDS) <= now) {
    await store.db.deleteFrom('staff_session').where('token_hash', '=', found.tokenHash).execute();
    throw new ServiceError('unauthenticated', 'Your session ended after 30 minutes without activity. Sign in again.');
  }
  if (found.view.user.active === false) throw new ServiceError('unauthenticated', 'This account has been deactivated.');
  if (addSeconds(row.last_seen_at, SESSION_TOUCH_SECONDS) <= now) {
    await store.db.updateTable('staff_session').set({ last_seen_at: now }).where('token_hash', '=', found.tokenHash).execute();
  }
  const u = found.view.user;
  return { actor: { userId: u.id, clinicId: found.view.clinic.id, role: u.role, label: u.email, timeZone: found.view.clinic.timeZone }, view: found.view, tokenHash: found.tokenHash };
}

async function describeSession(store: Store, token: string) {
  const tokenHash = hashToken(token);
  const row = await store.db
    .selectFrom('staff_session as s')
    .innerJoin('staff_user as u', 'u.id', 's.user_id')
    .innerJoin('clinic as c', 'c.id', 's.clinic_id')
    .selectAll('u')
    .select(['s.csrf_token', 's.expires_at', 's.last_seen_at', 'c.name as clinic_name', 'c.time_zone as clinic_time_zone'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { csrf_token, expires_at, last_seen_at, clinic_name, clinic_time_zone, ...user } = row;
  const view: SessionView = {
    user: presentStaff(user), clinic: { id: user.clinic_id, name: clinic_name, timeZone: clinic_time_zone }, permissions: permissionsOf(user.role), csrfToken: csrf_token, expiresAt: expires_at,
  };
  return { tokenHash, row: { expires_at, last_seen_at }, view };
}

export async function logout(store: Store, actor: Actor, tokenHash: string): Promise<void> {
  await inTransaction(store, async (trx) => {
    await trx.deleteFrom('staff_session').where('token_hash', '=', tokenHash).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'logout', entityType: 'staff_user', entityId: actor.userId });
  });
}

// ---------------------------------------------------------------- password reset

/**
 * Emails a single-use link if the address belongs to an active account. The answer is the same
 * either way, so the form cannot be used to find out who works at the clinic.
 */
export async function requestPasswordReset(services: Services, emailInput: string, ip: string): Promise<void> {
  const { store } = services;
  const email = normaliseEmail(emailInput);
  const user = await store.db.selectFrom('staff_user').selectAll().where('email', '=', email).where('active', '=', 1).executeTakeFirst();
  if (!user) return;
  await inTransaction(store, async (trx) => {
    const token = await issueResetToken(trx, user, PASSWORD_RESET_SECONDS);
    await enqueueMail(trx, {
      clinicId: user.clinic_id, kind: 'password-reset', to: user.email, subject: 'Reset your Autolog password',
      text: [
        `Hello ${user.display_name},`, '',
        'Someone (hopefully you) asked to reset the password of your Autolog account.',
        'Open this link within one hour to choose a new password. It works once:', '',
        `${services.config.publicUrl}/app/reset-password#token=${token}`, '',
        'If you did not ask for this, ignore this message: your password stays as it is.',
      ].join('\n'),
    });
    await recordAudit(trx, store.dialect, { clinicId: user.clinic_id, actorId: null, actorLabel: email, ip }, { action: 'password-reset-requested', entityType: 'staff_user', entityId: user.id });
  });
}

export async function issueResetToken(trx: Trx, user: StaffUserRow, validSeconds: number): Promise<string> {
  const token = newToken();
  const now = nowIso();
  await trx.insertInto('password_reset').values({ token_hash: hashToken(token), user_id: user.id, clinic_id: user.clinic_id, created_at: now, expires_at: addSeconds(now, validSeconds), used_at: null }).execute();
  return token;
}

/** Sets a new password from an emailed link; the link then stops working and every session of the account ends. */
export async function resetPassword(store: Store, input: { token: string; password: string }, ip: string): Promise<void> {
  const now = nowIso();
  const reset = await store.db.selectFrom('password_reset').selectAll().where('token_hash', '=', hashToken(input.token)).executeTakeFirst();
  if (!reset || reset.used_at !== null) throw invalid('token', 'This reset link is not valid or has already been used. Ask for a new one.');
  if (reset.expires_at <= now) throw invalid('token', 'This reset link has expired. Ask for a new one.');
  const user = await store.db.selectFrom('staff_user').selectAll().where('id', '=', reset.user_id).executeTakeFirstOrThrow();
  checkPasswordPolicy(input.password, 'password', user.email);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(store, async (trx) => {
    const used = await trx.updateTable('password_reset').set({ used_at: now }).where('token_hash', '=', reset.token_hash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw conflict('This reset link has just been used. Ask for a new one.');
    await trx.updateTable('staff_user').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', user.id).execute();
    await trx.deleteFrom('staff_session').where('user_id', '=', user.id).execute();
    await clearKey(trx, LOGIN_ACCOUNT.scope, stableKey(LOGIN_ACCOUNT.scope, user.email));
    await recordAudit(trx, store.dialect, { clinicId: user.clinic_id, actorId: user.id, actorLabel: user.email, ip }, { action: 'password-reset', entityType: 'staff_user', entityId: user.id });
  });
}
