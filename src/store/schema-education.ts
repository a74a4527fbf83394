import type { Selectable } from 'kysely';

/** Tables of the education capability (articles, comments, views). Migration: 0002-education. */
export interface EducationTables {
  article: ArticleTable;
  article_revision: ArticleRevisionTable;
  article_reference: ArticleReferenceTable;
  article_tag: ArticleTagTable;
  article_comment: ArticleCommentTable;
  article_view_day: ArticleViewDayTable;
  author_profile: AuthorProfileTable;
  education_setting: EducationSettingTable;
  visitor_salt: VisitorSaltTable;
}

export type ArticleStatus = 'draft' | 'scheduled' | 'published';
export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'spam';
export type CommentMode = 'off' | 'pre-moderated' | 'open-after-first-approved';

export interface ArticleTable {
  id: string;
  clinic_id: string;
  /** Unique per clinic: the public URL is /articles/<slug>. */
  slug: string;
  title: string;
  summary: string;
  body_markdown: string;
  /** As set by staff. A scheduled article is public once `publish_at` has passed. */
  status: ArticleStatus;
  /** When it goes (scheduled) or went (published) live: ISO instant; null for a draft never published. */
  publish_at: string | null;
  author_id: string;
  reviewer_id: string | null;
  /** YYYY-MM-DD: when the medical reviewer last checked it. */
  last_reviewed_on: string | null;
  /** An indication code from science/indications.ts, or null for a general article. */
  indication: string | null;
  /** Relative to the data dir; set by the (later) image upload. */
  cover_image_path: string | null;
  cover_image_alt: string | null;
  /** Lower-cased, accent-free title, summary, tags and text: what /search matches. */
  search_text: string;
  /** The number of the newest article_revision. */
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface ArticleRevisionTable {
  id: string;
  clinic_id: string;
  article_id: string;
  revision: number;
  title: string;
  summary: string;
  body_markdown: string;
  indication: string | null;
  /** JSON array of tag labels. */
  tags_json: string;
  /** JSON array of { doi, pmid, citation }. */
  references_json: string;
  created_by: string;
  /** The staff email at the time, like the audit trail. */
  created_by_label: string;
  /** The revision this one restored, when it was a restore. */
  restored_from: number | null;
  created_at: string;
}

export interface ArticleReferenceTable {
  id: string;
  clinic_id: string;
  article_id: string;
  /** 1-based; the text cites it as [^position]. */
  position: number;
  doi: string | null;
  pmid: string | null;
  citation: string;
}

export interface ArticleTagTable {
  clinic_id: string;
  article_id: string;
  /** URL form: lower case, hyphens (`disc-pain`). */
  tag: string;
  /** As the author wrote it (`Disc pain`). */
  label: string;
}

export interface ArticleCommentTable {
  id: string;
  clinic_id: string;
  article_id: string;
  /** One level of replies: a reply's parent is always a top-level comment. */
  parent_id: string | null;
  author_name: string;
  /** Lower-cased; never shown publicly. */
  author_email: string | null;
  body_markdown: string;
  status: CommentStatus;
  /** 1 only for replies written by staff through the staff API: the public form cannot set it. */
  is_staff_reply: number;
  staff_id: string | null;
  created_at: string;
  moderated_at: string | null;
  moderated_by: string | null;
}

export interface ArticleViewDayTable {
  clinic_id: string;
  article_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  views: number;
}

export interface AuthorProfileTable {
  clinic_id: string;
  staff_id: string;
  /** e.g. "MD, FRCA — consultant in pain medicine". */
  credentials: string | null;
  bio: string | null;
  updated_at: string;
}

export interface EducationSettingTable {
  clinic_id: string;
  comment_mode: CommentMode;
  updated_at: string;
}


/**
 * A random secret per UTC day: the key for hashing addresses and signing comment-form
 * timestamps. Deleted after two days, after which a stored hash can no longer be linked to an
 * address, even by trying every IPv4 address.
 */
export interface VisitorSaltTable {
  day: string;
  salt: string;
  created_at: string;
}

export type ArticleRow = Selectable<ArticleTable>;
export type ArticleRevisionRow = Selectable<ArticleRevisionTable>;
export type ArticleCommentRow = Selectable<ArticleCommentTable>;
