import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { COVER_LIMITS } from '../services/article-covers.js';
import { DIALECTS } from '../store/testing/test-store.js';
import { READER_UA, publishedArticle, writeArticle } from './testing/education.js';
import { addStaff, useClinicServer, type TestClient } from './testing/test-server.js';

/** Article cover images: upload, checks, renditions on disk, public serving, replacement and removal. */

interface FilePart { data: Buffer; filename: string; type: string }

/** A multipart/form-data body as a browser's FormData would send it. */
async function multipart(fields: Record<string, string | FilePart>): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value.data)], { type: value.type }), value.filename);
  }
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

/** A real photograph-like PNG (noise compresses badly, like a photo). */
function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 110, b: 170 }, noise: { type: 'gaussian', mean: 120, sigma: 40 } } }).png().toBuffer();
}

describe.each(DIALECTS)('article cover images on %s', (dialect) => {
  const { server, admin } = useClinicServer(dialect);
  let lab: TestClient;
  let coverDir: string;

  beforeAll(async () => {
    lab = (await addStaff(admin, { email: 'lab@clinic.test', displayName: 'Lab Lou', role: 'lab', password: 'centrifuge at 1500 g' })).client;
    coverDir = path.join(server.services.config.dataDir, 'media', 'covers');
  });

  const upload = async (client: TestClient, articleId: string, fields: Record<string, string | FilePart>) => {
    const { body, headers } = await multipart(fields);
    return client.request('PUT', `/api/v1/articles/${articleId}/cover`, body, headers);
  };
  const files = () => (fs.existsSync(coverDir) ? fs.readdirSync(coverDir).sort() : []);
  const coverEvents = async (articleId: string) => (await server.store.db.selectFrom('audit_event').select('detail').where('entity_id', '=', articleId).execute())
    .filter((e) => String(e.detail).includes('coverImage')).length;
  const reader = (url: string) => server.app.inject({ method: 'GET', url, headers: { 'user-agent': READER_UA } });

  it('accepts a real PNG, crops it to 1.91:1 and saves WebP and JPEG at each width it is large enough for', async () => {
    const article = await publishedArticle(admin, { slug: 'with-cover', title: 'With a cover' });
    const res = await upload(admin, article.id, { alt: '  A model of the lumbar spine\non a desk ', image: { data: await png(1600, 1000), filename: 'spine.png', type: 'image/png' } });
    expect(res.statusCode, res.body).toBe(200);
    const { cover } = res.json();
    expect(cover).toMatchObject({ alt: 'A model of the lumbar spine on a desk', width: 1200, height: 630 });
    expect(cover.renditions.map((r: { width: number; height: number }) => [r.width, r.height])).toEqual([[480, 252], [800, 420], [1200, 630]]);
    expect(files()).toHaveLength(6);
    for (const r of cover.renditions as { width: number; height: number; jpeg: string; webp: string }[]) {
      const webp = await sharp(path.join(coverDir, path.basename(r.webp))).metadata();
      expect([webp.format, webp.width, webp.height]).toEqual(['webp', r.width, r.height]);
      const jpeg = await sharp(path.join(coverDir, path.basename(r.jpeg))).metadata();
      expect([jpeg.format, jpeg.width, jpeg.height]).toEqual(['jpeg', r.width, r.height]);
    }
    expect(await coverEvents(article.id)).toBe(1);

    // Served publicly, cacheable for a year, with the right type.
    const image = await reader(cover.renditions[0].webp);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(image.rawPayload.subarray(8, 12).toString()).toBe('WEBP');

    // The article page: a responsive picture with its size reserved, and the cover in Open Graph.
    const page = (await reader(`/articles/${article.slug}`)).body;
    expect(page).toContain('<source type="image/webp" srcSet="/media/covers/');
    expect(page).toMatch(/<img src="\/media\/covers\/[^"]+-800\.jpeg" srcSet="[^"]+-480\.jpeg 480w, [^"]+-800\.jpeg 800w, [^"]+-1200\.jpeg 1200w" sizes="[^"]+" width="1200" height="630" alt="A model of the lumbar spine on a desk"/);
    expect(page).toContain(`<meta property="og:image" content="http://autolog.test${cover.renditions[2].jpeg}"/>`);
    expect(page).toContain('<meta property="og:image:alt" content="A model of the lumbar spine on a desk"/>');
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image"/>');
  });

  it('makes only the widths a smaller picture allows, and never enlarges', async () => {
    const article = await writeArticle(admin, { slug: 'small-cover' });
    const res = await upload(admin, article.id, { alt: 'A syringe', image: { data: await png(900, 900), filename: 'square.jpg', type: 'image/jpeg' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cover).toMatchObject({ width: 800, height: 420 });
    const tiny = await upload(admin, article.id, { alt: 'Tiny', image: { data: await png(400, 300), filename: 'tiny.png', type: 'image/png' } });
    expect(tiny.statusCode).toBe(400);
    expect(tiny.json()).toMatchObject({ field: 'image' });
    expect(tiny.json().detail).toContain('at least 480 × 252 pixels');
  });

  it('refuses a text file renamed .png, naming the field, and saves nothing', async () => {
    const article = await writeArticle(admin, { slug: 'fake-png' });
    const before = files();
    const updatedAt = (await admin.get(`/api/v1/articles/${article.id}`)).json().updatedAt;
    const res = await upload(admin, article.id, { alt: 'Looks like a picture', image: { data: Buffer.from('Not a picture at all, just words.\n'), filename: 'cover.png', type: 'image/png' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ field: 'image', errors: [{ field: 'image' }] });
    expect(res.json().detail).toContain('not a picture');
    expect(files()).toEqual(before);
    const after = (await admin.get(`/api/v1/articles/${article.id}`)).json();
    expect(after.cover).toBeNull();
    expect(after.updatedAt).toBe(updatedAt);
    expect(await coverEvents(article.id)).toBe(0);
  });

  it('reports a missing alt text and a bad file together; refuses SVG, the wrong field, JSON and oversized files', async () => {
    const article = await writeArticle(admin, { slug: 'bad-covers' });
    const both = await upload(admin, article.id, { alt: ' ', image: { data: Buffer.from('%PDF-1.7'), filename: 'x.png', type: 'image/png' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors.map((e: { field: string }) => e.field)).toEqual(['alt', 'image']);
    const svg = await upload(admin, article.id, { alt: 'Vector', image: { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="1000"><script>alert(1)</script></svg>'), filename: 'v.svg', type: 'image/svg+xml' } });
    expect(svg.json()).toMatchObject({ field: 'image' });
    expect(svg.json().detail).toContain('SVG');
    const wrong = await upload(admin, article.id, { alt: 'x', picture: { data: await png(600, 400), filename: 'p.png', type: 'image/png' } });
    expect(wrong.json()).toMatchObject({ field: 'picture' });
    const json = await admin.request('PUT', `/api/v1/articles/${article.id}/cover`, { alt: 'x' });
    expect(json.json()).toMatchObject({ status: 400, field: 'image' });
    const huge = await upload(admin, article.id, { alt: 'Huge', image: { data: Buffer.alloc(COVER_LIMITS.bytes + 1, 7), filename: 'huge.png', type: 'image/png' } });
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toMatchObject({ field: 'image' });
    expect(huge.json().detail).toContain('8 MB');
    const noImage = await upload(admin, article.id, { alt: 'Only words' });
    expect(noImage.json()).toMatchObject({ field: 'image' });
    expect((await admin.get(`/api/v1/articles/${article.id}`)).json().cover).toBeNull();
    expect(files().filter((f) => f.startsWith(article.id))).toEqual([]);
  });

  it('changes the alt text alone, replaces the picture (deleting the old files) and removes it', async () => {
    const article = await writeArticle(admin, { slug: 'replace-cover' });
    const first = (await upload(admin, article.id, { alt: 'First', image: { data: await png(800, 420), filename: 'a.png', type: 'image/png' } })).json().cover;
    const mine = () => files().filter((f) => f.startsWith(article.id));
    // 800 × 420: renditions 480 and 800 wide, each as WebP and JPEG.
    expect(mine()).toHaveLength(4);
    const renamed = await upload(admin, article.id, { alt: 'First, described better' });
    expect(renamed.json().cover).toEqual({ ...first, alt: 'First, described better' });
    const second = (await upload(admin, article.id, { alt: 'Second', image: { data: await png(800, 420), filename: 'b.png', type: 'image/png' } })).json().cover;
    expect(second.renditions[0].webp).not.toBe(first.renditions[0].webp);
    expect(mine()).toHaveLength(4);
    expect((await reader(first.renditions[0].webp)).statusCode).toBe(404);
    const removed = await admin.request('DELETE', `/api/v1/articles/${article.id}/cover`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().cover).toBeNull();
    expect(mine()).toEqual([]);

    // Deleting an article deletes its cover too.
    await upload(admin, article.id, { alt: 'Third', image: { data: await png(800, 420), filename: 'c.png', type: 'image/png' } });
    expect(mine()).toHaveLength(4);
    expect((await admin.request('DELETE', `/api/v1/articles/${article.id}`)).statusCode).toBe(204);
    expect(mine()).toEqual([]);
  });

  it('serves nothing but cover files: no traversal, no other names', async () => {
    // The marker is the file's content, so a reflected URL in a 404 cannot be mistaken for a leak.
    const marker = 'CONTENT-OF-A-PRIVATE-FILE-7f3a';
    fs.writeFileSync(path.join(server.services.config.dataDir, 'media', 'secret.txt'), marker);
    fs.writeFileSync(path.join(coverDir, 'notes.txt'), 'not a cover');
    for (const url of [
      '/media/covers/../secret.txt', '/media/covers/..%2Fsecret.txt', '/media/covers/%2e%2e/secret.txt', '/media/covers/notes.txt',
      '/media/covers/..%2F..%2F..%2Fetc%2Fpasswd', '/media/covers/', '/media/secret.txt', '/media/covers/.hidden',
    ]) {
      const res = await reader(url);
      expect([403, 404], `${url} → ${res.statusCode}`).toContain(res.statusCode);
      expect(res.body).not.toContain(marker);
    }
  });

  it('is refused to roles without article:write, and audited for those with it', async () => {
    const article = await writeArticle(admin, { slug: 'lab-cover' });
    const res = await upload(lab, article.id, { alt: 'x', image: { data: await png(600, 400), filename: 'p.png', type: 'image/png' } });
    expect(res.statusCode).toBe(403);
    expect((await lab.request('DELETE', `/api/v1/articles/${article.id}/cover`)).statusCode).toBe(403);
    // Without the CSRF header, a multipart post (which a cross-site form can send) is refused.
    const { body, headers } = await multipart({ alt: 'x', image: { data: await png(600, 400), filename: 'p.png', type: 'image/png' } });
    const forged = await server.app.inject({ method: 'PUT', url: `/api/v1/articles/${article.id}/cover`, payload: body, headers: { ...headers, cookie: `autolog_session=${admin.cookie}` } });
    expect(forged.statusCode).toBe(403);
    expect(await coverEvents(article.id)).toBe(0);
  });
});
