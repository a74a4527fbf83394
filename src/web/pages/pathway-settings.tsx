import { Link } from 'react-router';
import { useState, type FormEvent } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ArticlePreview } from '../components/article-preview.js';
import { DataTable } from '../components/data-table.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FieldInfo, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import {
  ESCALATION_LABELS, INSTRUCTION_TEXT_MAX, SETTING_FIELDS, defaultOf, draftOf, labelled, parseSettingNumber, settingsBody, type SettingField, type SettingsDraft,
} from '../pathway-settings-form.js';
import type { PathwaySettingsView, TemplateView } from '../pathway-types.js';
import { ESCALATABLE_CODES } from '../../science/contraindications.js';
import { useSession } from '../session.js';
import '../education.css';
import '../pathway.css';

type ConsentKind = TemplateView['kind'];

const KINDS: { kind: ConsentKind; title: string; intro: string }[] = [
  { kind: 'procedure', title: 'Procedure consent', intro: 'Risks, benefits and alternatives of the injection. Every patient signs the current version before the draw.' },
  { kind: 'registry', title: 'Research registry consent', intro: 'Optional: may the patient’s data enter research exports? Patients can withdraw it at any time.' },
];

/**
 * The clinic's pathway settings (`/app/pathway-settings`): its consent texts (versioned; a change
 * is a new version and signed copies keep theirs), the contraindication engine's wash-outs and
 * thresholds beside Autolog's defaults, the product time limit and the clinic's own lines in the
 * patient instructions. Administrators change them; clinicians and coordinators read them.
 */
