/**
 * The education API's shapes (articles, revisions, comments), taken from the server's presenters
 * like types.ts does, so a change there fails the type check here. Type-only imports.
 */
export type {
  ArticleView, ArticleSummary, AuthorProfileView, ReferenceInput, ReferenceView, RevisionSummary, RevisionView,
} from '../services/articles.js';
export type { CommentView, EducationSettings } from '../services/comments.js';
export type { CoverImage } from '../services/cover-images.js';
export type { ArticleStatus, CommentMode, CommentStatus } from '../store/schema-education.js';

/** POST /api/v1/articles/preview */
export interface ArticlePreview {
  html: string;
  /** Reference numbers the text cites, in order of first use. */
  cited: number[];
}
