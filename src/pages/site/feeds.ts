import { Feed } from 'feed';
import type { FeedEntry, SitemapData } from '../../services/public-articles.js';
import type { TagView } from '../../services/articles.js';
import type { SiteContext } from './layout.js';

/**
 * RSS 2.0 and Atom 1.0 feeds (built with the `feed` library), the sitemap and robots.txt.
 * Only live articles reach here: the service queries select nothing else.
 */

/** Article HTML uses site-relative links; a feed reader shows it elsewhere, so make them absolute. */
function absolutise(html: string, site: SiteContext, articleUrl: string): string {
  return html.replace(/(href|src)="\/(?!\/)/g, `$1="${site.publicUrl}/`).replace(/href="#/g, `href="${articleUrl}#`);
}

/**
 * Titles, summaries and content go into CDATA sections, and the XML writer under `feed` (xml-js)
 * splits only the first `]]>` in each: break every one here so no text can end a section early.
 */
function cdataText(text: string): string {
  return text.replaceAll(']]>', ']] >');
}
function cdataHtml(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

/**
 * One feed for one format. Atom entries name their author (Atom requires one); RSS items do not,
 * because RSS 2.0's <author> must be an email address and staff addresses stay private.
 */
export function buildFeed(site: SiteContext, entries: FeedEntry[], format: 'rss' | 'atom', tag?: TagView): Feed {
  const base = tag ? `${site.publicUrl}/tags/${tag.tag}` : site.publicUrl;
  const updated = entries.reduce<Date | undefined>((latest, e) => {
    const d = new Date(e.updatedAt);
    return !latest || d > latest ? d : latest;
  }, undefined);
  const feed = new Feed({
    title: tag ? `${site.name}: ${tag.label}` : site.name,
    description: tag ? `Articles about ${tag.label} from ${site.name}.` : `Articles on back pain and PRP from ${site.name}.`,
    id: `${base}/`,
    link: tag ? base : `${site.publicUrl}/`,
    language: 'en',
    updated: updated ?? new Date(0),
    generator: 'Autolog',
    feedLinks: { rss: `${base}/feed.xml`, atom: `${base}/atom.xml` },
    copyright: `© ${site.name}`,
  });
  for (const e of entries) {
    const url = `${site.publicUrl}/articles/${e.slug}`;
    feed.addItem({
      title: cdataText(e.title),
      id: url,
      guid: url,
      link: url,
      description: cdataText(e.summary),
      content: cdataHtml(absolutise(e.html, site, url)),
      date: new Date(e.updatedAt),
      published: new Date(e.publishedAt),
      ...(format === 'atom' && { author: [{ name: e.author.displayName, link: `${site.publicUrl}/authors/${e.author.id}` }] }),
      category: e.tags.map((t) => ({ name: t.label, term: t.tag, domain: `${site.publicUrl}/tags/${t.tag}` })),
      // The largest JPEG: every feed reader can show it (WebP is not yet universal there).
      ...(e.cover && { image: { url: `${site.publicUrl}${e.cover.renditions[e.cover.renditions.length - 1]!.jpeg}`, type: 'image/jpeg', title: e.cover.alt } }),
    });
  }
  return feed;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** sitemaps.org 0.9: the home page, every live article, its tags and authors. */
export function sitemapXml(site: SiteContext, data: SitemapData): string {
  const url = (path: string, lastmod?: string) => `<url><loc>${xml(`${site.publicUrl}${path}`)}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}</url>`;
  const newest = data.articles.reduce<string | undefined>((m, a) => (!m || a.updatedAt > m ? a.updatedAt : m), undefined);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url('/', newest),
    ...data.articles.map((a) => url(`/articles/${encodeURIComponent(a.slug)}`, a.updatedAt)),
    ...data.tags.map((t) => url(`/tags/${encodeURIComponent(t)}`)),
    ...data.authors.map((id) => url(`/authors/${encodeURIComponent(id)}`)),
    '</urlset>',
  ].join('\n');
}

export function robotsTxt(site: SiteContext): string {
  return [
    'User-agent: *',
    'Disallow: /app/',
    'Disallow: /api/',
    'Disallow: /search',
    '',
    `Sitemap: ${site.publicUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
