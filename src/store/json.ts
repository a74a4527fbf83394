import type { Dialect } from './db.js';

/** JSON columns: text in SQLite, jsonb in PostgreSQL. Writes are always a JSON string. */
export function jsonColumnType(dialect: Dialect): 'text' | 'jsonb' {
  return dialect === 'postgres' ? 'jsonb' : 'text';
}

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The pg driver hands jsonb back parsed; SQLite hands back the text. */
export function fromJson<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