export function PathwaySettingsPage() {
  useTitle('Pathway settings');
  const { can } = useSession();
  const templates = useLoad((signal) => api.get<TemplateView[]>('/consent-templates', undefined, signal), []);
  const settings = useLoad((signal) => api.get<PathwaySettingsView>('/pathway-settings', undefined, signal), []);
  return (
    <>
      <PageHeader title="Pathway settings" eyebrow={<Link to="/clinic">Clinic</Link>} />
      {!can('clinic:manage') && <p className="page-subtitle">Only an administrator can change these settings; they are shown here for reference.</p>}
      <div className="settings-layout pathway-settings">
        {templates.error && <LoadError problem={templates.error} onRetry={templates.reload} />}
        {!templates.data && !templates.error && <Loading label="Loading the consent texts…" />}
        {templates.data && KINDS.map((k) => (
          <ConsentTextPanel key={k.kind} {...k} versions={templates.data!.filter((t) => t.kind === k.kind)} onPublished={templates.reload} />
        ))}
        {settings.error && <LoadError problem={settings.error} onRetry={settings.reload} />}
        {!settings.data && !settings.error && <Loading label="Loading the settings…" />}
        {settings.data && <SettingsForm view={settings.data} onSaved={settings.set} />}
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Consent texts

function ConsentTextPanel({ kind, title, intro, versions, onPublished }: { kind: ConsentKind; title: string; intro: string; versions: TemplateView[]; onPublished: () => void }) {
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const [published, setPublished] = useState<string | undefined>(undefined);
  const current = versions.find((t) => t.current);
  const earlier = versions.filter((t) => !t.current);
  const titleId = `consent-text-${kind}-title`;
  return (
    <section className="panel" id={`consent-text-${kind}`} aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId} className="panel-title">{title} {current && <Badge tone="accent">Version {current.version}</Badge>}</h2>
        {can('consent-template:manage') && !editing && (
          <button type="button" className="button button-small" onClick={() => { setEditing(true); setPublished(undefined); }}>
            New version<span className="visually-hidden"> of the {title.toLowerCase()}</span>
          </button>
        )}
      </div>
      <div className="panel-body">
        <p className="muted small">{intro}</p>
        {published && <Notice kind="success">{published}</Notice>}
        {editing && (
          <TemplateEditor kind={kind} title={title} current={current} onDone={(saved) => {
            setEditing(false);
            if (saved) {
              setPublished(`Version ${saved.version} is published: patients sign it from now on. Signed copies of earlier versions are kept unchanged.`);
              onPublished();
            }
          }} />
        )}
        {!editing && (current
          ? (
            <>
              <p className="small muted">Current: version {current.version}{current.createdBy ? `, by ${current.createdBy.displayName}` : ''}, {formatInstant(current.createdAt)}.</p>
              {/* Scrolls when long: focusable, so a keyboard can scroll it (WCAG 2.1.1). */}
              <article className="consent-text" aria-label={`${title}, version ${current.version}`} tabIndex={0}>
                <h3>{current.title}</h3>
                {/* Rendered from Markdown and sanitised by the server (the article policy). */}
                <div dangerouslySetInnerHTML={{ __html: current.bodyHtml }} />
              </article>
            </>
          )
          : <p className="muted">No text yet: patients cannot sign this consent until the clinic writes one.</p>)}
        {earlier.length > 0 && <h3 className="subsection-title">Earlier versions</h3>}
        {earlier.length > 0 && (
          <DataTable<TemplateView>
            caption={`Earlier versions of the ${title.toLowerCase()}`}
            captionHidden
            rows={earlier}
            rowKey={(t) => t.id}
            empty=""
            columns={[
              { header: 'Version', cell: (t) => `Version ${t.version}`, rowHeader: true },
              { header: 'Title', cell: (t) => t.title },
              { header: 'By', cell: (t) => t.createdBy?.displayName ?? '—' },
              { header: 'Published', cell: (t) => formatInstant(t.createdAt) },
            ]}
          />
        )}
      </div>
    </section>
  );
}

const TEMPLATE_FIELDS: Record<string, FieldInfo> = { title: { label: 'Title' }, bodyMarkdown: { label: 'Text' }, kind: { label: 'Kind' } };

function TemplateEditor({ kind, title: kindTitle, current, onDone }: { kind: ConsentKind; title: string; current: TemplateView | undefined; onDone: (saved: TemplateView | undefined) => void }) {
  const { can } = useSession();
  const [title, setTitle] = useState(current?.title ?? '');
  const [markdown, setMarkdown] = useState(current?.bodyMarkdown ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const fieldId = (f: string) => `template-${kind}-${f}`;
  const next = (current?.version ?? 0) + 1;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await api.post<TemplateView>('/consent-templates', { kind, title: title.trim(), bodyMarkdown: markdown });
      announce(`${kindTitle} version ${saved.version} published.`);
      onDone(saved);
    } catch (error) {
      setErrors(formErrorsOf(problemOf(error), TEMPLATE_FIELDS));
      setBusy(false);
    }
  }

  return (
    <form className="form template-editor" onSubmit={submit} noValidate aria-label={`New version of the ${kindTitle.toLowerCase()}`}>
      <ErrorSummary errors={errors} fieldId={fieldId} title="The new version was not published" />
      <TextField id={fieldId('title')} label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.fields.title} maxLength={200} autoComplete="off" />
      <div className="template-editor-columns">
        <TextAreaField id={fieldId('bodyMarkdown')} label="Text (Markdown)" rows={16} value={markdown} onChange={(e) => setMarkdown(e.target.value)} error={errors.fields.bodyMarkdown}
          hint="Headings with ##, lists with -, emphasis with **bold**. Explain the risks, the benefits and the alternatives." className="template-editor-text" />
        {can('article:write') && <ArticlePreview title={title} markdown={markdown} references={[]} />}
      </div>
      <p className="small muted">
        {current ? `Publishing makes this version ${next}: patients sign it from now on, and every consent already signed keeps the version ${current.version} text it was signed on.` : 'Publishing makes this version 1.'}
      </p>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Publishing…' : `Publish version ${next}`}</button>
        <button type="button" className="button button-quiet" onClick={() => onDone(undefined)}>Cancel</button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Wash-outs, thresholds, product time limit, instruction texts

const fieldId = (f: string) => `setting-${f}`;
const SETTINGS_FIELDS: Record<string, FieldInfo> = {
  ...Object.fromEntries(SETTING_FIELDS.map((f) => [f.key, { label: f.label }])),
  instructionsBeforeText: { label: 'Before the procedure' },
  instructionsAfterText: { label: 'After the procedure' },
  escalateToAbsolute: { label: 'Treated as absolute' },
};
const unitText = (value: number, unit: string) => (unit === 'days' || unit === 'hours' ? `${value} ${value === 1 ? unit.slice(0, -1) : unit}` : `${value} ${unit}`);

function SettingsForm({ view, onSaved }: { view: PathwaySettingsView; onSaved: (view: PathwaySettingsView) => void }) {
  const { can } = useSession();
  const writable = can('clinic:manage');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(view));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (key: Exclude<keyof SettingsDraft, 'escalateToAbsolute'>, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(undefined);
    const result = settingsBody(draft, view);
    if ('errors' in result) return setErrors(result.errors);
    if (Object.keys(result.body).length === 0) {
      setErrors(NO_ERRORS);
      return setSaved('Nothing changed.');
    }
    setBusy(true);
    try {
      const next = await api.put<PathwaySettingsView>('/pathway-settings', result.body);
      setErrors(NO_ERRORS);
      setDraft(draftOf(next));
      setSaved('The settings are saved. They apply to assessments, instructions and bedside checks from now on; decisions already signed keep what they were signed on.');
      announce('Pathway settings saved.');
      onSaved(next);
    } catch (error) {
      setErrors(labelled(formErrorsOf(problemOf(error), SETTINGS_FIELDS)));
    } finally {
      setBusy(false);
    }
  }

  const row = (f: SettingField) => <SettingRow key={f.key} field={f} view={view} value={draft[f.key]} error={errors.fields[f.key]} writable={writable} onChange={(v) => set(f.key, v)} />;
  return (
    <form className="form pathway-settings-form" onSubmit={submit} noValidate aria-label="Pathway settings">
      <ErrorSummary errors={errors} fieldId={fieldId} title="The settings were not saved" />
      {saved && <Notice kind="success">{saved}</Notice>}
      {view.updatedAt && <p className="small muted">Last changed {formatInstant(view.updatedAt)}. Only values that differ from Autolog’s defaults are stored.</p>}
      <fieldset className="fieldset-plain" disabled={!writable}>
        <section className="panel panel-padded" aria-labelledby="washouts-title">
          <h2 id="washouts-title" className="panel-title">Contraindications: wash-outs</h2>
          <p className="small muted">Used by the contraindication engine on every assessment and to date the patient instructions.</p>
          <div className="setting-rows">{SETTING_FIELDS.filter((f) => f.group === 'washout').map(row)}</div>
        </section>
        <section className="panel panel-padded" aria-labelledby="thresholds-title">
          <h2 id="thresholds-title" className="panel-title">Contraindications: blood count thresholds</h2>
          <div className="setting-rows">{SETTING_FIELDS.filter((f) => f.group === 'threshold').map(row)}</div>
        </section>
        <section className="panel panel-padded" aria-labelledby="escalate-title">
          <h2 id="escalate-title" className="panel-title">Contraindications: treated as absolute</h2>
          <p className="small muted">
            Ticked findings block the eligible decision, as the absolute ones do, unless a clinician overrides them for one patient with a
            written reason. Unticked, they are warnings the clinician must acknowledge. No setting can relax an absolute contraindication.
          </p>
          <fieldset className="fieldset-plain" id={fieldId('escalateToAbsolute')} tabIndex={-1}>
            <legend className="visually-hidden">Relative findings treated as absolute</legend>
            <div className="choice-list">
            {ESCALATABLE_CODES.map((code) => (
              <label key={code} className="choice">
                <input type="checkbox" checked={draft.escalateToAbsolute.includes(code)}
                  onChange={(e) => setDraft((d) => ({ ...d, escalateToAbsolute: e.target.checked ? [...d.escalateToAbsolute, code] : d.escalateToAbsolute.filter((c) => c !== code) }))} />
                {' '}{ESCALATION_LABELS[code]}
              </label>
            ))}
            </div>
          </fieldset>
          {errors.fields.escalateToAbsolute && <p className="field-error">{errors.fields.escalateToAbsolute}</p>}
        </section>
        <section className="panel panel-padded" aria-labelledby="product-title">
          <h2 id="product-title" className="panel-title">Product time limit</h2>
          <div className="setting-rows">{SETTING_FIELDS.filter((f) => f.group === 'product').map(row)}</div>
        </section>
        <section className="panel panel-padded" aria-labelledby="texts-title">
          <h2 id="texts-title" className="panel-title">Instruction texts</h2>
          <p className="small muted">The clinic’s own lines, added to the dated pre- and post-procedure instructions in the email and on the print.</p>
          <div className="form-grid">
            <TextAreaField id={fieldId('instructionsBeforeText')} label="Before the procedure" optional rows={4} maxLength={INSTRUCTION_TEXT_MAX} value={draft.instructionsBeforeText}
              onChange={(e) => set('instructionsBeforeText', e.target.value)} error={errors.fields.instructionsBeforeText}
              hint={`E.g. “Eat a light breakfast and drink plenty of water.” At most ${INSTRUCTION_TEXT_MAX} characters.`} />
            <TextAreaField id={fieldId('instructionsAfterText')} label="After the procedure" optional rows={4} maxLength={INSTRUCTION_TEXT_MAX} value={draft.instructionsAfterText}
              onChange={(e) => set('instructionsAfterText', e.target.value)} error={errors.fields.instructionsAfterText}
              hint={`E.g. “Call the clinic on 020 7946 0000 if you have a fever or the pain gets much worse.” At most ${INSTRUCTION_TEXT_MAX} characters.`} />
          </div>
        </section>
      </fieldset>
      {writable && (
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
        </div>
      )}
    </form>
  );
}

