import { describe, expect, it } from 'vitest';
import { HOME, loginUrlFor, safeNext } from './navigation.js';

describe('safeNext', () => {
  it('keeps paths inside the app and refuses anything else', () => {
    expect(safeNext('/patients/0193?tab=history')).toBe('/patients/0193?tab=history');
    expect(safeNext('/patients')).toBe('/patients');
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/login?next=/x', '/setup']) {
      expect(safeNext(bad)).toBe('/worklist');
    }
  });

  it('sends everyone home to the worklist', () => {
    expect(HOME).toBe('/worklist');
    expect(safeNext('/')).toBe('/worklist');
  });

  it('builds a sign-in address that leads back', () => {
    expect(loginUrlFor('/patients/abc')).toBe('/login?next=%2Fpatients%2Fabc');
    expect(loginUrlFor('/patients')).toBe('/login?next=%2Fpatients');
    expect(loginUrlFor('/worklist')).toBe('/login');
    expect(loginUrlFor('/')).toBe('/login');
  });
});
