import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { getArticle, type ArticleView } from './articles.js';
import { recordAudit, subjectOf } from './audit.js';
import { nowIso } from './clock.js';
import type { Actor, Services } from './context.js';
import { COVER_DIR, COVER_WIDTHS, coverHeightFor, coverStoredPath, deleteCoverFiles } from './cover-images.js';
import { inTransaction, type Trx } from './db-helpers.js';
import { ServiceError, invalid, notFound } from './errors.js';
import { assertCan } from './permissions.js';

/**
 * An article's cover image: upload (checked, cropped and resized here), change of its alt text,
 * removal. The picture is checked by decoding it with sharp — never by its name or the type the
 * browser claims — and re-encoded, so what is served is always a plain JPEG or WebP without the
 * original's metadata (camera, GPS position).
 *
 * Nothing is half-saved: every rendition is made in memory first, the files are written under
 * new names, and only then is the article row changed; if that fails the new files are removed,
 * and the old cover's files are removed only after the new one is committed.
 */

export const COVER_LIMITS = {
  /** Enough for a phone's full-resolution photo. */
  bytes: 8 * 1024 * 1024,
  /** Decoding needs about 4 bytes per pixel: this bounds one upload to ~200 MB of memory. */
  inputPixels: 50_000_000,
  altChars: 300,
} as const;

/** What sharp may decode for us: photographs and screenshots. Vector (SVG) and PDF input are refused. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'heif', 'gif', 'tiff']);
const SMALLEST = COVER_WIDTHS[0];

export interface CoverInput {
  /** The uploaded file; absent to change only the alt text of the current cover. */
  image?: Buffer | undefined;
  alt?: string | undefined;
}

interface Rendition {
  fileName: string;
  data: Buffer;
}

function checkAlt(alt: string | undefined): string {
  const text = (alt ?? '').replace(/\s+/g, ' ').trim();
  if (!text) throw invalid('alt', 'Describe the picture for people who cannot see it (alt text); it is required.');
  if (text.length > COVER_LIMITS.altChars) throw invalid('alt', `Keep the alt text under ${COVER_LIMITS.altChars} characters (it has ${text.length}).`);
  return text;
}

/** Decodes the upload and makes every rendition, or explains (naming `image`) why it cannot. */
async function renditionsOf(image: Buffer, baseName: string): Promise<{ renditions: Rendition[]; largestWidth: number }> {
  if (image.length === 0) throw invalid('image', 'The file is empty. Choose a picture to upload.');
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: COVER_LIMITS.inputPixels }).metadata();
  } catch {
    throw invalid('image', 'This file is not a picture Autolog can read. Upload a JPEG, PNG or WebP image.');
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
    throw invalid('image', `A ${meta.format?.toUpperCase() ?? 'file of this kind'} cannot be a cover image. Upload a JPEG, PNG or WebP photograph or drawing.`);
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width * height > COVER_LIMITS.inputPixels) {
    throw invalid('image', `The picture is ${width} × ${height} pixels, more than ${COVER_LIMITS.inputPixels / 1_000_000} megapixels. Scale it down and upload it again.`);
  }
  // The widest 1.91:1 crop the picture allows; covers are never enlarged.
  const cropWidth = Math.min(width, Math.floor(height / coverHeightFor(1200) * 1200));
  const widths = COVER_WIDTHS.filter((w) => w <= cropWidth);
  if (widths.length === 0) {
    throw invalid('image', `The picture is ${width} × ${height} pixels; a cover needs at least ${SMALLEST} × ${coverHeightFor(SMALLEST)} pixels (wide rather than tall).`);
  }
  try {
    const renditions: Rendition[] = [];
    for (const w of widths) {
      // rotate(): apply the camera's EXIF orientation; metadata is not copied to the output.
      const base = sharp(image, { limitInputPixels: COVER_LIMITS.inputPixels }).rotate()
        .resize(w, coverHeightFor(w), { fit: 'cover', position: 'attention' })
        .flatten({ background: '#ffffff' });
      const [webp, jpeg] = await Promise.all([
        base.clone().webp({ quality: 72, effort: 4 }).toBuffer(),
        base.clone().jpeg({ quality: 78, mozjpeg: true, progressive: true }).toBuffer(),
      ]);
      renditions.push({ fileName: `${baseName}-${w}.webp`, data: webp }, { fileName: `${baseName}-${w}.jpeg`, data: jpeg });
    }
    return { renditions, largestWidth: widths[widths.length - 1]! };
  } catch {
    // The header was readable but the pixels are not (a truncated or corrupt file).
    throw invalid('image', 'The picture could not be read to the end: the file may be damaged or incomplete. Save it again and upload the new copy.');
  }
}

