import type { ReactNode } from 'react';
import {
  PAIN_DURATIONS, PAIN_LOCATIONS, RED_FLAGS, TREATMENTS_TRIED, redFlagField, type RedFlagCode, type ScreeningAnswers, type ScreeningFieldError,
} from '../../science/index.js';
import { LEAD_LIMITS } from '../../services/leads.js';
import { Layout, type SiteContext } from '../site/layout.js';
import { SITE_CSS_PATH } from '../site/site-css.js';

/**
 * The self-screening's pages. Pure functions of their data. Plain forms, no script: the answers
 * travel from the questions to the consultation form as hidden fields, so nothing about a person
 * is kept anywhere until they ask to be contacted.
 */

export type FormValues = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function ErrorSummary({ title, errors, message }: { title: string; errors: ScreeningFieldError[]; message?: string }) {
  if (errors.length === 0 && !message) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-h">
      <h2 id="error-summary-h">{title}</h2>
      {message && <p>{message}</p>}
      {errors.length > 0 && <ul>{errors.map((e) => <li key={e.field}><a href={`#${e.field}`}>{e.message}</a></li>)}</ul>}
    </div>
  );
}

function FieldError({ errors, field }: { errors: ScreeningFieldError[]; field: string }) {
  const e = errors.find((x) => x.field === field);
  return e ? <p className="field-error" id={`${field}-error`}>{e.message}</p> : null;
}

