import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PrintDocument, a4SheetCss, printDate, printDateTime } from './print-sheet.js';

describe('the shared print sheet', () => {
  it('puts a page\'s overrides after the shared rules and before the print rules', () => {
    const css = a4SheetCss('.sheet{padding:11mm 12mm}', 10);
    const shared = css.indexOf('.sheet{width:210mm');
    const override = css.indexOf('.sheet{padding:11mm 12mm}');
    const print = css.indexOf('@media print');
    expect(shared).toBeGreaterThanOrEqual(0);
    expect(override).toBeGreaterThan(shared);
    // Printing still removes the sheet's padding, margin and shadow: the later rule wins.
    expect(print).toBeGreaterThan(override);
    expect(css.slice(print)).toContain('.sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}');
    expect(css).toContain('@page{size:A4;margin:10mm}');
    expect(a4SheetCss()).toContain('@page{size:A4;margin:12mm}');
  });

  it('renders a complete document that asks for nothing beyond itself', () => {
    const html = renderToStaticMarkup(<PrintDocument title="Label A1 — DOE, Jane" css="body{color:red}"><p>x</p></PrintDocument>);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Label A1 — DOE, Jane</title>');
    expect(html).toContain('<style>body{color:red}</style>');
    expect(html).toContain('<link rel="icon" href="data:,"/>');
    expect(html).not.toMatch(/<script|<link rel="stylesheet"/);
  });

  it('formats dates for paper, in the clinic\'s time zone', () => {
    expect(printDate('2026-03-12')).toBe('12 Mar 2026');
    expect(printDateTime('2026-03-12T23:30:00.000Z', 'Australia/Sydney')).toBe('13 Mar 2026, 10:30');
    expect(printDateTime(null, 'UTC')).toBe('—');
  });
});
