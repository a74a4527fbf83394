import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import Parser from 'rss-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArticle } from '../src/http/testing/education.js';
import { TestClient, setUpClinic } from '../src/http/testing/test-server.js';
import { MIN_SECONDS_TO_COMMENT } from '../src/services/visitors.js';
import { DESKTOP, PHONE, newContext as openContext, screenshotDir, shoot as shootTo, signIn as signInAs, useBrowserServer } from './harness.js';

/**
 * Patient education end to end: a clinician writes an article in the staff app (Markdown with a
 * live preview, reordered references, a cover picture, a save that meets someone else's save),
 * publishes it, and a reader without JavaScript finds it on the public site; a reader's comment
 * carrying script is invisible while pending and harmless text once approved; the feeds and the
 * sitemap list published articles only. Screenshots of the article page and the staff screens go
 * to e2e/artifacts (docs/screenshots with AUTOLOG_SCREENSHOTS=1), and the page's weight is measured.
 */


const CLINICIAN = { name: 'Dr Maya Okafor', email: 'maya@harbour-spine.test', password: 'lumbar river granite 9' };
const REVIEWED_ON = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);

const ARTICLE = {
  title: 'PRP injections into the disc: what the trials found',
  summary: 'A careful look at the small trials of platelet-rich plasma for disc pain, and at what they cannot tell us yet.',
  // Written with the references in the wrong order: moving reference 2 up must renumber the markers.
  body: [
    'Platelet-rich plasma (PRP) is made from a sample of your own blood, spun so that the platelets end up concentrated in a small volume of plasma.',
    '',
    '## The trials so far',
    '',
    'In a double-blind trial, people who had PRP injected into painful discs reported better function after eight weeks than people who had a dummy injection [^2]. In a small study without a comparison group, about half of the patients met a strict definition of success at six months [^1].',
    '',
    '## What this means for you',
    '',
    'These studies are small. Whether PRP is worth trying depends on what causes your pain, which is why we start with an examination.',
  ].join('\n'),
  references: [
    { citation: 'Levi D, Horn S, Tyszko S, et al. Intradiscal platelet-rich plasma injection for chronic discogenic low back pain: preliminary results from a prospective trial. Pain Medicine. 2016;17(6):1010–1022.', doi: '10.1093/pm/pnv053' },
    { citation: 'Tuakli-Wosornu YA, Terry A, Boachie-Adjei K, et al. Lumbar intradiskal platelet-rich plasma (PRP) injections: a prospective, double-blind, randomized controlled study. PM&R. 2016;8(1):1–10.', doi: '10.1016/j.pmrj.2015.08.010' },
  ],
  alt: 'A model of the lower spine on a clinic desk, the discs between the vertebrae highlighted in blue',
};
const SCRIPT_COMMENT = 'Does this hurt? <script>alert(1)</script> and <img src=x onerror=alert(1)> — asking for my back.';

const server = useBrowserServer();
let admin: TestClient;
let draftSlug: string;
let articleUrl: string;
let articleId: string;

beforeAll(async () => {
  // Canonical links, Open Graph images and feeds use the address the browser really uses.
  server.services.config.publicUrl = server.baseUrl;

  admin = await setUpClinic(server.app, { clinicName: 'Harbour Spine Clinic', email: 'ada@harbour-spine.test' });
  const created = await admin.post('/api/v1/staff', { email: CLINICIAN.email, displayName: CLINICIAN.name, role: 'clinician', password: CLINICIAN.password });
  expect(created.statusCode).toBe(201);
  await admin.request('PUT', `/api/v1/author-profiles/${created.json().id}`, { credentials: 'MD, consultant in pain medicine' });
  // A draft that must never appear on the site, in the feeds or in the sitemap.
  draftSlug = (await writeArticle(admin, { slug: 'unpublished-draft-on-facet-joints', title: 'Unpublished draft on facet joints' })).slug;
});