async function articleCover(services: Services, actor: Actor, articleId: string): Promise<{ path: string | null; alt: string | null }> {
  const row = await services.store.db.selectFrom('article').select(['cover_image_path', 'cover_image_alt'])
    .where('id', '=', articleId).where('clinic_id', '=', actor.clinicId).executeTakeFirst();
  if (!row) throw notFound('article');
  return { path: row.cover_image_path, alt: row.cover_image_alt };
}

/** Runs every check and reports all refused fields at once (as the JSON API does). */
async function checked<A, B>(first: () => A, second: () => Promise<B>): Promise<[A, B]> {
  const errors: { field: string; message: string }[] = [];
  const settle = async <T>(fn: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ServiceError) || error.kind !== 'invalid') throw error;
      errors.push({ field: error.extra.field ?? '(root)', message: error.message });
      return undefined;
    }
  };
  const a = await settle(first);
  const b = await settle(second);
  if (errors.length > 0) throw new ServiceError('invalid', errors.map((e) => e.message).join(' '), { field: errors[0]!.field, data: { errors } });
  return [a as A, b as B];
}

/** The cover path as it is now, locked on PostgreSQL until the transaction ends (SQLite transactions are already exclusive). */
async function lockedCoverPath(services: Services, trx: Trx, actor: Actor, articleId: string): Promise<string | null> {
  let q = trx.selectFrom('article').select('cover_image_path').where('id', '=', articleId).where('clinic_id', '=', actor.clinicId);
  if (services.store.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  // Deleted while the picture was being resized.
  if (!row) throw notFound('article');
  return row.cover_image_path;
}

/**
 * Sets (or replaces) an article's cover image with its alt text, or — without an image — changes
 * the alt text of the current one.
 */
export async function setArticleCover(services: Services, actor: Actor, articleId: string, input: CoverInput): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const before = await articleCover(services, actor, articleId);
  const { store } = services;
  const image = input.image;

  if (!image) {
    const [alt] = await checked(() => checkAlt(input.alt), async () => {
      if (!before.path) throw invalid('image', 'This article has no cover image yet: choose a picture to upload.');
    });
    if (alt !== before.alt) {
      await inTransaction(store, async (trx) => {
        await trx.updateTable('article').set({ cover_image_alt: alt, updated_at: nowIso() }).where('id', '=', articleId).where('clinic_id', '=', actor.clinicId).execute();
        await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: articleId, detail: { fields: ['coverImageAlt'] } });
      });
    }
    return getArticle(services, actor, articleId);
  }

  const baseName = `${articleId}-${randomBytes(8).toString('hex')}`;
  const [alt, { renditions, largestWidth }] = await checked(() => checkAlt(input.alt), () => renditionsOf(image, baseName));
  const dir = path.join(services.config.dataDir, COVER_DIR);
  const storedPath = coverStoredPath(baseName, largestWidth);
  const written: string[] = [];
  let previous: string | null;
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const r of renditions) {
      const file = path.join(dir, r.fileName);
      // 'wx': never overwrite; the random part makes a clash a bug worth failing on.
      await fs.writeFile(file, r.data, { flag: 'wx' });
      written.push(file);
    }
    previous = await inTransaction(store, async (trx) => {
      const old = await lockedCoverPath(services, trx, actor, articleId);
      await trx.updateTable('article').set({ cover_image_path: storedPath, cover_image_alt: alt, updated_at: nowIso() })
        .where('id', '=', articleId).where('clinic_id', '=', actor.clinicId).execute();
      await recordAudit(trx, store.dialect, subjectOf(actor), {
        action: 'update', entityType: 'article', entityId: articleId,
        detail: { fields: ['coverImage'], coverImage: storedPath, renditions: renditions.length, uploadedBytes: image.length },
      });
      return old;
    });
  } catch (error) {
    await Promise.all(written.map((file) => fs.rm(file, { force: true })));
    throw error;
  }
  await deleteCoverFiles(services.config.dataDir, previous);
  return getArticle(services, actor, articleId);
}

/** Takes the cover image off an article and deletes its files. */
export async function removeArticleCover(services: Services, actor: Actor, articleId: string): Promise<ArticleView> {
  assertCan(actor, 'article:write');
  const { store } = services;
  const previous = await inTransaction(store, async (trx) => {
    const old = await lockedCoverPath(services, trx, actor, articleId);
    if (!old) return null;
    await trx.updateTable('article').set({ cover_image_path: null, cover_image_alt: null, updated_at: nowIso() }).where('id', '=', articleId).where('clinic_id', '=', actor.clinicId).execute();
    await recordAudit(trx, store.dialect, subjectOf(actor), { action: 'update', entityType: 'article', entityId: articleId, detail: { fields: ['coverImage'], coverImage: null } });
    return old;
  });
  await deleteCoverFiles(services.config.dataDir, previous);
  return getArticle(services, actor, articleId);
}
