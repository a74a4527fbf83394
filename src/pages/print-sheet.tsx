import type { ReactNode } from 'react';

/**
 * What every printed page shares (the preparation report, the signed consent, the instructions,
 * the specimen label): the document head, the date formats, and the print stylesheet — a grey
 * desk with the paper on it on screen, the bare paper when printed.
 */

const FONT = '"Liberation Sans",Arial,Helvetica,sans-serif';
export const MONO_FONT = '"DejaVu Sans Mono","Liberation Mono",monospace';

/** The desk and the paper's font: every printed page starts with this. */
export const PAPER_CSS = `
*{box-sizing:border-box}
html{background:#e9ecef}
body{margin:0;font:10pt/1.45 ${FONT};color:#111}
`;

/**
 * An A4 sheet: header (clinic, title, meta), the patient block, section headings, field labels,
 * footer. `overrides` come after the shared rules and before the print rules, so they can change
 * any shared rule on screen without undoing what printing removes (the sheet's margin, padding
 * and shadow).
 */
export function a4SheetCss(overrides = '', pageMarginMm = 12): string {
  return `${PAPER_CSS}.sheet{width:210mm;min-height:297mm;margin:8mm auto;padding:14mm 16mm;background:#fff;box-shadow:0 1px 6px rgba(0,0,0,.25)}
header{display:flex;justify-content:space-between;align-items:flex-end;border-bottom:2px solid #111;padding-bottom:2mm;margin-bottom:4mm}
header h1{font-size:15pt;margin:0}
header .clinic{font-weight:bold;font-size:10.5pt}
header .meta{text-align:right;font-size:8pt;color:#444}
.patient{display:grid;grid-template-columns:2fr 1fr 1fr;gap:1mm 4mm;border:1.5px solid #111;padding:2mm 3mm;margin-bottom:4mm}
.patient .name{font-size:12pt;font-weight:bold}
.label{display:block;font-size:7pt;text-transform:uppercase;letter-spacing:.04em;color:#555}
h2{font-size:10pt;text-transform:uppercase;letter-spacing:.05em;margin:5mm 0 1.5mm;padding-bottom:.6mm;border-bottom:1px solid #999}
.muted{color:#555}
footer{margin-top:6mm;font-size:7.5pt;color:#555;display:flex;justify-content:space-between;gap:4mm}
${overrides.trim()}
@page{size:A4;margin:${pageMarginMm}mm}
@media print{html{background:#fff}.sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}}
`;
}

export function PrintDocument({ title, css, children }: { title: string; css: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {/* No favicon request: the page must not trigger anything beyond itself. */}
        <link rel="icon" href="data:," />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>{children}</body>
    </html>
  );
}

/** An instant in the clinic's time zone: "12 Mar 2026, 09:30". */
export function printDateTime(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A calendar date: "12 Mar 2026". */
export function printDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
