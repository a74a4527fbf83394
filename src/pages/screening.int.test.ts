import { describe, expect, it } from 'vitest';
import { RED_FLAG_CODES, redFlagField } from '../science/index.js';
import { setUpClinic, useTestServer } from '../http/testing/test-server.js';
import { DIALECTS } from '../store/testing/test-store.js';

const noFlags = Object.fromEntries(RED_FLAG_CODES.map((code) => [redFlagField(code), 'no']));
const screeningForm: Record<string, string> = { painLocations: 'lower-back', duration: '3-to-12-months', tried: 'exercise-physiotherapy', ...noFlags };
const form = (entries: [string, string][]) => new URLSearchParams(entries).toString();

/** The public self-screening, as a person without JavaScript (and a bot) uses it, on both dialects. */
describe.each(DIALECTS)('public self-screening on %s', (dialect) => {
  const server = useTestServer(dialect);
  const count = async (table: 'lead' | 'throttle' | 'audit_event') =>
    Number((await server.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const postForm = (url: string, body: string, ip = '198.51.100.7') => server.app.inject({ method: 'POST', url, remoteAddress: ip, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });


  it('is not offered before the clinic exists, then asks labelled questions with no script', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/screening' })).statusCode).toBe(404);
    await setUpClinic(server.app);
    const res = await server.app.inject({ method: 'GET', url: '/screening' });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('id="consultation"');
    // Every input sits in a label; every group has a legend; every red flag is a required yes/no.
    expect(html.match(/<fieldset/g)!.length).toBe(html.match(/<legend/g)!.length);
    for (const code of RED_FLAG_CODES) expect(html.match(new RegExp(`required="" name="${redFlagField(code)}" value="(yes|no)"`, 'g'))).toHaveLength(2);
    expect(html.match(/<input type="(checkbox|radio)"/g)!.length).toBe(html.match(/<label><input type="(checkbox|radio)"/g)!.length);
  });

  it('shows the urgent-care page for any red flag and stores nothing, not even a throttle count', async () => {
    const before = { leads: await count('lead'), throttle: await count('throttle'), audit: await count('audit_event') };
    for (const code of RED_FLAG_CODES) {
      const res = await postForm('/screening', form(Object.entries({ ...screeningForm, [redFlagField(code)]: 'yes' })));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Please seek urgent medical care now');
      expect(res.body).not.toContain('name="consentToContact"');
      expect(res.body).not.toContain('/screening#consultation');
    }
    // A red flag smuggled into the consultation form itself is caught too.
    const smuggled = await postForm('/screening/consultation', form(Object.entries({ ...screeningForm, [redFlagField('saddle-numbness')]: 'yes', name: 'Bot', email: 'b@example.test', consentToContact: 'yes' })));
    expect(smuggled.body).toContain('Please seek urgent medical care now');
    // An unanswered red flag is not a "no".
    const { [redFlagField('fever')]: _skip, ...missing } = screeningForm;
    const incomplete = await postForm('/screening', form(Object.entries(missing)));
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain('href="#flag-fever"');
    expect({ leads: await count('lead'), throttle: await count('throttle'), audit: await count('audit_event') }).toEqual(before);
  });

  it('defends the consultation form: honeypot, field and size limits, a per-address limit, and keeps no address', async () => {
    const request = (extra: Record<string, string>, ip: string) => postForm('/screening/consultation', form(Object.entries({ ...screeningForm, name: 'Ada Lovelace', email: 'ada@example.test', consentToContact: 'yes', ...extra })), ip);
    const before = await count('lead');
    const throttleBefore = await count('throttle');
    const bot = await request({ website: 'http://spam.example' }, '203.0.113.50');
    expect(bot.statusCode).toBe(303); // a bot learns nothing
    const noConsent = await request({ consentToContact: '' }, '203.0.113.51');
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.body).toContain('href="#consentToContact"');
    const noContact = await request({ email: '', phone: '' }, '203.0.113.51');
    expect(noContact.statusCode).toBe(400);
    const huge = await request({ preferredTime: 'x'.repeat(20_000) }, '203.0.113.52');
    expect(huge.statusCode).toBe(413);
    expect(await count('lead')).toBe(before);
    expect(await count('throttle')).toBe(throttleBefore);

    expect((await request({}, '203.0.113.60')).statusCode).toBe(303);
    const tooSoon = await request({}, '203.0.113.60');
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.headers['retry-after']).toBeDefined();
    expect(tooSoon.body).toContain('Ada Lovelace'); // what they typed is kept on the page
    expect(await count('lead')).toBe(before + 1);
    const throttles = await server.store.db.selectFrom('throttle').selectAll().execute();
    expect(JSON.stringify(throttles)).not.toContain('203.0.113.60');
    const leads = await server.store.db.selectFrom('lead').selectAll().execute();
    expect(JSON.stringify(leads)).not.toContain('203.0.113');
  });

});
