#!/usr/bin/env node
import { sql } from 'kysely';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createServer } from './server.js';
import { OutboxWorker } from './jobs/outbox-worker.js';
import { FollowUpScheduler } from './jobs/follow-up-scheduler.js';
import { defaultFromAddress, smtpSender } from './mail/transport.js';
import { createFirstAdmin, insertStaff, isSetupNeeded, normaliseEmail } from './services/auth.js';
import { verifyAuditChains, recordAudit } from './services/audit.js';
import type { Services } from './services/context.js';
import { inTransaction } from './services/db-helpers.js';
import { ServiceError } from './services/errors.js';
import { checkPasswordPolicy } from './services/passwords.js';
import { hashPassword } from './services/secrets.js';
import { DEMO_PASSWORD, DEMO_STAFF, buildSyntheticClinic } from './services/synthetic-clinic.js';
import { buildSyntheticOutcomes } from './services/synthetic-outcomes.js';
import { buildSyntheticPathway } from './services/synthetic-pathway.js';
import { openStore, type Store } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import path from 'node:path';

async function openMigrated(config: Config): Promise<Store> {
  const store = openStore(config.databaseUrl, { onIdleError: (e) => process.stderr.write(`autolog: an idle database connection was closed by the server (${e.message}); it will be reopened on demand\n`) });
  await migrateToLatest(store);
  return store;
}

/** Runs the server until SIGINT/SIGTERM; closes cleanly so no acknowledged write is cut off. */
async function serve(config: Config, store: Store, banner?: string): Promise<void> {
  const logger = pino({
    level: config.logLevel,
    serializers: {
      // Query strings carry patient names (search) and tokens (survey links): keep them out of logs.
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0], ip: req.ip }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  });
  const services: Services = { store, config };
  const app = await createServer({ services, logger });
  const sender = config.smtpUrl ? smtpSender(config.smtpUrl, process.env.MAIL_FROM || defaultFromAddress(config.publicUrl)) : undefined;
  const worker = new OutboxWorker(store, sender, logger.child({ component: 'outbox' }));
  const followUps = new FollowUpScheduler(services, logger.child({ component: 'follow-up' }));
  await app.listen({ port: config.port, host: config.host });
  worker.start();
  followUps.start();
  const needsSetup = await isSetupNeeded(store);
  logger.info({ database: store.describe, dialect: store.dialect, smtp: Boolean(sender) }, 'store ready');
  process.stdout.write(`\nAutolog is running at ${config.publicUrl}/app/\n${needsSetup ? 'No account exists yet: open that address to set up the clinic and its first administrator.\n' : ''}${banner ?? ''}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await followUps.stop();
    await worker.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  // Interactive: read without echoing the password.
  process.stdout.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') { cleanup(); process.stdout.write('\n'); resolve(value); return; }
        if (ch === '\u0003') { cleanup(); reject(new Error('cancelled')); return; }
        if (ch === '\u007f') value = value.slice(0, -1); else value += ch;
      }
    };
    const cleanup = () => { process.stdin.setRawMode(false); process.stdin.pause(); process.stdin.off('data', onData); };
    process.stdin.on('data', onData);
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

const program = new Command()
  .name('autolog')
  .description('Autolog: PRP therapy for back pain, from screening to outcomes. Configuration comes from the environment (see README).');

program.command('serve').description('Migrate the database and serve the staff app and API').action(async () => {
  const config = loadConfig();
  await serve(config, await openMigrated(config));
});

program.command('migrate').description('Bring the database schema up to date and exit').action(async () => {
  const store = openStore(loadConfig().databaseUrl);
  const applied = await migrateToLatest(store);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date.\n');
  await store.close();
});

program
  .command('create-admin')
  .description('Create an administrator. With no account yet, also creates the clinic (like the setup page); otherwise adds an admin to --clinic-id.')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'display name')
  .option('--clinic-name <name>', 'name of the new clinic (first run only)')
  .option('--time-zone <zone>', 'IANA time zone of the new clinic', 'UTC')
  .option('--clinic-id <id>', 'existing clinic to add the administrator to')
  .option('--password-stdin', 'read the password from standard input instead of prompting')
  .action(async (opts: { email: string; name: string; clinicName?: string; timeZone: string; clinicId?: string; passwordStdin?: boolean }) => {
    const store = await openMigrated(loadConfig());
    try {
      const password = await readSecret('Password (at least 12 characters): ', Boolean(opts.passwordStdin));
      if (await isSetupNeeded(store)) {
        if (!opts.clinicName) throw new ServiceError('invalid', 'No clinic exists yet: give --clinic-name.', { field: 'clinic-name' });
        const user = await createFirstAdmin(store, { clinicName: opts.clinicName, timeZone: opts.timeZone, displayName: opts.name, email: opts.email, password }, 'cli');
        process.stdout.write(`Created clinic "${opts.clinicName}" (${user.clinic_id}) and administrator ${user.email}.\n`);
      } else {
        if (!opts.clinicId) throw new ServiceError('invalid', 'Accounts already exist: give --clinic-id to add an administrator to a clinic.', { field: 'clinic-id' });
        const email = normaliseEmail(opts.email);
        checkPasswordPolicy(password, 'password', email);
        const passwordHash = await hashPassword(password);
        const clinicId = opts.clinicId;
        const user = await inTransaction(store, async (trx) => {
          const clinic = await trx.selectFrom('clinic').select('id').where('id', '=', clinicId).executeTakeFirst();
          if (!clinic) throw new ServiceError('invalid', `No clinic has the id ${clinicId}.`, { field: 'clinic-id' });
          const u = await insertStaff(trx, { clinicId, email, displayName: opts.name, role: 'admin', passwordHash });
          await recordAudit(trx, store.dialect, { clinicId, actorId: null, actorLabel: 'autolog create-admin (CLI)', ip: 'cli' }, { action: 'create', entityType: 'staff_user', entityId: u.id, detail: { role: 'admin', via: 'cli' } });
          return u;
        });
        process.stdout.write(`Created administrator ${user.email} in clinic ${clinicId}.\n`);
      }
    } finally {
      await store.close();
    }
  });

const audit = program.command('audit').description('Audit trail tools');
audit
  .command('verify')
  .description('Check every hash chain of the audit trail; names the first broken event and exits 1 if one is found')
  .option('--clinic-id <id>', 'check only this clinic’s chain')
  .action(async (opts: { clinicId?: string }) => {
    const store = openStore(loadConfig().databaseUrl);
    try {
      const result = await verifyAuditChains(store.db, opts.clinicId);
      if (result.ok) {
        process.stdout.write(`Audit trail intact: ${result.events} events in ${result.chains} chain(s).\n`);
      } else {
        const b = result.firstBreak!;
        process.stdout.write(`AUDIT TRAIL BROKEN in chain ${b.chain} at event #${b.chainSeq}${b.eventId ? ` (id ${b.eventId})` : ''}: ${b.reason}.\n`);
        process.exitCode = 1;
      }
    } finally {
      await store.close();
    }
  });

