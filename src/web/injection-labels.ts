import { SIDE_LABELS as ASSESSMENT_SIDE_LABELS } from './assessment-form-state.js';

/**
 * Words for the injection record, shared by the form and the record view. The server stores the
 * needle type, antibiotic route and complication items as text; these are the choices the staff
 * app offers (anything else goes in as "other" with the clinic's own words).
 */
export const GUIDANCE_LABELS: Record<string, string> = { fluoroscopy: 'Fluoroscopy', ultrasound: 'Ultrasound', ct: 'CT', none: 'None' };
/** The assessment's words for a side, looked up by the stored text. */
export const SIDE_LABELS: Record<string, string> = ASSESSMENT_SIDE_LABELS;

/** Needle tips used for spinal PRP injections: cutting (Quincke, Chiba), pencil-point (Whitacre), epidural (Tuohy). */
export const NEEDLE_TYPES = ['Spinal (Quincke)', 'Whitacre (pencil-point)', 'Tuohy', 'Chiba'] as const;

export const ANTIBIOTIC_ROUTES = ['IV', 'Oral', 'IM', 'Intradiscal'] as const;

export const COMPLICATION_ITEMS = [
  'Vasovagal reaction', 'Bleeding or haematoma at the site', 'Severe procedural pain', 'Paraesthesia or radicular pain', 'Suspected dural puncture', 'Allergic reaction',
] as const;

/** "22 G, 150 mm, Spinal (Quincke)" */
export function needleText(n: { gauge?: number | null; lengthMm?: number | null; type?: string | null } | null | undefined): string | null {
  if (!n) return null;
  const parts = [n.gauge ? `${n.gauge} G` : null, n.lengthMm ? `${n.lengthMm} mm` : null, n.type || null].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}
