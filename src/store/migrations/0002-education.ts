import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

// Articles, revisions, references, tags, comments, daily view counts (education issue).
// Portable types only (text, integer); every index on a clinic's rows starts with clinic_id.
// Revision snapshots keep tags and references as JSON text: they are read whole, never queried.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('article')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('publish_at', 'text')
    .addColumn('author_id', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('reviewer_id', 'text', (c) => c.references('staff_user.id'))
    .addColumn('last_reviewed_on', 'text')
    .addColumn('indication', 'text')
    .addColumn('cover_image_path', 'text')
    .addColumn('cover_image_alt', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('article_clinic_slug', ['clinic_id', 'slug'])
    .execute();
  // Public lists (live articles, newest first) and the staff list by status.
  await db.schema.createIndex('article_clinic_live').on('article').columns(['clinic_id', 'status', 'publish_at']).execute();
  await db.schema.createIndex('article_clinic_author').on('article').columns(['clinic_id', 'author_id']).execute();
  await db.schema.createIndex('article_clinic_indication').on('article').columns(['clinic_id', 'indication']).execute();

  await db.schema
    .createTable('article_revision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('indication', 'text')
    .addColumn('tags_json', 'text', (c) => c.notNull())
    .addColumn('references_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('article_revision_number', ['clinic_id', 'article_id', 'revision'])
    .execute();

  await db.schema
    .createTable('article_reference')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('doi', 'text')
    .addColumn('pmid', 'text')
    .addColumn('citation', 'text', (c) => c.notNull())
    .addUniqueConstraint('article_reference_position', ['clinic_id', 'article_id', 'position'])
    .execute();

  await db.schema
    .createTable('article_tag')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_tag_pk', ['clinic_id', 'article_id', 'tag'])
    .execute();
  // Tag pages and related posts: articles by tag.
  await db.schema.createIndex('article_tag_clinic_tag').on('article_tag').columns(['clinic_id', 'tag', 'article_id']).execute();

  await db.schema
    .createTable('article_comment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('article_comment.id').onDelete('cascade'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text')
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_staff_reply', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('staff_id', 'text', (c) => c.references('staff_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('moderated_at', 'text')
    .addColumn('moderated_by', 'text')
    .execute();
  // An article's approved comments in order; the moderation queue by status; "has this email an approved comment?".
  await db.schema.createIndex('article_comment_article').on('article_comment').columns(['clinic_id', 'article_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('article_comment_queue').on('article_comment').columns(['clinic_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('article_comment_email').on('article_comment').columns(['clinic_id', 'author_email', 'status']).execute();

  await db.schema
    .createTable('article_view_day')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_view_day_pk', ['clinic_id', 'article_id', 'day'])
    .execute();
  // "Popular posts": the clinic's views since a day, summed per article.
  await db.schema.createIndex('article_view_day_clinic_day').on('article_view_day').columns(['clinic_id', 'day', 'article_id', 'views']).execute();

  await db.schema
    .createTable('author_profile')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_user.id'))
    .addColumn('credentials', 'text')
    .addColumn('bio', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('author_profile_pk', ['clinic_id', 'staff_id'])
    .execute();

  await db.schema
    .createTable('education_setting')
    .addColumn('clinic_id', 'text', (c) => c.primaryKey().references('clinic.id'))
    .addColumn('comment_mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('comment_throttle')
    .addColumn('clinic_id', 'text', (c) => c.notNull().references('clinic.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('comments', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_throttle_pk', ['clinic_id', 'day', 'address_hash'])
    .execute();

  // Not a clinic's data: one secret per day for the whole server.
  await db.schema
    .createTable('visitor_salt')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