program
  .command('demo')
  .description('Build a deterministic synthetic clinic (in DATA_DIR/demo.db unless DATABASE_URL is set) and print the logins')
  .option('--patients <n>', 'number of synthetic patients', positiveInt, 200)
  .option('--seed <n>', 'random seed', positiveInt, 42)
  .option('--as-of <date>', 'the synthetic clinic’s "today" (YYYY-MM-DD)', '2026-06-30')
  .option('--serve', 'serve it afterwards')
  .action(async (opts: { patients: number; seed: number; asOf: string; serve?: boolean }) => {
    const base = loadConfig();
    const config: Config = process.env.DATABASE_URL ? base : { ...base, databaseUrl: path.join(base.dataDir, 'demo.db') };
    const store = await openMigrated(config);
    const logins = `Demo logins (password "${DEMO_PASSWORD}"):\n${DEMO_STAFF.map((s) => `  ${s.role.padEnd(12)} ${s.email}`).join('\n')}\n`;
    if (await isSetupNeeded(store)) {
      const bar = new cliProgress.SingleBar({ format: 'Synthetic clinic [{bar}] {value}/{total} patients  {eta_formatted} left', etaBuffer: 50 }, cliProgress.Presets.shades_classic);
      bar.start(opts.patients, 0);
      const result = await buildSyntheticClinic(store, { seed: opts.seed, patients: opts.patients, asOf: opts.asOf }, (done) => bar.update(done));
      bar.stop();
      process.stdout.write(`Built ${result.patients} patients and ${result.episodes} episodes in ${store.describe}.\n`);
      const outcomes = await buildSyntheticOutcomes(store, result.clinicId, { seed: opts.seed, asOf: opts.asOf });
      process.stdout.write(`Added ${outcomes.timePoints} follow-up time points and ${outcomes.responses} synthetic answers.\n`);
      // After the outcomes: each injection is given on the date the follow-up schedule is anchored on.
      const pathway = await buildSyntheticPathway(store, result.clinicId, { seed: opts.seed, asOf: opts.asOf });
      process.stdout.write(`Added the pathway: ${pathway.leads} leads, ${pathway.assessments} assessments, ${pathway.decisions} decisions, ${pathway.consents} consents, ${pathway.instructionsSent} instruction emails, ${pathway.procedures} injections, ${pathway.adverseEvents} adverse events.\n`);
      // A bulk load leaves the planner without statistics (and a server may run without autovacuum):
      // without them PostgreSQL picked plans up to 100× slower for the worklists (bench/run.ts).
      await sql`analyze`.execute(store.db);
    } else {
      process.stdout.write(`Using the existing demo data in ${store.describe}.\n`);
    }
    process.stdout.write(logins);
    if (opts.serve) await serve(config, store, logins);
    else await store.close();
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ServiceError) {
    process.stderr.write(`autolog: ${error.message}\n`);
  } else {
    process.stderr.write(`autolog: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
