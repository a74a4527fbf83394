/**
 * The causes of back pain an episode of care is opened for, with a suggested ICD-10-CM code.
 * The clinician may record a more specific code; the suggestion only pre-fills the form.
 * Codes: ICD-10-CM tabular list, FY2025 [M] — check against the clinic's coding edition.
 */
export const INDICATIONS = [
  // M51.36- "Other intervertebral disc degeneration, lumbar region" (ICD-10-CM) [M]
  { code: 'degenerative-disc-disease', label: 'Degenerative disc disease (discogenic pain)', icd10: 'M51.36' },
  // M47.816 "Spondylosis without myelopathy or radiculopathy, lumbar region" (ICD-10-CM) [M]
  { code: 'lumbar-facet-joint-pain', label: 'Lumbar facet joint pain', icd10: 'M47.816' },
  // M53.3 "Sacrococcygeal disorders, not elsewhere classified" (ICD-10-CM) [M]
  { code: 'sacroiliac-joint-pain', label: 'Sacroiliac joint pain', icd10: 'M53.3' },
  // M54.16 "Radiculopathy, lumbar region" (ICD-10-CM) [M]
  { code: 'lumbar-radicular-pain', label: 'Lumbar radicular pain', icd10: 'M54.16' },
  { code: 'other', label: 'Other (give the ICD-10 code)', icd10: '' },
] as const;

export type IndicationCode = (typeof INDICATIONS)[number]['code'];

export const INDICATION_CODES = INDICATIONS.map((i) => i.code) as IndicationCode[];

/** ICD-10 code shape: a letter, two characters, and an optional dotted extension. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

export function suggestedIcd10(indication: IndicationCode): string {
  return INDICATIONS.find((i) => i.code === indication)?.icd10 ?? '';
}
