import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { SITE_CSS_PATH } from './site-css.js';

/** What every page knows about the site it belongs to. */
export interface SiteContext {
  name: string;
  /** PUBLIC_URL without a trailing slash: canonical links, feeds and the sitemap use it. */
  publicUrl: string;
  timeZone: string;
}

export interface PageMeta {
  title: string;
  description: string;
  /** Path of the canonical URL (`/articles/x`); null for error pages, which have none. */
  path: string | null;
  noindex?: boolean;
  /** Open Graph properties beyond title, description, url and site name. */
  og?: [property: string, content: string][];
  jsonLd?: object;
  feeds?: { title: string; rss: string; atom: string };
}

/** JSON for a <script type="application/ld+json"> block: `<` escaped so text can never close the element. */
export function jsonLdText(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function formatDate(iso: string, timeZone: string): string {
  // Calendar dates (YYYY-MM-DD) are days, not instants: shown as written, whatever the zone.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: dateOnly ? 'UTC' : timeZone }).format(new Date(dateOnly ? `${iso}T00:00:00Z` : iso));
}

export function Time({ iso, site }: { iso: string; site: SiteContext }) {
  return <time dateTime={iso.length === 10 ? iso : iso.slice(0, 10)}>{formatDate(iso, site.timeZone)}</time>;
}

export function Layout({ site, meta, children, aside }: { site: SiteContext; meta: PageMeta; children: ReactNode; aside?: ReactNode }) {
  const canonical = meta.path === null ? null : `${site.publicUrl}${meta.path}`;
  const title = meta.path === '/' ? meta.title : `${meta.title} · ${site.name}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={meta.description} />
        {canonical && <link rel="canonical" href={canonical} />}
        {meta.noindex && <meta name="robots" content="noindex, follow" />}
        <link rel="stylesheet" href={SITE_CSS_PATH} />
        {/* No favicon request: an empty data URL (CSP img-src allows data:). */}
        <link rel="icon" href="data:," />
        <link rel="alternate" type="application/rss+xml" title={`${site.name} (RSS)`} href="/feed.xml" />
        <link rel="alternate" type="application/atom+xml" title={`${site.name} (Atom)`} href="/atom.xml" />
        {meta.feeds && <link rel="alternate" type="application/rss+xml" title={meta.feeds.title} href={meta.feeds.rss} />}
        {meta.feeds && <link rel="alternate" type="application/atom+xml" title={meta.feeds.title} href={meta.feeds.atom} />}
        <meta property="og:site_name" content={site.name} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        {canonical && <meta property="og:url" content={canonical} />}
        <meta property="og:locale" content="en_GB" />
        {!meta.og?.some(([p]) => p === 'og:type') && <meta property="og:type" content="website" />}
        {meta.og?.map(([property, content], i) => <meta key={i} property={property} content={content} />)}
        <meta name="twitter:card" content={meta.og?.some(([p]) => p === 'og:image') ? 'summary_large_image' : 'summary'} />
        {meta.jsonLd && <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(meta.jsonLd) }} />}
      </head>
      <body>
        <a className="skip" href="#main">Skip to content</a>
        <header className="site-header">
          <div className="wrap">
            <a className="brand" href="/">{site.name}</a>
            <nav className="site-nav" aria-label="Site">
              <a href="/">Articles</a>
              <a href="/screening">Could PRP help me?</a>
            </nav>
            <form className="search" role="search" action="/search" method="get">
              <label htmlFor="site-q" className="vh">Search articles</label>
              <input id="site-q" type="search" name="q" placeholder="Search articles" maxLength={100} />
              <button className="button secondary" type="submit">Search</button>
            </form>
          </div>
        </header>
        <div className="wrap layout">
          <main id="main" tabIndex={-1}>{children}</main>
          {aside && <div className="side">{aside}</div>}
        </div>
        <footer className="site-footer">
          <div className="wrap">
            <p>{site.name}. Articles here are general information written and checked by our clinicians; they are not advice about your own health.</p>
            <p>
              <a href="/feed.xml">RSS feed</a>
              <a href="/atom.xml">Atom feed</a>
              <a href="/screening#consultation">Request a consultation</a>
              <a href="/app/">Staff sign-in</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A whole HTML document: doctype plus static markup (no hydration, no client script). */
export function renderDocument(element: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(element)}`;
}
