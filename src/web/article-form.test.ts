import { describe, expect, it } from 'vitest';
import { articleBody, isDirty, parseTags, valuesOf } from './article-form.js';
import { toLocalInput as isoToLocalInput, fromLocalInput as localInputToIso } from './format.js';
import type { ArticleView } from './education-types.js';

const ME = '0190aaaa-0000-7000-8000-000000000001';
const article: ArticleView = {
  id: 'a1', slug: 'prp-disc', title: 'PRP and the disc', summary: 'What we know.', bodyMarkdown: 'Text [^1].', status: 'draft', publishAt: null,
  author: { id: ME, displayName: 'Dr A' }, reviewer: null, lastReviewedOn: null, indication: null,
  tags: [{ tag: 'disc-pain', label: 'Disc pain' }, { tag: 'evidence', label: 'Evidence' }],
  references: [{ position: 1, doi: '10.1016/j.pmrj.2015.08.010', pmid: null, citation: 'Tuakli-Wosornu 2016' }],
  cover: null, revision: 3, url: 'http://x/articles/prp-disc', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z',
};

describe('article form', () => {
  it('splits tags on commas and drops empty ones', () => {
    expect(parseTags(' Disc pain, evidence,, ')).toEqual(['Disc pain', 'evidence']);
    expect(parseTags('')).toEqual([]);
  });

  it('leaves empty optional fields out of a new article', () => {
    const values = { ...valuesOf(undefined, ME), title: ' New ', summary: 'S', bodyMarkdown: 'B' };
    expect(articleBody(values)).toEqual({ title: 'New', summary: 'S', bodyMarkdown: 'B', tags: [], references: [], authorId: ME });
  });

  it('sends every field of an edit, null for emptied ones, with the revision it started from', () => {
    const values = { ...valuesOf(article, ME), reviewerId: '', references: [{ key: 'k', doi: ' ', pmid: '27989008 ', citation: ' Wu 2017 ' }] };
    expect(articleBody(values, 3)).toMatchObject({
      slug: 'prp-disc', revision: 3, reviewerId: null, lastReviewedOn: null, indication: null, tags: ['Disc pain', 'Evidence'],
      references: [{ doi: null, pmid: '27989008', citation: 'Wu 2017' }],
    });
  });

  it('knows when the form differs from the saved article', () => {
    const values = valuesOf(article, ME);
    expect(isDirty(values, article, ME)).toBe(false);
    expect(isDirty({ ...values, tags: 'Disc pain,Evidence' }, article, ME)).toBe(false);
    expect(isDirty({ ...values, title: 'Changed' }, article, ME)).toBe(true);
    expect(isDirty(valuesOf(undefined, ME), undefined, ME)).toBe(false);
  });

  it('converts between datetime-local values and instants in the browser zone', () => {
    const iso = localInputToIso('2030-05-06T07:08');
    expect(iso).toMatch(/^2030-05-0\dT\d\d:08:00\.000Z$/);
    expect(isoToLocalInput(iso!)).toBe('2030-05-06T07:08');
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('not a date')).toBeUndefined();
  });
});
