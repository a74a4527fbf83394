import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where article cover images live and how they are named, so that the upload (article-covers.ts),
 * the article presenters and the public file route agree without reading the disk.
 *
 * Every cover is cropped to one aspect ratio, 1200 × 630 (1.91:1, the size Open Graph consumers
 * such as Facebook and LinkedIn recommend for link previews), and saved at each standard width
 * the upload is large enough for, as WebP and JPEG:
 *
 *   <DATA_DIR>/media/covers/<articleId>-<random>-<width>.<webp|jpeg>
 *
 * The article row keeps the largest JPEG's path relative to the data dir
 * (`media/covers/<name>-1200.jpeg`); the other renditions follow from it. A new upload gets a new
 * random part, so a URL never changes content and can be cached for a year.
 */

export const COVER_WIDTHS = [480, 800, 1200] as const;
/** Height per width: 630/1200 (Open Graph's recommended 1.91:1). */
export const COVER_RATIO = 630 / 1200;
export const COVER_URL_PREFIX = '/media/covers/';
export const COVER_DIR = path.join('media', 'covers');

/** Only what this module writes: `<uuid>-<16 hex>-<width>.<ext>` (also the public route's allow-list). */
export const COVER_FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{16}-(\d{3,4})\.(webp|jpeg)$/;
const STORED_PATH = /^media\/covers\/([0-9a-f-]{36}-[0-9a-f]{16})-(\d{3,4})\.jpeg$/;

export function coverHeightFor(widthPx: number): number {
  return Math.round(widthPx * COVER_RATIO);
}

export interface CoverRendition {
  width: number;
  height: number;
  /** Site-relative URLs. */
  jpeg: string;
  webp: string;
}

export interface CoverImage {
  alt: string;
  /** The largest rendition's size: every rendition has this aspect ratio. */
  width: number;
  height: number;
  /** Smallest first. */
  renditions: CoverRendition[];
}

/** The stored path of a cover whose renditions go up to `largestWidth`. */
export function coverStoredPath(baseName: string, largestWidth: number): string {
  return `media/covers/${baseName}-${largestWidth}.jpeg`;
}

/** Every file name a stored cover consists of (to serve, and to delete). */
export function coverFileNames(storedPath: string | null): string[] {
  const parsed = parseStoredPath(storedPath);
  if (!parsed) return [];
  return parsed.widths.flatMap((w) => [`${parsed.base}-${w}.webp`, `${parsed.base}-${w}.jpeg`]);
}

function parseStoredPath(storedPath: string | null): { base: string; widths: number[] } | null {
  const match = storedPath ? STORED_PATH.exec(storedPath) : null;
  if (!match) return null;
  const largest = Number(match[2]);
  return { base: match[1]!, widths: COVER_WIDTHS.filter((w) => w <= largest) };
}

/** The cover as pages and the API present it, or null when there is none. */
export function coverImageOf(storedPath: string | null, alt: string | null): CoverImage | null {
  const parsed = parseStoredPath(storedPath);
  if (!parsed || parsed.widths.length === 0) return null;
  const renditions = parsed.widths.map((w) => ({
    width: w, height: coverHeightFor(w), jpeg: `${COVER_URL_PREFIX}${parsed.base}-${w}.jpeg`, webp: `${COVER_URL_PREFIX}${parsed.base}-${w}.webp`,
  }));
  const largest = renditions[renditions.length - 1]!;
  return { alt: alt ?? '', width: largest.width, height: largest.height, renditions };
}

/** Removes a cover's files; a file already gone is not an error (the row is the truth). */
export async function deleteCoverFiles(dataDir: string, storedPath: string | null): Promise<void> {
  await Promise.all(coverFileNames(storedPath).map((name) => fs.rm(path.join(dataDir, COVER_DIR, name), { force: true })));
}