function SettingRow({ field: f, view, value, error, writable, onChange }: { field: SettingField; view: PathwaySettingsView; value: string; error: string | undefined; writable: boolean; onChange: (value: string) => void }) {
  const fallback = defaultOf(view, f.key);
  const source = view.sources[f.key] as { source: string; verified: boolean } | undefined;
  const isDefault = parseSettingNumber(value) === fallback;
  return (
    <div className="setting-row">
      <TextField id={fieldId(f.key)} label={<>{f.label} <span className="muted">({f.unit})</span></>} value={value} onChange={(e) => onChange(e.target.value)} error={error}
        inputMode={f.whole ? 'numeric' : 'decimal'} autoComplete="off" inputClassName="input-number" hint={f.hint} />
      <div className="setting-default">
        <span>Default: <strong>{unitText(fallback, f.unit)}</strong>{isDefault && <> <Badge tone="success">in use</Badge></>}</span>
        {writable && !isDefault && (
          <button type="button" className="button button-small button-quiet" aria-label={`Reset to default: ${f.label}`} onClick={() => onChange(String(fallback))}>
            Reset to default
          </button>
        )}
        {source && (
          <span className="small muted setting-source">
            Source: {source.source}{!source.verified && <> <Badge tone="warning">not checked against the source</Badge></>}
          </span>
        )}
      </div>
    </div>
  );
}
