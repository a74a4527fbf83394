import Type from 'typebox';
import { INDICATION_CODES, type IndicationCode } from '../../science/indications.js';
import { ARTICLE_LIMITS, ARTICLE_STATUSES, DOI_PATTERN, PMID_PATTERN, SLUG_PATTERN } from '../../services/articles.js';
import { COMMENT_LIMITS, COMMENT_MODES, COMMENT_STATUSES } from '../../services/comments.js';
import { Id, IsoDate, IsoInstant, Nullable } from '../schemas.js';

/** Schemas of the education API (articles, revisions, comments, settings). Limits come from the services. */

export const Slug = Type.String({ minLength: 1, maxLength: ARTICLE_LIMITS.slugChars, pattern: SLUG_PATTERN, description: 'The public address: /articles/<slug>. Lower-case letters, digits and single hyphens.' });
export const ArticleStatus = Type.Enum([...ARTICLE_STATUSES]);
export const CommentStatus = Type.Enum([...COMMENT_STATUSES]);
export const CommentMode = Type.Enum([...COMMENT_MODES]);
/** An indication code, or null for a general article (an enum that admits null). */
export const NullableIndication = Type.Unsafe<IndicationCode | null>({ type: ['string', 'null'], enum: [...INDICATION_CODES, null], description: 'The cause of back pain the article is about, if one.' });

const Title = Type.String({ minLength: 1, maxLength: ARTICLE_LIMITS.titleChars, pattern: '\\S' });
const Summary = Type.String({ minLength: 1, maxLength: ARTICLE_LIMITS.summaryChars, pattern: '\\S', description: 'One or two sentences: the page description and the feed summary.' });
const BodyMarkdown = Type.String({ maxLength: ARTICLE_LIMITS.bodyChars, description: 'Markdown. `[^n]` cites the n-th reference. Raw HTML is shown as text.' });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: ARTICLE_LIMITS.tagChars }), { maxItems: ARTICLE_LIMITS.tags });
export const ReferenceSchema = Type.Object({
  doi: Type.Optional(Nullable(Type.String({ maxLength: 200, pattern: DOI_PATTERN, description: 'e.g. 10.1016/j.pmrj.2015.08.010' }))),
  pmid: Type.Optional(Nullable(Type.String({ maxLength: 9, pattern: PMID_PATTERN, description: 'PubMed id, digits only.' }))),
  citation: Type.String({ minLength: 1, maxLength: ARTICLE_LIMITS.citationChars, pattern: '\\S', description: 'Authors, year, title, journal — as you want it shown.' }),
}, { additionalProperties: false });
const References = Type.Array(ReferenceSchema, { maxItems: ARTICLE_LIMITS.references });

export const articleFields = {
  slug: Slug, title: Title, summary: Summary, bodyMarkdown: BodyMarkdown, tags: Tags, references: References, indication: NullableIndication,
  authorId: Id, reviewerId: Nullable(Id), lastReviewedOn: Nullable(IsoDate),
};

const Person = Type.Object({ id: Id, displayName: Type.String() });
const Tag = Type.Object({ tag: Type.String(), label: Type.String() });
const ReferenceView = Type.Object({ position: Type.Integer(), doi: Nullable(Type.String()), pmid: Nullable(Type.String()), citation: Type.String() });

const CoverRendition = Type.Object({ width: Type.Integer(), height: Type.Integer(), jpeg: Type.String(), webp: Type.String() });
export const CoverSchema = Type.Object({
  alt: Type.String(), width: Type.Integer({ description: 'Of the largest rendition; all share its aspect ratio (1.91:1).' }), height: Type.Integer(),
  renditions: Type.Array(CoverRendition, { description: 'Smallest first; site-relative URLs, cacheable for a year.' }),
});

export const ArticleSchema = Type.Object({
  id: Id, slug: Type.String(), title: Type.String(), summary: Type.String(), bodyMarkdown: Type.String(), status: ArticleStatus, publishAt: Nullable(IsoInstant),
  author: Person, reviewer: Nullable(Person), lastReviewedOn: Nullable(IsoDate), indication: NullableIndication, tags: Type.Array(Tag),
  references: Type.Array(ReferenceView), cover: Nullable(CoverSchema), revision: Type.Integer(), url: Type.String(), createdAt: IsoInstant, updatedAt: IsoInstant,
});

export const ArticleSummarySchema = Type.Object({
  id: Id, slug: Type.String(), title: Type.String(), status: ArticleStatus, publishAt: Nullable(IsoInstant), author: Person, tags: Type.Array(Type.String()),
  revision: Type.Integer(), updatedAt: IsoInstant, viewsLast30Days: Type.Integer(), pendingComments: Type.Integer(),
});

const revisionSummary = {
  id: Id, articleId: Id, revision: Type.Integer(), title: Type.String(), createdAt: IsoInstant, createdBy: Person, restoredFrom: Nullable(Type.Integer()),
};
export const RevisionSummarySchema = Type.Object(revisionSummary);
export const RevisionSchema = Type.Object({
  ...revisionSummary, summary: Type.String(), bodyMarkdown: Type.String(), indication: NullableIndication, tags: Type.Array(Type.String()),
  references: Type.Array(Type.Object({ doi: Type.Optional(Nullable(Type.String())), pmid: Type.Optional(Nullable(Type.String())), citation: Type.String() })),
});

export const AuthorProfileSchema = Type.Object({ staffId: Id, displayName: Type.String(), credentials: Nullable(Type.String()), bio: Nullable(Type.String()) });
export const authorProfileFields = {
  credentials: Nullable(Type.String({ maxLength: ARTICLE_LIMITS.credentialsChars, description: 'e.g. "MD, FRCA — consultant in pain medicine"' })),
  bio: Nullable(Type.String({ maxLength: ARTICLE_LIMITS.bioChars })),
};

export const CommentSchema = Type.Object({
  id: Id, articleId: Id, articleTitle: Type.String(), articleSlug: Type.String(), parentId: Nullable(Id), authorName: Type.String(), authorEmail: Nullable(Type.String()),
  bodyMarkdown: Type.String(), bodyHtml: Type.String({ description: 'As shown on the site: sanitised HTML.' }), status: CommentStatus, isStaffReply: Type.Boolean(),
  staffId: Nullable(Id), createdAt: IsoInstant, moderatedAt: Nullable(IsoInstant), moderatedBy: Nullable(Id),
});
export const ReplyBody = Type.String({ minLength: 1, maxLength: COMMENT_LIMITS.bodyChars, pattern: '\\S' });

export const SettingsSchema = Type.Object({ commentMode: CommentMode });
