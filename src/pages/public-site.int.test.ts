import { sql } from 'kysely';
import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { submitComment } from '../services/comments.js';
import { popularArticles } from '../services/public-articles.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { GOOGLEBOT_UA, READER_UA, REVIEWED_ON, formToken, postCommentForm, publishedArticle, writeArticle } from '../http/testing/education.js';
import { TestClient, setUpClinic, useTestServer } from '../http/testing/test-server.js';
import { SITE_CSS_PATH } from './site/site-css.js';

/** The public site, as a reader and a crawler see it, on both dialects. */
describe.each(DIALECTS)('public site on %s', (dialect) => {
  const server = useTestServer(dialect);
  let admin: TestClient;
  let live: { id: string; slug: string };
  let draft: { id: string; slug: string };
  let scheduled: { id: string; slug: string };
  const feedParser = new Parser();

  const get = (url: string, headers: Record<string, string> = { 'user-agent': READER_UA }) => server.app.inject({ method: 'GET', url, headers, remoteAddress: '203.0.113.77' });
  const views = async (articleId: string) => Number((await server.store.db.selectFrom('article_view_day').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('views'), eb.lit(0)).as('v')).where('article_id', '=', articleId).executeTakeFirstOrThrow()).v);


  it('sends the first visitor to setup while no clinic exists', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/app/');
    admin = await setUpClinic(server.app);
    live = await publishedArticle(admin, {
      slug: 'prp-disc', title: 'PRP & the disc: <what> we know ]]> so far ]]>', summary: 'Mixed evidence, honestly told.', tags: ['Disc pain', 'Evidence'],
      indication: 'degenerative-disc-disease', bodyMarkdown: '## Findings\n\nA trial found benefit [^1]; a larger one did not [^2]. Platelets are zwieback.',
      references: [{ doi: '10.1016/j.pmrj.2015.08.010', citation: 'Tuakli-Wosornu 2016' }, { citation: 'Schepers 2022' }],
    });
    draft = await writeArticle(admin, { slug: 'secret-draft', title: 'Draft about zwieback', tags: ['Disc pain'] });
    scheduled = await publishedArticle(admin, { slug: 'future-post', title: 'Scheduled about zwieback', tags: ['Disc pain'] });
    await admin.post(`/api/v1/articles/${scheduled.id}/publish`, { publishAt: new Date(Date.now() + 86_400_000).toISOString() });
  });

  it('shows a published article to a reader without JavaScript, with SEO metadata and calls to action', async () => {
    const res = await get(`/articles/${live.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('PRP &amp; the disc: &lt;what&gt; we know');
    expect(html).toContain('<link rel="canonical" href="http://autolog.test/articles/prp-disc"/>');
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain('<meta name="description" content="Mixed evidence, honestly told."/>');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld).toMatchObject({ '@type': 'MedicalWebPage', lastReviewed: REVIEWED_ON, reviewedBy: { '@type': 'Person', name: 'Ada Admin' }, about: { '@type': 'MedicalCondition' } });
    expect(html).toContain('href="https://doi.org/10.1016/j.pmrj.2015.08.010"');
    expect(html).toContain('id="ref-2"');
    expect(html).toContain('href="/screening"');
    expect(html).toContain('href="/screening#consultation"');
    // No script runs: the only script element is the JSON-LD data block, and CSP forbids inline code.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('/articles/no-such-thing')).statusCode).toBe(404);
  });

  it('keeps drafts and scheduled articles off every public surface', async () => {
    expect((await get(`/articles/${draft.slug}`)).statusCode).toBe(404);
    expect((await get(`/articles/${scheduled.slug}`)).statusCode).toBe(404);
    const surfaces = ['/', '/tags/disc-pain', '/search?q=zwieback', `/authors/${(await admin.get('/api/v1/auth/session')).json().user.id}`, '/sitemap.xml', '/feed.xml', '/atom.xml', '/tags/disc-pain/feed.xml'];
    for (const url of surfaces) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(live.slug);
      expect(res.body, url).not.toContain(draft.slug);
      expect(res.body, url).not.toContain(scheduled.slug);
    }
  });

  it('serves RSS 2.0 and Atom feeds that a real parser reads, listing only published articles', async () => {
    for (const url of ['/feed.xml', '/atom.xml', '/tags/disc-pain/feed.xml', '/tags/disc-pain/atom.xml']) {
      const res = await get(url);
      expect(XMLValidator.validate(res.body), url).toBe(true);
      const feed = await feedParser.parseString(res.body);
      expect(feed.items.map((i) => i.link), url).toEqual(['http://autolog.test/articles/prp-disc']);
      expect(feed.items[0]!.title).toContain('PRP & the disc: <what> we know');
    }
    expect((await get('/feed.xml')).headers['content-type']).toContain('application/rss+xml');
    expect((await get('/atom.xml')).headers['content-type']).toContain('application/atom+xml');
    expect((await get('/tags/nothing-here/feed.xml')).statusCode).toBe(404);
  });

  it('lists only published articles in sitemap.xml, and robots.txt points to it', async () => {
    const res = await get('/sitemap.xml');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const locs = [...res.body.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual(expect.arrayContaining(['http://autolog.test/', 'http://autolog.test/articles/prp-disc', 'http://autolog.test/tags/disc-pain']));
    expect(locs.filter((l) => l!.includes('/articles/'))).toHaveLength(1);
    const robots = await get('/robots.txt');
    expect(robots.body).toContain('Sitemap: http://autolog.test/sitemap.xml');
    expect(robots.body).toContain('Disallow: /app/');
  });

  it('shows a comment with <script> and onerror as harmless text after approval; pending comments stay invisible', async () => {
    const body = 'Nice <script>alert("x")</script> and <img src=x onerror=alert(1)> and [link](javascript:alert(2)) and [ok](https://example.org)';
    const posted = await postCommentForm(server.app, live.slug, { name: 'Mallory <b>', body, formToken: await formToken(server.store, live.id) });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/articles/${live.slug}?comment=received#comments`);
    expect((await get(`/articles/${live.slug}?comment=received`)).body).toContain('will appear here once the clinic has read it');
    const pending = (await get(`/articles/${live.slug}`)).body;
    expect(pending).not.toContain('Mallory');
    const queued = (await admin.get('/api/v1/comments?status=pending')).json().items[0];
    await admin.patch(`/api/v1/comments/${queued.id}`, { status: 'approved' });
    const html = (await get(`/articles/${live.slug}`)).body;
    expect(html).toContain('Mallory &lt;b&gt;');
    expect(html).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">ok</a>');
    // Only staff replies carry the badge.
    expect(html).not.toContain('class="badge"');
    await admin.post(`/api/v1/comments/${queued.id}/replies`, { bodyMarkdown: 'We read every comment.' });
    expect((await get(`/articles/${live.slug}`)).body).toMatch(/Ada Admin<span class="badge">Clinic team<\/span>/);
  });

  it('defends the comment form: honeypot, minimum time, signature, link cap, sizes, per-address limit', async () => {
    const count = async () => Number((await server.store.db.selectFrom('article_comment').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const token = await formToken(server.store, live.id);
    const honeypot = await postCommentForm(server.app, live.slug, { name: 'Bot', body: 'Buy', website: 'http://spam.example', formToken: token }, '198.51.100.20');
    expect(honeypot.statusCode).toBe(303); // a bot learns nothing
    const fast = await postCommentForm(server.app, live.slug, { name: 'Quick', body: 'Hi', formToken: await formToken(server.store, live.id, 1) }, '198.51.100.21');
    expect(fast.statusCode).toBe(400);
    expect(fast.body).toContain('sent very quickly');
    expect(fast.body).toContain('value="Quick"'); // what the reader wrote is kept
    const forged = await postCommentForm(server.app, live.slug, { name: 'Forger', body: 'Hi', formToken: `${Date.now() - 60_000}.${'A'.repeat(32)}` }, '198.51.100.22');
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('This form has expired');
    const links = await postCommentForm(server.app, live.slug, { name: 'Linky', body: 'https://a.example https://b.example https://c.example', formToken: token }, '198.51.100.23');
    expect(links.statusCode).toBe(400);
    expect(links.body).toContain('at most 2 links');
    const long = await postCommentForm(server.app, live.slug, { name: 'N'.repeat(81), body: 'x'.repeat(4001), email: 'not-an-email', formToken: token }, '198.51.100.24');
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('aria-invalid="true"');
    expect(long.body).toMatch(/under 80 characters[\s\S]*email address does not look right[\s\S]*under 4000 characters/);
    const huge = await postCommentForm(server.app, live.slug, { name: 'Big', body: 'x'.repeat(40_000), formToken: token }, '198.51.100.25');
    expect(huge.statusCode).toBe(413);
    const first = await postCommentForm(server.app, live.slug, { name: 'Eager', body: 'One', formToken: token }, '198.51.100.26');
    expect(first.statusCode).toBe(303);
    const again = await postCommentForm(server.app, live.slug, { name: 'Eager', body: 'Two', formToken: token }, '198.51.100.26');
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBeDefined();
    expect(await count()).toBe(before + 1);

    // The daily cap, walked through time at the service (20 s apart is allowed, the 11th is not).
    const clinicId = (await admin.get('/api/v1/auth/session')).json().clinic.id;
    const start = Date.now();
    const submit = async (i: number) => submitComment(server.services, clinicId, {
      articleId: live.id, name: 'Busy', body: `Comment ${i}`, formToken: await formToken(server.store, live.id, 60), address: '198.51.100.27',
    }, start + i * 30_000);
    for (let i = 0; i < 10; i++) expect((await submit(i)).outcome).toBe('pending');
    await expect(submit(10)).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('honours the clinic comment setting: off, and open after a first approved comment', async () => {
    await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'off' });
    const closed = (await get(`/articles/${live.slug}`)).body;
    expect(closed).toContain('Comments are closed.');
    expect(closed).not.toContain('name="formToken"');
    expect((await postCommentForm(server.app, live.slug, { name: 'X', body: 'Y', formToken: await formToken(server.store, live.id) }, '198.51.100.30')).statusCode).toBe(403);

    await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'open-after-first-approved' });
    const token = await formToken(server.store, live.id);
    expect((await postCommentForm(server.app, live.slug, { name: 'Newcomer', email: 'new@example.com', body: 'First words', formToken: token }, '198.51.100.31')).headers.location).toContain('comment=received');
    const queued = (await admin.get('/api/v1/comments?status=pending')).json().items.find((c: { authorName: string }) => c.authorName === 'Newcomer');
    await admin.patch(`/api/v1/comments/${queued.id}`, { status: 'approved' });
    const returning = await postCommentForm(server.app, live.slug, { name: 'Newcomer', email: 'NEW@example.com', body: 'Second words', formToken: token }, '198.51.100.32');
    expect(returning.headers.location).toContain('comment=published');
    expect((await get(`/articles/${live.slug}`)).body).toContain('Second words');
    await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'pre-moderated' });
  });

  it('counts readers on the server, not bots, prefetches or HEAD requests, and never stores an address', async () => {
    const before = await views(live.id);
    await get(`/articles/${live.slug}`);
    await get(`/articles/${live.slug}`);
    await get(`/articles/${live.slug}`, { 'user-agent': GOOGLEBOT_UA });
    await get(`/articles/${live.slug}`, {});
    await get(`/articles/${live.slug}`, { 'user-agent': READER_UA, 'sec-purpose': 'prefetch' });
    await server.app.inject({ method: 'HEAD', url: `/articles/${live.slug}`, headers: { 'user-agent': READER_UA } });
    expect(await views(live.id)).toBe(before + 2);

    // The reader's address (203.0.113.77) and user agent appear in no table at all.
    const tables = dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(server.store.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(server.store.db)).rows.map((r) => r.name);
    expect(tables).toContain('article_view_day');
    for (const table of tables) {
      const rows = (await sql`select * from ${sql.table(table)}`.execute(server.store.db)).rows;
      const text = JSON.stringify(rows);
      expect(text, table).not.toContain('203.0.113.77');
      expect(text, table).not.toContain('Pixel 8');
      expect(text, table).not.toContain('198.51.100.26');
    }
    expect((await server.store.db.selectFrom('article_view_day').selectAll().limit(1).execute())[0]).toEqual({ clinic_id: expect.any(String), article_id: live.id, day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), views: expect.any(Number) });
  });

  it('ranks popular posts by views over the last 30 days and shows related posts', async () => {
    const clinicId = (await admin.get('/api/v1/auth/session')).json().clinic.id;
    const b = await publishedArticle(admin, { slug: 'facet-b', title: 'Facet B', tags: ['Evidence'] });
    const c = await publishedArticle(admin, { slug: 'injection-c', title: 'Injection C', indication: 'degenerative-disc-disease' });
    const oldDay = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    // C was a hit long ago: outside the window, it must not count.
    await server.store.db.insertInto('article_view_day').values({ clinic_id: clinicId, article_id: c.id, day: oldDay, views: 10_000 }).execute();
    for (let i = 0; i < 3; i++) await get(`/articles/${b.slug}`);
    for (let i = 0; i < 1; i++) await get(`/articles/${c.slug}`);
    const liveViews = await views(live.id);
    const ranked = await popularArticles(server.services, clinicId);
    const expected = [{ slug: live.slug, v: liveViews }, { slug: b.slug, v: 3 }, { slug: c.slug, v: 1 }].sort((x, y) => y.v - x.v).map((x) => x.slug);
    expect(ranked.map((r) => r.slug)).toEqual(expected);
    expect(ranked.find((r) => r.slug === c.slug)!.views).toBe(1);
    const page = (await get(`/articles/${live.slug}?reply=x`)).body; // ?reply= is not counted as a new reading
    const popular = /<h2 id="popular-h">Popular posts<\/h2><ol>(.*?)<\/ol>/s.exec(page)![1]!;
    expect([...popular.matchAll(/href="\/articles\/([^"]+)"/g)].map((m) => m[1])).toEqual(expected);
    const related = /<h2 id="related-h">Related posts<\/h2><ul>(.*?)<\/ul>/s.exec(page)![1]!;
    // C shares the indication (2 points), B shares a tag (1 point).
    expect([...related.matchAll(/href="\/articles\/([^"]+)"/g)].map((m) => m[1])).toEqual([c.slug, b.slug]);
  });

  it('finds articles by words in the text, and has tag and author pages', async () => {
    const found = (await get('/search?q=ZWIEBACK')).body;
    expect(found).toContain('1 article match');
    expect(found).toContain('<meta name="robots" content="noindex, follow"/>');
    expect((await get('/search?q=nothingmatches')).body).toContain('No articles match');
    expect((await get('/tags/Disc%20Pain')).body).toContain('Articles about Disc pain');
    expect((await get('/tags/unknown')).statusCode).toBe(404);
    expect((await get('/authors/not-a-uuid')).statusCode).toBe(404);
  });

  it('accepts form posts only on the comment form: the JSON API still refuses them', async () => {
    const res = await server.app.inject({
      method: 'POST', url: '/api/v1/articles', payload: 'title=x&summary=y&bodyMarkdown=z',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `autolog_session=${admin.cookie}`, 'x-csrf-token': admin.csrf! },
    });
    expect(res.statusCode).toBe(415);
  });

  it('keeps the article page under 50 KB with its stylesheet', async () => {
    const page = await get(`/articles/${live.slug}`);
    const css = await get(SITE_CSS_PATH);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toContain('immutable');
    const bytes = Buffer.byteLength(page.body) + Buffer.byteLength(css.body);
    expect(bytes).toBeLessThan(50 * 1024);
  });
});
