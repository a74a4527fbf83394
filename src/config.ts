import path from 'node:path';

/** Checked configuration, read once at start-up. Nothing else reads process.env. */
export interface Config {
  port: number;
  host: string;
  /** A SQLite file path, or a postgres:// URL. */
  databaseUrl: string;
  /** The address patients and staff use; links in emails are built from it. */
  publicUrl: string;
  /** smtp:// or smtps:// URL; without it mail is kept in the outbox and never dropped. */
  smtpUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  /**
   * Which reverse proxies to believe about the client address (X-Forwarded-For): false, a hop
   * count, or addresses/CIDRs. Sign-in limits and comment limits key on that address.
   */
  trustProxy: boolean | number | string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const databaseUrl = env.DATABASE_URL || path.join(dataDir, 'autolog.db');
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsedPublic: URL;
  try {
    parsedPublic = new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got "${env.PUBLIC_URL}"`);
  }
  if (parsedPublic.protocol !== 'http:' && parsedPublic.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got "${env.PUBLIC_URL}"`);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${smtpUrl}"`);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return { port, host, databaseUrl, publicUrl, smtpUrl, logLevel, dataDir, secureCookies: parsedPublic.protocol === 'https:', trustProxy: parseTrustProxy(env.TRUST_PROXY) };
}

function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.every((s) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(s) || ['loopback', 'linklocal', 'uniquelocal'].includes(s))) {
    throw new ConfigError(`TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses or CIDRs, got "${value}"`);
  }
  return list;
}
