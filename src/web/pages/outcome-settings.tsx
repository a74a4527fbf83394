import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { ResponderRule } from '../../science/responder.js';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { ErrorSummary, Notice } from '../components/error-summary.js';
import { SelectField, TextAreaField, TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Badge, LoadError, Loading } from '../components/status.js';
import { formatInstant } from '../format.js';
import { NO_ERRORS, formErrorsOf, problemOf, type FormErrors } from '../forms.js';
import { useLoad, useTitle } from '../hooks.js';
import { parseReminderDays, presetIdOf, responderChoices } from '../outcome-format.js';
import type { InstrumentView, OutcomeSettings } from '../outcome-types.js';
import { useSession } from '../session.js';
import '../outcomes.css';

/** Instruments that can carry a responder rule (outcomes, not the baseline-only STarT Back). */
const RULE_INSTRUMENTS = ['nrs-back', 'nrs-leg', 'odi', 'peg', 'pgic'] as const;
/** The select's value for "the rule the clinic has now", when it is none of the choices. */
const CURRENT = 'current';

/** Outcome administration (`/app/outcome-settings`): instruments and licences, the ODI import, and the clinic's outcome settings. */
export function OutcomeSettingsPage() {
  useTitle('Instruments and settings');
  const instruments = useLoad((signal) => api.get<InstrumentView[]>('/instruments', undefined, signal), []);
  const settings = useLoad((signal) => api.get<OutcomeSettings>('/outcome-settings', undefined, signal), []);
  return (
    <>
      <PageHeader title="Instruments and settings" eyebrow={<Link to="/outcomes">Outcomes</Link>} />
      {settings.error && <LoadError problem={settings.error} onRetry={settings.reload} />}
      {instruments.error && <LoadError problem={instruments.error} onRetry={instruments.reload} />}
      {(!settings.data || !instruments.data) && !settings.error && !instruments.error && <Loading />}
      {settings.data && instruments.data && (
        <div className="settings-layout">
          <SettingsForm settings={settings.data} titles={Object.fromEntries(instruments.data.map((i) => [i.code, i.title]))} onSaved={settings.set} />
          <Instruments list={instruments.data} onImported={instruments.reload} />
        </div>
      )}
    </>
  );
}

const SETTINGS_FIELDS: Record<string, { label: string }> = {
  contactText: { label: 'Contact line' }, reminderDays: { label: 'Reminder days' }, responderRules: { label: 'Responder rules' },
  ...Object.fromEntries(RULE_INSTRUMENTS.map((code) => [`responderRules.${code}`, { label: `Responder rule for ${code}` }])),
};

/** Per instrument: the id of the matching choice, CURRENT for a custom rule, '' for none. */
function choicesOf(rules: Readonly<Record<string, ResponderRule>>): Record<string, string> {
  return Object.fromEntries(RULE_INSTRUMENTS.map((code) => {
    const rule = rules[code];
    return [code, rule ? (presetIdOf(rule, responderChoices(code)) ?? CURRENT) : ''];
  }));
}

