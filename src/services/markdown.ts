import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown → safe HTML for the public site, with two policies:
 * - articles (written by staff): GitHub-flavoured Markdown, numbered reference markers `[^n]`,
 *   headings demoted below the page title, images only from this site;
 * - comments (written by anyone): a small subset (paragraphs, emphasis, code, lists, quotes,
 *   links), links marked `rel="nofollow ugc"`.
 * In both, raw HTML is never passed through: it is shown as the text it is. The output then goes
 * through sanitize-html with an allow-list, so a renderer mistake cannot become a script either.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** `[^3]` in an article's text cites its third reference. */
const REFERENCE_MARKER = /\[\^(\d{1,3})\]/g;

const referenceMarker: TokenizerAndRendererExtension = {
  name: 'referenceMarker',
  level: 'inline',
  start: (src) => src.indexOf('[^'),
  tokenizer(src) {
    const match = /^\[\^(\d{1,3})\]/.exec(src);
    if (!match) return undefined;
    return { type: 'referenceMarker', raw: match[0], position: Number(match[1]) };
  },
  renderer(token) {
    const n = Number((token as unknown as { position: number }).position);
    return `<sup class="cite"><a href="#ref-${n}" aria-label="Reference ${n}">[${n}]</a></sup>`;
  },
};

const articleMarked = new Marked({ gfm: true, breaks: false, async: false });
articleMarked.use({
  extensions: [referenceMarker],
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    // The page's <h1> is the title; the text's headings start at <h2>.
    heading({ tokens, depth }: Tokens.Heading) {
      const level = Math.min(6, Math.max(2, depth));
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

const commentMarked = new Marked({ gfm: true, breaks: true, async: false });
commentMarked.use({
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    heading({ tokens }: Tokens.Heading) {
      return `<p>${this.parser.parseInline(tokens)}</p>\n`;
    },
    // No images in comments (tracking pixels, shock images): the alt text stays as text.
    image: ({ text }: Tokens.Image) => escapeHtml(text),
    hr: () => '',
  },
});

const ARTICLE_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
    'a', 'img', 'sup', 'sub', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'aria-label'], img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'], sup: ['class'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedClasses: { sup: ['cite'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Images only from this site: the page's CSP allows no other, and it keeps readers untracked.
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy', decoding: 'async' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !(frame.attribs.src ?? '').startsWith('/'),
};

const COMMENT_POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href && { href: attribs.href }), rel: 'nofollow ugc noopener' } }),
  },
};

export function renderArticleHtml(markdown: string): string {
  return sanitizeHtml(articleMarked.parse(markdown, { async: false }), ARTICLE_POLICY);
}

export function renderCommentHtml(markdown: string): string {
  return sanitizeHtml(commentMarked.parse(markdown, { async: false }), COMMENT_POLICY);
}

/** The words of a piece of Markdown, without markup: for search and descriptions. */
export function markdownToText(markdown: string): string {
  const html = articleMarked.parse(markdown.replace(REFERENCE_MARKER, ''), { async: false });
  return sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>/g, ' '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ').replace(/ ([.,;:])/g, '$1').trim();
}

/** The reference numbers an article's text cites, in order of first use. */
export function citedReferences(markdown: string): number[] {
  const seen = new Set<number>();
  for (const match of markdown.matchAll(REFERENCE_MARKER)) seen.add(Number(match[1]));
  return [...seen];
}

/** Links a comment would show: written URLs, Markdown links and bare `www.` addresses. */
export function countLinks(markdown: string): number {
  return (markdown.match(/\bhttps?:\/\/|\bwww\./gi) ?? []).length;
}