const newContext = (viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<BrowserContext> => openContext(server.browser, viewport, { javaScriptEnabled });
const shoot = (page: Page, name: string, fullPage = false): Promise<void> => shootTo(page, name, { fullPage });

/** A cover picture as a clinic would upload one: a PNG from a drawing (stylised vertebrae and discs). */
function coverPng(): Promise<Buffer> {
  const vertebrae = Array.from({ length: 5 }, (_, i) => {
    const y = 150 + i * 130;
    return `<rect x="640" y="${y}" width="320" height="88" rx="26" fill="#f4efe6" stroke="#c8bca8" stroke-width="4"/>`
      + (i < 4 ? `<rect x="668" y="${y + 92}" width="264" height="34" rx="14" fill="#3d8fd1"/>` : '');
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dfe9f3"/><stop offset="1" stop-color="#9fb8cf"/></linearGradient></defs>
    <rect width="1600" height="900" fill="url(#g)"/><rect x="0" y="760" width="1600" height="140" fill="#7a6a58"/>${vertebrae}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** These contexts have no base URL: the login page's address is whole. */
const signIn = (page: Page, who: { email: string; password: string }): Promise<Page> => signInAs(page, who, `${server.baseUrl}/app/login`);

describe('patient education', () => {
  let staff: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  // Messages are also written to the screen-reader announcer, outside <main>.
  const main = () => page.getByRole('main');

  beforeAll(async () => {
    staff = await newContext(DESKTOP);
    page = await staff.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await staff?.close();
  });

  it('a clinician writes an article with a live preview and reordered references, and saves a draft', async () => {
    await signIn(page, CLINICIAN);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect((await nav.innerText()).replace(/\s+/g, ' ')).toContain('Articles Comments');
    await nav.getByRole('link', { name: 'Articles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
    await page.getByRole('link', { name: 'New article' }).click();
    await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();

    await page.getByLabel('Title', { exact: true }).fill(ARTICLE.title);
    await page.getByLabel('Summary').fill(ARTICLE.summary);
    await page.getByLabel('Text (Markdown)').fill(ARTICLE.body);
    // The preview is the server's rendering: the heading and the numbered citation links appear.
    const preview = page.locator('.article-preview');
    await preview.getByRole('heading', { level: 2, name: 'The trials so far' }).waitFor();
    await expect.poll(() => preview.locator('sup.cite a').count()).toBe(2);
    // Markers without references are flagged before saving.
    await main().getByText('The text cites [^1], [^2], but there are no references').waitFor();

    for (const [i, ref] of ARTICLE.references.entries()) {
      await page.getByRole('button', { name: 'Add reference' }).click();
      await page.getByLabel(`Citation ${i + 1}`).fill(ref.citation);
      await page.locator(`#article-references-${i}-doi`).fill(ref.doi);
    }
    // Reference 2 (the randomised trial) moves up; its marker in the text follows it.
    await page.getByRole('button', { name: 'Move reference 2 up' }).click();
    const text = await page.getByLabel('Text (Markdown)').inputValue();
    expect(text).toContain('a dummy injection [^1]');
    expect(text).toContain('success at six months [^2]');
    expect(await page.getByLabel('Citation 1').inputValue()).toContain('Tuakli-Wosornu');
    // "Cite" puts a marker at the caret.
    await page.getByLabel('Text (Markdown)').press('Control+End');
    await page.getByRole('button', { name: 'Cite reference 1 in the text' }).click();
    expect(await page.getByLabel('Text (Markdown)').inputValue()).toMatch(/examination\.\[\^1\]$/);
    await page.getByLabel('Text (Markdown)').fill(text);

    await page.getByLabel('Tags').fill('Disc pain, Evidence');
    await page.getByLabel('Related indication').selectOption('degenerative-disc-disease');
    await page.getByLabel('Medical reviewer').selectOption({ label: `${CLINICIAN.name} (Clinician)` });
    await page.getByLabel('Last reviewed').fill(REVIEWED_ON);
    await preview.getByText('Tuakli-Wosornu YA').waitFor();
    await shoot(page, 'article-editor-desktop.png');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/app\/articles\/[0-9a-f-]{36}$/);
    articleId = page.url().split('/').pop()!;
    await main().getByText('The draft is saved.').waitFor();
    await main().getByText('Revision 1', { exact: true }).waitFor();
  });

  it('tells the clinician when someone else saved meanwhile, and offers the latest version', async () => {
    // A colleague changes the summary through the API while the editor is open at revision 1.
    const other = await admin.patch(`/api/v1/articles/${articleId}`, { summary: `${ARTICLE.summary} Updated by a colleague.`, revision: 1 });
    expect(other.json().revision).toBe(2);

    await page.getByLabel('Title', { exact: true }).fill(`${ARTICLE.title}!`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else saved this article while you were editing.' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('the latest is 2');
    await shoot(page, 'article-conflict-desktop.png');
    await alert.getByRole('button', { name: 'Load the latest version' }).click();
    await main().getByText('Showing revision 2').waitFor();
    expect(await page.getByLabel('Summary').inputValue()).toContain('Updated by a colleague.');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(ARTICLE.title);

    await page.getByLabel('Summary').fill(ARTICLE.summary);
    await page.keyboard.press('Control+s');
    await main().getByText('Saved as revision 3.').waitFor();
  });

  it('uploads a cover picture, publishes, and compares revisions', async () => {
    await page.getByLabel('Picture', { exact: true }).setInputFiles({ name: 'spine-model.png', mimeType: 'image/png', buffer: await coverPng() });
    await page.getByLabel('Alt text').fill(ARTICLE.alt);
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await main().getByText('The cover picture is saved.').waitFor();
    const img = page.locator('.cover-current img');
    await img.waitFor();
    expect(await img.getAttribute('alt')).toBe(ARTICLE.alt);
    await page.waitForFunction(() => (document.querySelector('.cover-current img') as HTMLImageElement | null)?.naturalWidth === 480);

    // A text file dressed up as a PNG is refused, naming the field.
    await page.getByLabel('Replace with').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some notes, not a picture') });
    await page.getByRole('button', { name: 'Upload picture' }).click();
    await page.locator('#cover-image-error').filter({ hasText: 'not a picture' }).waitFor();
    expect(await page.getByLabel('Replace with').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Publish now' }).click();
    await main().getByText('Published: the article is on the site.').waitFor();
    const link = page.getByRole('main').getByRole('link', { name: /^View on the site/ }).first();
    articleUrl = `${server.baseUrl}${await link.getAttribute('href')}`;
    expect(articleUrl).toMatch(/\/articles\/prp-injections-into-the-disc-what-the-trials-found$/);
    await shoot(page, 'article-editor-published-desktop.png', true);

    await page.getByRole('link', { name: 'Revisions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Revisions' }).waitFor();
    const table = page.getByRole('table', { name: 'Revisions, newest first' });
    await expect.poll(() => table.getByRole('row').count()).toBe(1 + 3);
    // Latest (3) against 2: the colleague's sentence is removed from the summary.
    const summaryDiff = page.getByRole('region', { name: /^Summary: 1 lines removed, 1 added$/ });
    await summaryDiff.waitFor();
    expect(await summaryDiff.locator('del').innerText()).toContain('Updated by a colleague.');
    await shoot(page, 'article-revisions-desktop.png');

    // Restoring an old revision makes it current as a new revision; history is never rewritten.
    await page.getByRole('button', { name: 'Restore revision 1' }).click();
    await page.waitForURL(new RegExp(`/app/articles/${articleId}$`));
    await main().getByText('Revision 1 is current again, saved as revision 4.').waitFor();

    // The list: the new article published, the colleague's draft still a draft; filter by status.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Articles' }).click();
    const list = page.getByRole('table', { name: 'All articles, last changed first' });
    expect(await list.getByRole('row').filter({ hasText: ARTICLE.title }).innerText()).toContain('Published');
    expect(await list.getByRole('row').filter({ hasText: 'Unpublished draft on facet joints' }).innerText()).toContain('Draft');
    await shoot(page, 'articles-desktop.png');
    await page.getByLabel('Status').selectOption('draft');
    await page.waitForURL(/status=draft/);
    const drafts = page.getByRole('table', { name: 'Articles matching the filter' });
    await drafts.getByRole('link', { name: 'Unpublished draft on facet joints' }).waitFor();
    await expect.poll(() => drafts.getByRole('row').count()).toBe(2);
  });

  it('shows the published article to a reader without JavaScript, with its cover, references and calls to action', async () => {
    const reader = await newContext(DESKTOP, false);
    const readerPage = await reader.newPage();
    await readerPage.goto(`${server.baseUrl}/`);
    await readerPage.getByRole('link', { name: ARTICLE.title }).click();
    await readerPage.waitForURL(articleUrl);
    await readerPage.getByRole('heading', { level: 1, name: ARTICLE.title }).waitFor();
    const byline = await readerPage.locator('header .meta').innerText();
    expect(byline).toContain(`By ${CLINICIAN.name}, MD, consultant in pain medicine.`);
    expect(byline).toContain(`Medically reviewed by ${CLINICIAN.name}`);
    const cover = readerPage.locator('figure.cover img');
    expect(await cover.getAttribute('alt')).toBe(ARTICLE.alt);
    expect(await cover.getAttribute('width')).toBe('1200');
    expect(await cover.getAttribute('height')).toBe('630');
    await readerPage.waitForFunction(() => (document.querySelector('figure.cover img') as HTMLImageElement | null)?.complete === true);
    expect(await cover.evaluate((i: HTMLImageElement) => i.currentSrc)).toMatch(/\/media\/covers\/[^/]+-800\.webp$/);
    const refs = readerPage.locator('ol.refs li');
    await expect.poll(() => refs.count()).toBe(2);
    expect(await refs.first().innerText()).toContain('Tuakli-Wosornu');
    expect(await readerPage.getByRole('link', { name: 'Could PRP help my back pain?' }).getAttribute('href')).toBe('/screening');
    expect(await readerPage.locator(`meta[property="og:image"]`).getAttribute('content')).toMatch(new RegExp(`^${server.baseUrl}/media/covers/[^/]+-1200\\.jpeg$`));
    // The draft exists only in the staff app.
    expect((await readerPage.goto(`${server.baseUrl}/articles/${draftSlug}`))!.status()).toBe(404);
    await reader.close();
  });

  it('keeps a comment with script invisible while pending, and shows it as harmless text after approval', async () => {
    const reader = await newContext(PHONE, false);
    const readerPage = await reader.newPage();
    const shownAt = Date.now();
    await readerPage.goto(articleUrl);
    await readerPage.getByLabel('Name', { exact: true }).fill('Sam');
    await readerPage.getByLabel('Comment', { exact: true }).fill(SCRIPT_COMMENT);
    // The server refuses a form sent sooner than a person could write one.
    await readerPage.waitForTimeout(Math.max(0, MIN_SECONDS_TO_COMMENT * 1000 + 300 - (Date.now() - shownAt)));
    await readerPage.getByRole('button', { name: 'Send comment' }).click();
    await readerPage.waitForURL(/\?comment=received#comments$/);
    await readerPage.getByText('Your comment will appear here once the clinic has read it.').waitFor();
    const comments = readerPage.locator('#comments');
    expect(await comments.innerText()).not.toContain('alert(1)');
    expect(await comments.innerText()).toContain('No comments yet.');

    // The moderator sees it waiting (count in the navigation), as text, and nothing runs.
    await page.goto(`${server.baseUrl}/app/articles`);
    const commentsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Comments/ });
    await commentsLink.locator('.nav-badge', { hasText: '1' }).waitFor();
    expect(await commentsLink.innerText()).toContain('1 waiting');
    await commentsLink.click();
    await page.getByRole('heading', { level: 1, name: 'Comments' }).waitFor();
    const card = page.locator('.comment-card').filter({ hasText: 'Sam' });
    await card.waitFor();
    expect(await card.locator('.comment-body').innerText()).toContain('<script>alert(1)</script> and <img src=x onerror=alert(1)>');
    await expect.poll(() => page.locator('[onerror]').count()).toBe(0);
    await expect.poll(() => page.locator('.comment-body script, .comment-body img').count()).toBe(0);
    await shoot(page, 'comments-queue-desktop.png');
    await card.getByRole('button', { name: 'Approve the comment by Sam' }).click();
    await main().getByText('The comment by Sam is approved and shown on the site.').waitFor();
    await main().getByText('Nothing is waiting.').waitFor();
    await commentsLink.locator('.nav-badge').waitFor({ state: 'detached' });

    // Reply as the clinic, from the approved list.
    await page.getByRole('link', { name: 'Approved' }).click();
    await page.locator('.comment-card').filter({ hasText: 'Sam' }).getByRole('button', { name: 'Reply as the clinic to Sam' }).click();
    await page.getByLabel('Your reply').fill('Thank you for asking. Whether it helps depends on the cause of the pain: the self-screening is a good first step.');
    await page.getByRole('button', { name: 'Publish reply' }).click();
    await main().getByText('Your reply is published under the comment').waitFor();
    expect(dialogs).toEqual([]);

    // Approved: shown as the text it is, with no element carrying a handler.
    await readerPage.goto(articleUrl);
    const approved = readerPage.locator('.comment').filter({ hasText: 'Sam' }).first();
    expect(await approved.innerText()).toContain('<script>alert(1)</script> and <img src=x onerror=alert(1)>');
    await expect.poll(() => readerPage.locator('[onerror]').count()).toBe(0);
    await expect.poll(() => readerPage.locator('#comments script, #comments img').count()).toBe(0);
    await readerPage.locator('.comment.staff .badge', { hasText: 'Clinic team' }).waitFor();
    await reader.close();

    // And in a browser that runs scripts, nothing fires either.
    const scripted = await newContext(DESKTOP);
    const scriptedPage = await scripted.newPage();
    const fired: string[] = [];
    scriptedPage.on('dialog', (d) => {
      fired.push(d.message());
      void d.dismiss();
    });
    await scriptedPage.goto(articleUrl);
    await scriptedPage.locator('.comment').first().waitFor();
    await scriptedPage.waitForTimeout(300);
    expect(fired).toEqual([]);
    await scripted.close();
  });

  it('lists only published articles in the RSS and Atom feeds (read by a real feed parser) and in sitemap.xml', async () => {
    const parser = new Parser();
    for (const feedPath of ['/feed.xml', '/atom.xml', '/tags/disc-pain/feed.xml']) {
      const res = await fetch(`${server.baseUrl}${feedPath}`);
      expect(res.status, feedPath).toBe(200);
      const feed = await parser.parseString(await res.text());
      expect(feed.items.map((i) => i.title), feedPath).toEqual([ARTICLE.title]);
      expect(feed.items[0]!.link).toBe(articleUrl);
    }
    const rss = await parser.parseString(await (await fetch(`${server.baseUrl}/feed.xml`)).text());
    expect(rss.items[0]!.enclosure).toMatchObject({ type: 'image/jpeg' });
    const sitemap = await (await fetch(`${server.baseUrl}/sitemap.xml`)).text();
    expect(sitemap).toContain(`<loc>${articleUrl}</loc>`);
    expect(sitemap).not.toContain(draftSlug);
    expect(sitemap.match(/<loc>[^<]*\/articles\//g)).toHaveLength(1);
  });

  it('renders the article page on a phone and a desktop, and stays light', async () => {
    const weights: Record<string, { html: number; css: number; images: number; requests: number }> = {};
    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      const context = await newContext(viewport, false);
      const readerPage = await context.newPage();
      const responses: Response[] = [];
      readerPage.on('response', (r) => void responses.push(r));
      await readerPage.goto(articleUrl, { waitUntil: 'load' });
      await readerPage.waitForFunction(() => (document.querySelector('figure.cover img') as HTMLImageElement | null)?.complete === true);
      const weight = { html: 0, css: 0, images: 0, requests: responses.length };
      for (const r of responses) {
        // Bytes on the wire: compressed body plus headers.
        const sizes = await r.request().sizes();
        const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
        const type = r.headers()['content-type'] ?? '';
        if (type.startsWith('text/html')) weight.html += bytes;
        else if (type.startsWith('text/css')) weight.css += bytes;
        else if (type.startsWith('image/')) weight.images += bytes;
      }
      weights[name] = weight;
      const html = responses.find((r) => (r.headers()['content-type'] ?? '').startsWith('text/html'))!;
      expect(html.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
      expect(weight.html + weight.css).toBeLessThan(50 * 1024);
      await shoot(readerPage, `article-${name}.png`);
      await shoot(readerPage, `article-${name}-full.png`, true);
      await context.close();
    }
    console.log(`article page weight (bytes on the wire, compressed): ${JSON.stringify(weights)}`);
    fs.writeFileSync(path.join(screenshotDir, 'article-weight.json'), `${JSON.stringify(weights, null, 2)}\n`);
  });

  it('on a phone: the editor and the moderation queue fit the screen', async () => {
    const phone = await newContext(PHONE);
    const phonePage = await phone.newPage();
    await signIn(phonePage, CLINICIAN);
    await phonePage.goto(`${server.baseUrl}/app/articles/${articleId}`);
    await phonePage.getByRole('heading', { level: 1, name: ARTICLE.title }).waitFor();
    await phonePage.locator('.article-preview h2').first().waitFor();
    await shoot(phonePage, 'article-editor-phone.png');
    await shoot(phonePage, 'article-editor-phone-full.png', true);
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phonePage.goto(`${server.baseUrl}/app/comments?status=approved`);
    await phonePage.locator('.comment-card').first().waitFor();
    await shoot(phonePage, 'comments-phone.png');
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.close();
  });
});
