import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to port 3000 and ./data/autolog.db', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe(path.resolve('data/autolog.db'));
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.secureCookies).toBe(false);
    expect(c.smtpUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@db/autolog', PUBLIC_URL: 'https://clinic.example/', SMTP_URL: 'smtp://mail:25', LOG_LEVEL: 'warn', DATA_DIR: '/var/lib/autolog' });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u@db/autolog', publicUrl: 'https://clinic.example', smtpUrl: 'smtp://mail:25', logLevel: 'warn', dataDir: '/var/lib/autolog', secureCookies: true });
  });

  it('reads which proxies to trust', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it.each([
    [{ TRUST_PROXY: 'the load balancer' }, 'TRUST_PROXY'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'clinic.example' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://clinic.example' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'mail.example:25' }, 'SMTP_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the variable in error for %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });
});
