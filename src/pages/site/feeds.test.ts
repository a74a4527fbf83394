import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../services/public-articles.js';
import { buildFeed, robotsTxt, sitemapXml } from './feeds.js';

const site = { name: 'Clinic & <Co>', publicUrl: 'https://clinic.example', timeZone: 'Europe/London' };
const entry: FeedEntry = {
  id: 'a', slug: 'x', title: 'A ]]> B ]]> C & <D>', summary: 'S ]]> T', publishedAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-02T10:00:00.000Z',
  author: { id: 'p', displayName: 'Dr P', credentials: null }, tags: [{ tag: 'disc-pain', label: 'Disc pain' }], indication: null, cover: null,
  html: '<p>See <a href="#ref-1">[1]</a> and <img src="/media/a.png" alt="a" /> ]]&gt;</p>',
};

describe('feeds', () => {
  it('writes well-formed RSS and Atom even when text contains CDATA terminators', async () => {
    for (const xml of [buildFeed(site, [entry], 'rss').rss2(), buildFeed(site, [entry], 'atom').atom1()]) {
      expect(XMLValidator.validate(xml)).toBe(true);
      const parsed = await new Parser().parseString(xml);
      expect(parsed.items).toHaveLength(1);
      expect(parsed.items[0]!.link).toBe('https://clinic.example/articles/x');
      expect(parsed.items[0]!.title).toContain('C & <D>');
    }
  });

  it('makes links in the content absolute', () => {
    const rss = buildFeed(site, [entry], 'rss').rss2();
    expect(rss).not.toContain('<author>');
    expect(buildFeed(site, [entry], 'atom').atom1()).toContain('<name>Dr P</name>');
    expect(rss).toContain('href="https://clinic.example/articles/x#ref-1"');
    expect(rss).toContain('src="https://clinic.example/media/a.png"');
  });

  it('attaches the cover image as a JPEG enclosure', async () => {
    const cover = { alt: 'A spine model', width: 800, height: 420, renditions: [{ width: 800, height: 420, jpeg: '/media/covers/c-800.jpeg', webp: '/media/covers/c-800.webp' }] };
    const rss = buildFeed(site, [{ ...entry, cover }], 'rss').rss2();
    expect(XMLValidator.validate(rss)).toBe(true);
    expect((await new Parser().parseString(rss)).items[0]!.enclosure).toMatchObject({ url: 'https://clinic.example/media/covers/c-800.jpeg', type: 'image/jpeg' });
    expect(buildFeed(site, [{ ...entry, cover }], 'atom').atom1()).toMatch(/<link rel="enclosure" href="https:\/\/clinic\.example\/media\/covers\/c-800\.jpeg"[^>]* type="image\/jpeg"\/>/);
  });

  it('escapes the sitemap and points robots.txt at it', () => {
    const xml = sitemapXml(site, { articles: [{ slug: 'a&b', updatedAt: '2026-01-02T00:00:00Z' }], tags: ['t'], authors: ['p'] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>https://clinic.example/articles/a%26b</loc><lastmod>2026-01-02</lastmod>');
    expect(robotsTxt(site)).toContain('Sitemap: https://clinic.example/sitemap.xml');
  });
});
