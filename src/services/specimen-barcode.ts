import bwipjs from 'bwip-js';

/**
 * The specimen barcode: Code 128 (ISO/IEC 15417), the symbology of blood-product and specimen
 * labels (ISBT 128 is carried in Code 128) [M], so any hospital scanner reads it. Options are
 * fixed here so every label is the same size: 3 px per module, a 10-module quiet zone each side
 * (the standard's minimum), no human-readable line (the label prints the grouped code itself).
 */
export const SPECIMEN_BARCODE_OPTIONS = {
  bcid: 'code128',
  scale: 3,
  height: 12,
  includetext: false,
  paddingwidth: 10,
  paddingheight: 2,
  backgroundcolor: 'FFFFFF',
} as const;

/** A PNG of the specimen's code (the canonical code: what a scan must return). */
export function specimenBarcodePng(code: string): Promise<Buffer> {
  return bwipjs.toBuffer({ ...SPECIMEN_BARCODE_OPTIONS, text: code });
}
