import { useState } from 'react';
import { announce } from '../announce.js';
import { newReferenceKey, type ReferenceDraft } from '../article-form.js';
import { marker, moveReference, removeReference, timesCited } from '../references.js';
import { Notice } from './error-summary.js';
import { TextAreaField, TextField } from './field.js';

interface Props {
  references: ReferenceDraft[];
  text: string;
  errors: Record<string, string>;
  /** New references and (after a move or removal) the renumbered text. */
  onChange: (references: ReferenceDraft[], text: string) => void;
  /** Puts reference n's marker at the caret in the text. */
  onCite: (position: number) => void;
  fieldId: (field: string) => string;
}

/**
 * The article's numbered references. Each has a DOI or PubMed id (either, both or neither) and
 * the citation as it should read. Moving or removing a reference renumbers the `[^n]` markers in
 * the text so that every citation keeps pointing at the same study.
 */
export function ArticleReferences({ references, text, errors, onChange, onCite, fieldId }: Props) {
  const [refused, setRefused] = useState<string | undefined>(undefined);
  const set = (index: number, key: 'doi' | 'pmid' | 'citation', value: string) =>
    onChange(references.map((r, i) => (i === index ? { ...r, [key]: value } : r)), text);

  function move(from: number, to: number) {
    const next = moveReference(text, references, from, to);
    setRefused(undefined);
    onChange(next.refs, next.text);
    announce(`Reference ${from + 1} is now reference ${to + 1}; markers in the text are renumbered.`);
    // Keep the keyboard on the moved row.
    requestAnimationFrame(() => document.getElementById(`${fieldId(`references.${to}.citation`)}`)?.focus());
  }

  function remove(index: number) {
    const next = removeReference(text, references, index);
    if ('cited' in next) {
      setRefused(`Reference ${index + 1} is cited ${next.cited === 1 ? 'once' : `${next.cited} times`} in the text (${marker(index + 1)}). Take those markers out of the text first.`);
      return;
    }
    setRefused(undefined);
    onChange(next.refs, next.text);
    announce(`Reference ${index + 1} removed.`);
  }

  return (
    <div className="references">
      {refused && <Notice kind="warning">{refused}</Notice>}
      {references.length === 0 && <p className="muted">No references yet. Add the studies the article relies on; cite them in the text with [^1], [^2]…</p>}
      <ol className="reference-list">
        {references.map((r, i) => {
          const n = i + 1;
          const uses = timesCited(text, n);
          return (
            <li key={r.key} className="reference-row">
              <span className="reference-number" aria-hidden="true">{n}</span>
              <fieldset className="reference-fields">
                <legend className="visually-hidden">Reference {n}</legend>
                <TextAreaField
                  id={fieldId(`references.${i}.citation`)} label={`Citation ${n}`} value={r.citation} onChange={(e) => set(i, 'citation', e.target.value)}
                  error={errors[`references.${i}.citation`]} className="reference-citation" maxLength={1000} rows={3}
                  hint={uses === 0 ? 'Not cited in the text yet.' : `Cited ${uses === 1 ? 'once' : `${uses} times`} as ${marker(n)}.`}
                />
                <TextField
                  id={fieldId(`references.${i}.doi`)} label="DOI" value={r.doi} onChange={(e) => set(i, 'doi', e.target.value)} error={errors[`references.${i}.doi`]}
                  optional placeholder="10.1016/…" spellCheck={false} autoComplete="off" inputClassName="mono" maxLength={200}
                />
                <TextField
                  id={fieldId(`references.${i}.pmid`)} label="PMID" value={r.pmid} onChange={(e) => set(i, 'pmid', e.target.value)} error={errors[`references.${i}.pmid`]}
                  optional inputMode="numeric" spellCheck={false} autoComplete="off" inputClassName="mono" maxLength={9}
                />
              </fieldset>
              <div className="reference-actions">
                <button type="button" className="button button-small" onClick={() => onCite(n)} aria-label={`Cite reference ${n} in the text`}>Cite</button>
                <button type="button" className="button button-small button-quiet" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move reference ${n} up`}>Up</button>
                <button type="button" className="button button-small button-quiet" disabled={i === references.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move reference ${n} down`}>Down</button>
                <button type="button" className="button button-small button-quiet" onClick={() => remove(i)} aria-label={`Remove reference ${n}`}>Remove</button>
              </div>
            </li>
          );
        })}
      </ol>
      <button
        type="button" className="button button-small"
        onClick={() => {
          onChange([...references, { key: newReferenceKey(), doi: '', pmid: '', citation: '' }], text);
          requestAnimationFrame(() => document.getElementById(fieldId(`references.${references.length}.citation`))?.focus());
        }}
      >
        Add reference
      </button>
    </div>
  );
}
