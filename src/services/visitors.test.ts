import { describe, expect, it } from 'vitest';
import { isKnownBot } from './visitors.js';

describe('isKnownBot', () => {
  it('recognises crawlers and link previewers, and requests without a user agent', () => {
    for (const ua of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'facebookexternalhit/1.1', 'curl/8.5.0', 'python-requests/2.31', '', undefined]) {
      expect(isKnownBot(ua), String(ua)).toBe(true);
    }
  });

  it('lets browsers through', () => {
    expect(isKnownBot('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe(false);
    expect(isKnownBot('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(false);
  });
});
