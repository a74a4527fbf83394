import { describe, expect, it } from 'vitest';
import { apiUrl } from './api.js';

describe('apiUrl', () => {
  it('leaves out empty query values', () => {
    expect(apiUrl('/patients', { q: 'hop', birthDate: '', page: 2, x: undefined, y: null })).toBe('/api/v1/patients?q=hop&page=2');
    expect(apiUrl('/audit')).toBe('/api/v1/audit');
  });
});
