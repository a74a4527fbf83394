import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../store/testing/test-store.js';
import { formToken, postCommentForm, publishedArticle, writeArticle } from './testing/education.js';
import { TestClient, addStaff, useClinicServer } from './testing/test-server.js';

/** The staff API of the education capability: articles, revisions, publishing, moderation. */
describe.each(DIALECTS)('education staff API on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let clinician: TestClient;
  let lab: TestClient;
  beforeAll(async () => {
    clinician = (await addStaff(admin, { email: 'doc@clinic.test', displayName: 'Dr Dee', role: 'clinician', password: 'a clinician pass phrase' })).client;
    lab = (await addStaff(admin, { email: 'lab@clinic.test', displayName: 'Lab Lou', role: 'lab', password: 'centrifuge at 1500 g' })).client;
  });

  const articleCount = async () => Number((await server.store.db.selectFrom('article').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('writes a draft with tags and numbered references, and lists it', async () => {
    const res = await clinician.post('/api/v1/articles', {
      title: 'PRP for facet joint pain', summary: 'Early results.', bodyMarkdown: 'Studies [^1] and [^2] say so.',
      tags: ['Facet joints', 'facet  joints', 'Evidence'], indication: 'lumbar-facet-joint-pain',
      references: [{ doi: '10.1111/papr.12544', pmid: '27989008', citation: 'Wu J et al. Pain Practice. 2017.' }, { citation: 'Wu J et al. Pain Physician. 2016.' }],
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ slug: 'prp-for-facet-joint-pain', status: 'draft', revision: 1, publishAt: null, indication: 'lumbar-facet-joint-pain', url: 'http://autolog.test/articles/prp-for-facet-joint-pain' });
    expect(a.tags).toEqual([{ tag: 'evidence', label: 'Evidence' }, { tag: 'facet-joints', label: 'Facet joints' }]);
    expect(a.references.map((r: { position: number }) => r.position)).toEqual([1, 2]);
    expect(a.references[1]).toMatchObject({ doi: null, pmid: null });
    const list = (await clinician.get('/api/v1/articles?status=draft')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(a.id);
    expect((await clinician.get('/api/v1/articles?tag=Facet%20joints')).json().total).toBe(1);
    expect((await clinician.get('/api/v1/articles?q=facet')).json().total).toBe(1);
  });

  it('answers 409 naming slug when the address is taken, and saves nothing', async () => {
    await writeArticle(admin, { slug: 'taken-slug' });
    const before = await articleCount();
    const clash = await admin.post('/api/v1/articles', { slug: 'taken-slug', title: 'Another', summary: 'x', bodyMarkdown: 'y' });
    expect(clash.statusCode).toBe(409);
    expect(clash.headers['content-type']).toContain('application/problem+json');
    expect(clash.json().field).toBe('slug');
    const other = await writeArticle(admin, { slug: 'other-slug' });
    const rename = await admin.patch(`/api/v1/articles/${other.id}`, { slug: 'taken-slug' });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().field).toBe('slug');
    expect(await articleCount()).toBe(before + 1);
  });

  it('refuses bad input naming the field: unknown fields, huge bodies, dangling citations, bad identifiers', async () => {
    const before = await articleCount();
    const base = { title: 'T', summary: 'S', bodyMarkdown: 'B' };
    const unknown = await admin.post('/api/v1/articles', { ...base, colour: 'blue' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('colour');
    const long = await admin.post('/api/v1/articles', { ...base, bodyMarkdown: 'x'.repeat(100_001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().field).toBe('bodyMarkdown');
    const huge = await admin.post('/api/v1/articles', { ...base, bodyMarkdown: 'x'.repeat(300_000) });
    expect(huge.statusCode).toBe(413);
    const dangling = await admin.post('/api/v1/articles', { ...base, bodyMarkdown: 'See [^3].', references: [{ citation: 'One' }] });
    expect(dangling.statusCode).toBe(400);
    expect(dangling.json()).toMatchObject({ field: 'bodyMarkdown' });
    expect(dangling.json().detail).toContain('[^3]');
    const doi = await admin.post('/api/v1/articles', { ...base, references: [{ doi: 'not-a-doi', citation: 'One' }] });
    expect(doi.statusCode).toBe(400);
    expect(doi.json().field).toBe('references[0].doi');
    const slug = await admin.post('/api/v1/articles', { ...base, slug: 'Bad Slug!' });
    expect(slug.json().field).toBe('slug');
    const all = await admin.post('/api/v1/articles', { bodyMarkdown: 'x' });
    expect(all.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['title', 'summary']));
    const future = await admin.post('/api/v1/articles', { ...base, lastReviewedOn: '2999-01-01' });
    expect(future.json().field).toBe('lastReviewedOn');
    expect(await articleCount()).toBe(before);
  });

  it('keeps revisions, refuses a stale edit, and restores an old revision as a new one', async () => {
    const a = await writeArticle(clinician, { slug: 'revisions', bodyMarkdown: 'First text.' });
    const second = await clinician.patch(`/api/v1/articles/${a.id}`, { bodyMarkdown: 'Second text.', revision: 1 });
    expect(second.json().revision).toBe(2);
    // A metadata change (the slug) is not a new revision of the content.
    expect((await clinician.patch(`/api/v1/articles/${a.id}`, { slug: 'revisions-renamed' })).json().revision).toBe(2);
    const stale = await admin.patch(`/api/v1/articles/${a.id}`, { bodyMarkdown: 'Overwrite.', revision: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().field).toBe('revision');
    const revisions = (await clinician.get(`/api/v1/articles/${a.id}/revisions`)).json();
    expect(revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    const first = (await clinician.get(`/api/v1/article-revisions/${revisions[1].id}`)).json();
    expect(first).toMatchObject({ revision: 1, bodyMarkdown: 'First text.', createdBy: { displayName: 'Dr Dee' } });
    const restored = await clinician.post(`/api/v1/article-revisions/${first.id}/restore`);
    expect(restored.json()).toMatchObject({ revision: 3, bodyMarkdown: 'First text.' });
    expect((await clinician.get(`/api/v1/articles/${a.id}/revisions`)).json()[0]).toMatchObject({ revision: 3, restoredFrom: 1 });
  });

  it('publishes only with a medical reviewer; schedules for later; unpublishes', async () => {
    const draft = (await clinician.post('/api/v1/articles', { title: 'No reviewer', summary: 's', bodyMarkdown: 'b' })).json();
    const refused = await clinician.post(`/api/v1/articles/${draft.id}/publish`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().field).toBe('reviewerId');
    const lab = (await admin.get('/api/v1/staff')).json().find((s: { role: string }) => s.role === 'lab');
    expect((await clinician.patch(`/api/v1/articles/${draft.id}`, { reviewerId: lab.id })).json().field).toBe('reviewerId');

    const a = await writeArticle(clinician, { slug: 'to-publish' });
    const published = await clinician.post(`/api/v1/articles/${a.id}/publish`, {});
    expect(published.json()).toMatchObject({ status: 'published' });
    expect(Date.parse(published.json().publishAt)).toBeLessThanOrEqual(Date.now());
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const scheduled = await clinician.post(`/api/v1/articles/${a.id}/publish`, { publishAt: later });
    expect(scheduled.json()).toMatchObject({ status: 'scheduled', publishAt: later });
    expect((await clinician.get('/api/v1/articles?status=scheduled')).json().items.map((i: { id: string }) => i.id)).toContain(a.id);
    const unpublished = await clinician.post(`/api/v1/articles/${a.id}/unpublish`);
    expect(unpublished.json()).toMatchObject({ status: 'draft', publishAt: null });
  });

  it('refuses roles without the permission', async () => {
    const denied = await lab.post('/api/v1/articles', { title: 'x', summary: 'y', bodyMarkdown: 'z' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toContain('article:write');
    expect((await lab.get('/api/v1/comments')).statusCode).toBe(403);
    expect((await clinician.request('PUT', '/api/v1/education/settings', { commentMode: 'off' })).statusCode).toBe(403);
    expect((await new TestClient(server.app).get('/api/v1/articles')).statusCode).toBe(401);
    const adminId = (await admin.get('/api/v1/auth/session')).json().user.id;
    expect((await clinician.request('PUT', `/api/v1/author-profiles/${adminId}`, { credentials: 'MD' })).statusCode).toBe(403);
  });

  it('renders the editor preview exactly as the page will, raw HTML shown as text', async () => {
    const res = await clinician.post('/api/v1/articles/preview', { bodyMarkdown: '# Title\n\nHi [^1] <script>alert(1)</script>', referenceCount: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().html).toContain('<h2>Title</h2>');
    expect(res.json().html).toContain('href="#ref-1"');
    expect(res.json().html).toContain('&lt;script&gt;');
    expect(res.json().html).not.toContain('<script');
  });

  it('moderates comments: queue, approve, reject, spam, reply with the staff badge, delete; audits each; notifies the author', async () => {
    const a = await publishedArticle(clinician, { slug: 'moderated' });
    for (const [i, body] of ['First question', 'Second', 'Third'].entries()) {
      const res = await postCommentForm(server.app, a.slug, { name: `Reader ${i}`, email: `r${i}@example.com`, body, formToken: await formToken(server.store, a.id) }, `198.51.100.${10 + i}`);
      expect(res.statusCode).toBe(303);
    }
    const queue = (await clinician.get('/api/v1/comments?status=pending')).json();
    expect(queue.items.map((c: { bodyMarkdown: string }) => c.bodyMarkdown)).toEqual(['First question', 'Second', 'Third']);
    expect(queue.items[0]).toMatchObject({ articleSlug: 'moderated', authorEmail: 'r0@example.com', isStaffReply: false });
    const [first, second, third] = queue.items as { id: string }[];

    // Only an approved comment can be replied to.
    expect((await clinician.post(`/api/v1/comments/${first!.id}/replies`, { bodyMarkdown: 'Early' })).statusCode).toBe(409);
    expect((await clinician.patch(`/api/v1/comments/${first!.id}`, { status: 'approved' })).json()).toMatchObject({ status: 'approved', moderatedBy: expect.any(String) });
    expect((await clinician.patch(`/api/v1/comments/${second!.id}`, { status: 'rejected' })).json().status).toBe('rejected');
    expect((await clinician.patch(`/api/v1/comments/${third!.id}`, { status: 'spam' })).json().status).toBe('spam');
    const reply = await clinician.post(`/api/v1/comments/${first!.id}/replies`, { bodyMarkdown: 'Thanks for asking.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ isStaffReply: true, parentId: first!.id, authorName: 'Dr Dee', status: 'approved' });
    expect((await clinician.get(`/api/v1/comments?status=spam&articleId=${a.id}`)).json().total).toBe(1);

    expect((await clinician.request('DELETE', `/api/v1/comments/${first!.id}`)).statusCode).toBe(204);
    expect((await clinician.get(`/api/v1/comments?articleId=${a.id}`)).json().total).toBe(2); // the reply went with it

    const events = (await admin.get('/api/v1/audit?entityType=article_comment')).json() as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['update', 'create', 'delete']));
    const mail = await server.store.db.selectFrom('outbox').selectAll().where('kind', '=', 'comment-notification').execute();
    expect(mail.length).toBeGreaterThanOrEqual(3);
    expect(mail[0]!.to_address).toBe('doc@clinic.test');
    expect(mail[0]!.subject).toContain('waiting for moderation');
  });

  it('audits article writes', async () => {
    const a = await publishedArticle(admin, { slug: 'audited' });
    await admin.patch(`/api/v1/articles/${a.id}`, { title: 'Audited article' });
    const events = (await admin.get('/api/v1/audit?entityType=article')).json() as { action: string; entityId: string; detail: Record<string, unknown> }[];
    const mine = events.filter((e) => e.entityId === a.id);
    expect(mine.map((e) => e.action).sort()).toEqual(['create', 'update', 'update']);
    expect(mine.some((e) => e.detail?.transition === 'publish')).toBe(true);
  });

  it('keeps the comment setting and author profiles', async () => {
    expect((await clinician.get('/api/v1/education/settings')).json()).toEqual({ commentMode: 'pre-moderated' });
    expect((await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'open-after-first-approved' })).json()).toEqual({ commentMode: 'open-after-first-approved' });
    expect((await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'sometimes' })).json().field).toBe('commentMode');
    await admin.request('PUT', '/api/v1/education/settings', { commentMode: 'pre-moderated' });
    const me = (await clinician.get('/api/v1/auth/session')).json().user.id;
    const put = await clinician.request('PUT', `/api/v1/author-profiles/${me}`, { credentials: 'MD, pain medicine' });
    expect(put.json()).toMatchObject({ staffId: me, displayName: 'Dr Dee', credentials: 'MD, pain medicine', bio: null });
    expect((await admin.get(`/api/v1/author-profiles/${me}`)).json().credentials).toBe('MD, pain medicine');
  });

  it('deletes an article with its comments and views', async () => {
    const a = await publishedArticle(admin, { slug: 'to-delete' });
    await postCommentForm(server.app, a.slug, { name: 'R', body: 'Hello', formToken: await formToken(server.store, a.id) }, '198.51.100.99');
    expect((await admin.request('DELETE', `/api/v1/articles/${a.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/articles/${a.id}`)).statusCode).toBe(404);
    const left = await server.store.db.selectFrom('article_comment').select('id').where('article_id', '=', a.id).execute();
    expect(left).toEqual([]);
  });
});