function SettingsForm({ settings: s, titles, onSaved }: { settings: OutcomeSettings; titles: Record<string, string>; onSaved: (s: OutcomeSettings) => void }) {
  const { can } = useSession();
  const writable = can('clinic:manage');
  const [contact, setContact] = useState(s.contactText ?? '');
  const [days, setDays] = useState(s.reminderDays.join(', '));
  const current = choicesOf(s.responderRules);
  const [picked, setPicked] = useState(current);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(undefined);
    const parsed = parseReminderDays(days);
    if ('error' in parsed) {
      setErrors({ fields: { reminderDays: parsed.error }, general: undefined });
      return;
    }
    const body: Record<string, unknown> = { contactText: contact.trim() || null, reminderDays: parsed.days };
    if (RULE_INSTRUMENTS.some((code) => picked[code] !== current[code])) {
      const rules: Record<string, ResponderRule> = {};
      for (const code of RULE_INSTRUMENTS) {
        const choice = picked[code];
        if (choice === CURRENT && s.responderRules[code]) rules[code] = s.responderRules[code];
        else if (choice) rules[code] = responderChoices(code).find((c) => c.id === choice)!.rule;
      }
      if (Object.keys(rules).length === 0) {
        setErrors({ fields: { [`responderRules.${RULE_INSTRUMENTS[0]}`]: 'Keep a responder rule for at least one instrument.' }, general: undefined });
        return;
      }
      body.responderRules = rules;
    }
    setBusy(true);
    try {
      const next = await api.put<OutcomeSettings>('/outcome-settings', body);
      setErrors(NO_ERRORS);
      onSaved(next);
      setPicked(choicesOf(next.responderRules));
      announce('Outcome settings saved.');
      setSaved('The settings are saved. Schedules already attached keep the protocol they were made with.');
    } catch (e) {
      setErrors(formErrorsOf(problemOf(e), SETTINGS_FIELDS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel panel-padded" aria-labelledby="settings-title">
      <h2 id="settings-title" className="panel-title">Follow-up settings</h2>
      {saved && <Notice kind="success">{saved}</Notice>}
      <form className="form" onSubmit={submit} noValidate aria-label="Outcome settings">
        <ErrorSummary errors={errors} fieldId={(f) => `settings-${f}`} title="The settings were not saved" />
        <fieldset className="fieldset-plain" disabled={!writable}>
          <div className="form-grid">
            <TextAreaField id="settings-contactText" label="Contact line for patients" optional rows={2} maxLength={500} value={contact} onChange={(e) => setContact(e.target.value)} error={errors.fields.contactText}
              hint="Shown on the survey pages and in emails, e.g. “Questions? Call the clinic on 020 7946 0000, Monday to Friday.”" />
            <TextField id="settings-reminderDays" label="Reminder days" value={days} onChange={(e) => setDays(e.target.value)} error={errors.fields.reminderDays} inputMode="numeric" autoComplete="off"
              hint="Days after the invitation when a reminder is emailed, increasing (up to 5). After the last one the patient joins the phone worklist." />
          </div>
          <fieldset className="fieldset-plain responder-rules-form">
            <legend className="subsection-title">Responder rules</legend>
            <p className="small muted">One responder figure per instrument with a rule, the rule printed beside it. Autolog’s defaults follow Ostelo 2008: NRS 2 points, ODI 10 points, or 30 % from baseline.</p>
            <div className="form-grid">
              {RULE_INSTRUMENTS.map((code) => {
                const choices = responderChoices(code);
                const chosen = choices.find((c) => c.id === picked[code]);
                const currentText = s.responderRuleList.find((e) => e.instrument === code)?.text;
                return (
                  <SelectField key={code} id={`settings-responderRules.${code}`} label={titles[code] ?? code} value={picked[code] ?? ''} onChange={(e) => setPicked({ ...picked, [code]: e.target.value })}
                    error={errors.fields[`responderRules.${code}`]}
                    hint={chosen ? <>Source: {chosen.source}{chosen.unverified && <> <Badge tone="warning">threshold not checked against the paper</Badge></>}</> : picked[code] === CURRENT ? <>Current: {currentText}</> : <>No responder figure for this instrument.</>}>
                    <option value="">No responder figure</option>
                    {current[code] === CURRENT && <option value={CURRENT}>Current rule (custom): {currentText}</option>}
                    {choices.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
                  </SelectField>
                );
              })}
            </div>
          </fieldset>
        </fieldset>
        <dl className="details details-compact settings-facts">
          <div className="details-row"><dt>Time points</dt><dd>{s.protocol.timePoints.map((t) => t.label).join(' · ')}</dd></div>
          <div className="details-row"><dt>At baseline</dt><dd>{s.baselineInstruments.map((c) => titles[c] ?? c).join(', ')}</dd></div>
          <div className="details-row"><dt>At follow-up</dt><dd>{s.followUpInstruments.map((c) => titles[c] ?? c).join(', ')}</dd></div>
          <div className="details-row"><dt>Last changed</dt><dd>{s.updatedAt ? formatInstant(s.updatedAt) : 'Autolog’s defaults'}</dd></div>
        </dl>
        {writable ? (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
          </div>
        ) : <p className="small muted">Only an administrator can change these settings.</p>}
      </form>
    </section>
  );
}

function Instruments({ list, onImported }: { list: InstrumentView[]; onImported: () => void }) {
  const { can } = useSession();
  return (
    <section className="panel" aria-labelledby="instruments-title">
      <div className="panel-header">
        <h2 id="instruments-title" className="panel-title">Instruments <span className="count">{list.length}</span></h2>
      </div>
      <ul className="instrument-list">
        {list.map((i) => (
          <li key={i.code} className="instrument">
            <div className="instrument-head">
              <strong>{i.title}</strong> <span className="mono small muted">{i.code}</span>{' '}
              {i.available ? <Badge tone="success">{i.source === 'imported' ? `Imported${i.version ? ` · ${i.version}` : ''}` : 'Built in'}</Badge> : <Badge tone="warning">Needs the clinic’s licensed copy</Badge>}
              {!i.outcome && <> <Badge>Baseline only</Badge></>}
            </div>
            <p className="small muted">{i.licence}</p>
            {i.importedAt && <p className="small muted">Imported {formatInstant(i.importedAt)}</p>}
            {can('instrument:manage') && (i.wording === 'import-required' || i.code === 'start-back') && <ImportForm instrument={i} onImported={onImported} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Reads the chosen .json file in the browser and sends it as the clinic's licensed copy. */
function ImportForm({ instrument: i, onImported }: { instrument: InstrumentView; onImported: () => void }) {
  const [file, setFile] = useState<{ name: string; json: unknown } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = `import-${i.code}`;

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    setError(undefined);
    setDone(undefined);
    const chosen = event.target.files?.[0];
    if (!chosen) return setFile(undefined);
    try {
      setFile({ name: chosen.name, json: JSON.parse(await chosen.text()) });
    } catch {
      setFile(undefined);
      setError(`${chosen.name} is not a JSON file (a FHIR Questionnaire resource is expected).`);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return setError('Choose the Questionnaire JSON file first.');
    setBusy(true);
    try {
      await api.post<InstrumentView>('/instruments', { code: i.code, questionnaire: file.json });
      setDone(`${file.name} is imported: ${i.title} is now offered to patients.`);
      announce(`${i.title} imported.`);
      onImported();
    } catch (e) {
      setError(problemOf(e).detail);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form import-form" onSubmit={submit} noValidate aria-label={`Import ${i.title}`}>
      {i.wording === 'import-required' && (
        <Notice kind="warning">The wording of this instrument is licensed: Autolog does not ship it. Import only the clinic’s own licensed copy, as a FHIR Questionnaire JSON file ({i.questions} questions).</Notice>
      )}
      <TextField id={id} label={`Questionnaire file for ${i.code}`} type="file" accept=".json,application/json,application/fhir+json" onChange={(e) => void choose(e)} error={error} />
      {done && <Notice kind="success">{done}</Notice>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy || !file}>{busy ? 'Importing…' : i.available ? 'Replace with this copy' : 'Import'}</button>
      </div>
    </form>
  );
}
