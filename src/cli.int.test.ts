import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './store/db.js';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function cli(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(tsx, ['src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

// Each case spawns the real CLI (tsx compiles on start), so they get generous time on a busy CI machine.
describe('autolog CLI', { timeout: 120_000 }, () => {
  it('create-admin creates the clinic on first run, then needs --clinic-id; audit verify checks the chain', () => {
    const env = { DATA_DIR: tempDataDir() };
    const first = cli(['create-admin', '--email', 'Ada@Clinic.test', '--name', 'Ada', '--clinic-name', 'Harbour Spine', '--password-stdin'], env, 'a long enough passphrase\n');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('Created clinic "Harbour Spine"');

    const again = cli(['create-admin', '--email', 'bo@clinic.test', '--name', 'Bo', '--password-stdin'], env, 'another long passphrase\n');
    expect(again.code).toBe(1);
    expect(again.err).toContain('--clinic-id');

    const weak = cli(['create-admin', '--email', 'x@clinic.test', '--name', 'X', '--clinic-id', 'whatever', '--password-stdin'], env, 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('at least 12 characters');

    const ok = cli(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/intact: 2 events/);

    const db = openStore(path.join(env.DATA_DIR, 'autolog.db'));
    return db.db.updateTable('audit_event').set({ action: 'delete' }).where('chain_seq', '=', 2).execute().then(async () => {
      await db.close();
      const broken = cli(['audit', 'verify'], env);
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/BROKEN .* event #2 .*altered/);
    });
  });

  it('rejects bad configuration with a message naming the variable', () => {
    const res = cli(['migrate'], { DATA_DIR: tempDataDir(), PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(res.err).toContain('PORT must be an integer');
  });

  it('keeps every acknowledged write when the server process is killed', async () => {
    const dataDir = tempDataDir();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server: ChildProcess = spawn(tsx, ['src/cli.ts', 'serve'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent' }, stdio: 'ignore' });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clinicName: 'C', displayName: 'A', email: 'a@c.test', password: 'a long enough passphrase' }) });
      expect(setup.status).toBe(201);
      const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await setup.json()) as { csrfToken: string };
      const acknowledged: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${base}/api/v1/patients`, {
          method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ mrn: `K-${i}`, givenName: 'Kim', familyName: `Killtest${i}`, birthDate: '1980-05-05', sex: 'unknown' }),
        });
        if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
      }
      expect(acknowledged).toHaveLength(20);
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      const store = openStore(path.join(dataDir, 'autolog.db'));
      const rows = await store.db.selectFrom('patient').select('id').execute();
      await store.close();
      expect(rows.map((r) => r.id).sort()).toEqual(acknowledged.sort());
    } finally {
      server.kill('SIGKILL');
    }
  });
});