function CheckboxGroup({ name, legend, hint, options, values, errors }: { name: string; legend: string; hint?: string; options: readonly { code: string; label: string }[]; values: FormValues; errors: ScreeningFieldError[] }) {
  const chosen = new Set(list(values[name]));
  const invalid = errors.some((e) => e.field === name);
  return (
    <fieldset id={name} aria-describedby={[hint ? `${name}-hint` : '', invalid ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined}>
      <legend>{legend}</legend>
      {hint && <span className="hint" id={`${name}-hint`}>{hint}</span>}
      <FieldError errors={errors} field={name} />
      <ul className="choices">
        {options.map((o) => (
          <li key={o.code}><label><input type="checkbox" name={name} value={o.code} defaultChecked={chosen.has(o.code)} /> {o.label}</label></li>
        ))}
      </ul>
    </fieldset>
  );
}

// ---------------------------------------------------------------- the questions

export function ScreeningPage({ site, values = {}, errors = [] }: { site: SiteContext; values?: FormValues; errors?: ScreeningFieldError[] }) {
  const duration = list(values.duration)[0];
  return (
    <Layout site={site} meta={{
      title: 'Could PRP help my back pain?', path: '/screening',
      description: 'A few questions to help you decide whether a consultation about platelet-rich plasma (PRP) for back pain is worth your time — and to check that nothing needs urgent care first.',
    }}>
      <h1>Could PRP help my back pain?</h1>
      <p className="lede">These questions take about two minutes. They cannot tell you whether PRP is right for you — only a clinician who has examined you can — but they help you decide whether a consultation is worth your time.</p>
      <p id="consultation">To ask for a consultation, answer the questions below first: the safety questions make sure nothing needs urgent care before anything else. The last page has the request form.</p>
      <p className="note">Nothing you enter here is kept unless you ask us to contact you at the end.</p>
      <ErrorSummary title="Please answer every question" errors={errors} />
      <form method="post" action="/screening">
        <h2>About your pain</h2>
        <CheckboxGroup name="painLocations" legend="Where is your pain?" hint="Choose every place that hurts." options={PAIN_LOCATIONS} values={values} errors={errors} />
        <fieldset id="duration" aria-describedby={errors.some((e) => e.field === 'duration') ? 'duration-error' : undefined}>
          <legend>How long have you had this pain?</legend>
          <FieldError errors={errors} field="duration" />
          <ul className="choices">
            {PAIN_DURATIONS.map((d) => (
              <li key={d.code}><label><input type="radio" name="duration" value={d.code} required defaultChecked={duration === d.code} /> {d.label}</label></li>
            ))}
          </ul>
        </fieldset>
        <CheckboxGroup name="tried" legend="What have you tried so far?" hint="Choose all that apply." options={TREATMENTS_TRIED} values={values} errors={errors} />

        <h2>Safety questions</h2>
        <p>Some back pain needs a doctor straight away. Please answer each question.</p>
        {RED_FLAGS.map((flag) => {
          const field = redFlagField(flag.code);
          const answer = list(values[field])[0];
          const invalid = errors.some((e) => e.field === field);
          return (
            <div key={flag.code} className="question">
              <fieldset id={field} aria-describedby={invalid ? `${field}-error` : undefined}>
                <legend>{flag.question}</legend>
                <FieldError errors={errors} field={field} />
                <ul className="choices yes-no">
                  <li><label><input type="radio" name={field} value="yes" required defaultChecked={answer === 'yes'} /> Yes</label></li>
                  <li><label><input type="radio" name={field} value="no" required defaultChecked={answer === 'no'} /> No</label></li>
                </ul>
              </fieldset>
            </div>
          );
        })}
        <button className="button" type="submit">See what happens next</button>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------- a red flag: urgent care, and nothing else

/**
 * Deliberately outside the site layout: no navigation, no articles, no consultation link — one
 * calm message and what to do now.
 */
export function UrgentCarePage({ site, flags }: { site: SiteContext; flags: RedFlagCode[] }) {
  const said = RED_FLAGS.filter((f) => flags.includes(f.code)).map((f) => f.short);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`Please get medical help now · ${site.name}`}</title>
        <link rel="stylesheet" href={SITE_CSS_PATH} />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <div className="wrap layout">
          <main id="main">
            <h1>Please get medical help now</h1>
            <div className="urgent" role="alert">
              <p><strong>Please seek urgent medical care now: go to an emergency department, or call your local emergency number if you cannot get there safely.</strong></p>
              <p>Do not wait for an appointment with us.</p>
            </div>
            <p>You told us about {said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said.at(-1)}`}. Together with back pain, this can be a sign of a problem that a doctor needs to check today — for example pressure on the nerves at the bottom of the spine, an infection, or an injury to the bones of the spine.</p>
            <p>Often it turns out to be something less serious. But it should be checked quickly, and that is not something a self-screening or a PRP clinic can do.</p>
            <p>When you are seen, tell them what you told us, and show them this page if it helps.</p>
            <p className="note">We have not kept your answers.</p>
          </main>
        </div>
      </body>
    </html>
  );
}

// ---------------------------------------------------------------- no red flag: what a clinician assesses, and the request form

export interface ConsultationFormState {
  values: { name: string; email: string; phone: string; preferredTime: string; consentToContact: boolean };
  errors: ScreeningFieldError[];
  message?: string;
}

const EMPTY_FORM: ConsultationFormState = { values: { name: '', email: '', phone: '', preferredTime: '', consentToContact: false }, errors: [] };

function HiddenAnswers({ answers }: { answers: ScreeningAnswers }) {
  return (
    <>
      {answers.painLocations.map((c) => <input key={`l-${c}`} type="hidden" name="painLocations" value={c} />)}
      <input type="hidden" name="duration" value={answers.duration} />
      {answers.tried.map((c) => <input key={`t-${c}`} type="hidden" name="tried" value={c} />)}
      {RED_FLAGS.map((f) => <input key={f.code} type="hidden" name={redFlagField(f.code)} value="no" />)}
    </>
  );
}

function TextField({ id, label, hint, type = 'text', value, errors, autoComplete, maxLength, required }: {
  id: string; label: string; hint?: ReactNode; type?: 'text' | 'email' | 'tel'; value: string; errors: ScreeningFieldError[]; autoComplete: string; maxLength: number; required?: boolean;
}) {
  const invalid = errors.some((e) => e.field === id);
  const described = [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <span className="hint" id={`${id}-hint`}>{hint}</span>}
      <FieldError errors={errors} field={id} />
      <input type={type} id={id} name={id} defaultValue={value} autoComplete={autoComplete} maxLength={maxLength} required={required}
        aria-describedby={described} aria-invalid={invalid || undefined} />
    </div>
  );
}

export function ConsultationPage({ site, answers, form = EMPTY_FORM }: { site: SiteContext; answers: ScreeningAnswers; form?: ConsultationFormState }) {
  const { values, errors } = form;
  const consentInvalid = errors.some((e) => e.field === 'consentToContact');
  return (
    <Layout site={site} meta={{ title: 'What a clinician will look at', description: 'What happens at a consultation about PRP for back pain, and how to ask for one.', path: null, noindex: true }}>
      <h1>What a clinician will look at</h1>
      <p className="lede">Thank you. You did not report any of the warning signs we asked about. Whether PRP (platelet-rich plasma) could help depends on what is causing your pain — so a consultation starts by finding the cause.</p>
      <h2>What they will assess, and why</h2>
      <ul>
        <li><strong>Where the pain comes from</strong> — a disc, the small joints of the spine (facet joints), the sacroiliac joint, or an irritated nerve. Studies of PRP have had different results for each, so the cause matters more than anything else.</li>
        <li><strong>Your scans</strong> — an MRI if you have one, or whether you need one, to see the discs, joints and nerves.</li>
        <li><strong>What you have tried</strong> and how it went. PRP is usually considered only after treatments such as exercise and physiotherapy.</li>
        <li><strong>Your medicines</strong> — anti-inflammatory painkillers, blood thinners and steroids affect platelets or bleeding and may need a plan before any procedure. Do not stop a prescribed medicine on your own.</li>
        <li><strong>A blood test</strong> — your platelet count and haemoglobin, because PRP is made from your own blood.</li>
        <li><strong>Your general health</strong> — infections, pregnancy, cancer or bleeding problems can make PRP unsuitable.</li>
      </ul>
      <p>The clinician may tell you that PRP is not the best option for you, and why. That is a useful result too: you will know more about your pain and what else can help.</p>

      <section className="cta" id="consultation" aria-labelledby="consultation-h">
        <h2 id="consultation-h">Ask for a consultation</h2>
        <p>Leave your details and someone from the clinic will contact you to arrange a time. We only use them to reply to you.</p>
        <ErrorSummary title="Your request was not sent" errors={errors} message={form.message} />
        <form method="post" action="/screening/consultation#consultation">
          <HiddenAnswers answers={answers} />
          <TextField id="name" label="Your name" value={values.name} errors={errors} autoComplete="name" maxLength={LEAD_LIMITS.nameChars} required />
          <TextField id="email" label="Email (optional if you give a phone number)" type="email" value={values.email} errors={errors} autoComplete="email" maxLength={LEAD_LIMITS.emailChars} />
          <TextField id="phone" label="Phone (optional if you give an email)" type="tel" value={values.phone} errors={errors} autoComplete="tel" maxLength={LEAD_LIMITS.phoneChars} />
          <TextField id="preferredTime" label="When is a good time to reach you? (optional)" hint="For example: weekday mornings, or after 5 pm." value={values.preferredTime} errors={errors} autoComplete="off" maxLength={LEAD_LIMITS.preferredTimeChars} />
          <fieldset id="consentToContact" aria-describedby={consentInvalid ? 'consentToContact-error' : undefined}>
            <legend className="vh">Permission to contact you</legend>
            <FieldError errors={errors} field="consentToContact" />
            <ul className="choices">
              <li><label><input type="checkbox" name="consentToContact" value="yes" required defaultChecked={values.consentToContact} /> I agree that the clinic may contact me by phone or email about this request.</label></li>
            </ul>
          </fieldset>
          <div className="hp" aria-hidden="true">
            <label htmlFor="website">Leave this field empty</label>
            <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
          </div>
          <button className="button" type="submit">Ask for a consultation</button>
        </form>
      </section>
    </Layout>
  );
}

export function ThanksPage({ site }: { site: SiteContext }) {
  return (
    <Layout site={site} meta={{ title: 'Request received', description: 'Your consultation request has been received.', path: null, noindex: true }}>
      <h1>Thank you — we have your request</h1>
      <p className="lede">Someone from the clinic will contact you to arrange a consultation.</p>
      <div className="notice" role="status">
        <p>If your symptoms change while you wait — especially new problems with your bladder or bowel, numbness around your bottom or genitals, or weakness in a leg — seek urgent medical care. Do not wait for us.</p>
      </div>
      <p>Meanwhile, our <a href="/">articles</a> explain what the research on PRP for back pain shows, and where it is uncertain.</p>
    </Layout>
  );
}
