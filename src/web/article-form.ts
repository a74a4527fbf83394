import type { ArticleStatus, ArticleView } from './education-types.js';
import { nullable } from './forms.js';

/**
 * The article editor's form state and the request bodies made from it. Kept apart from the
 * screen so the conversions (tags, empty optional fields, local date-times) are tested.
 */

export interface ReferenceDraft {
  /** Stable React key while rows move. */
  key: string;
  doi: string;
  pmid: string;
  citation: string;
}

export interface ArticleValues {
  title: string;
  slug: string;
  summary: string;
  bodyMarkdown: string;
  /** Comma-separated, as typed. */
  tags: string;
  indication: string;
  authorId: string;
  reviewerId: string;
  lastReviewedOn: string;
  references: ReferenceDraft[];
}

let keys = 0;
export function newReferenceKey(): string {
  keys += 1;
  return `ref-${keys}`;
}

export function valuesOf(article: ArticleView | undefined, me: string): ArticleValues {
  return {
    title: article?.title ?? '',
    slug: article?.slug ?? '',
    summary: article?.summary ?? '',
    bodyMarkdown: article?.bodyMarkdown ?? '',
    tags: article ? article.tags.map((t) => t.label).join(', ') : '',
    indication: article?.indication ?? '',
    authorId: article?.author.id ?? me,
    reviewerId: article?.reviewer?.id ?? '',
    lastReviewedOn: article?.lastReviewedOn ?? '',
    references: (article?.references ?? []).map((r) => ({ key: newReferenceKey(), doi: r.doi ?? '', pmid: r.pmid ?? '', citation: r.citation })),
  };
}

/** `Disc pain, evidence,, ` → `['Disc pain', 'evidence']`. */
export function parseTags(text: string): string[] {
  return text.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * The POST (new) or PATCH (edit) body. A new article leaves out empty optional fields (the server
 * makes the slug from the title); an edit sends every field, null for an emptied one, and the
 * revision it started from so a save by someone else meanwhile is refused rather than overwritten.
 */
export function articleBody(values: ArticleValues, revision?: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: values.title.trim(),
    summary: values.summary.trim(),
    bodyMarkdown: values.bodyMarkdown,
    tags: parseTags(values.tags),
    references: values.references.map((r) => ({ doi: nullable(r.doi), pmid: nullable(r.pmid), citation: r.citation.trim() })),
    indication: nullable(values.indication),
    authorId: values.authorId,
    reviewerId: nullable(values.reviewerId),
    lastReviewedOn: nullable(values.lastReviewedOn),
  };
  if (revision === undefined) {
    if (values.slug.trim()) body.slug = values.slug.trim();
    for (const key of ['indication', 'reviewerId', 'lastReviewedOn'] as const) if (body[key] === null) delete body[key];
    return body;
  }
  return { ...body, slug: values.slug.trim(), revision };
}

/** True when the form differs from the saved article (what a save would send). */
export function isDirty(values: ArticleValues, article: ArticleView | undefined, me: string): boolean {
  const strip = (v: ArticleValues) => JSON.stringify({ ...articleBody(v, 1), tags: parseTags(v.tags).join('\u0000') });
  return strip(values) !== strip(valuesOf(article, me));
}

export const STATUS_LABELS: Record<ArticleStatus, string> = { draft: 'Draft', scheduled: 'Scheduled', published: 'Published' };
export const STATUS_TONES: Record<ArticleStatus, 'neutral' | 'warning' | 'success'> = { draft: 'neutral', scheduled: 'warning', published: 'success' };
