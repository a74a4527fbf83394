import type { ReactNode } from 'react';
import type { AnswerProblem } from '../../science/index.js';
import type { ClinicFace, PatientProgress, SurveyContext } from '../../services/survey.js';
import { formatDate, type Messages } from './messages.js';
import { PATIENT_CHART_INSTRUMENTS, ProgressChart } from './progress-chart.js';
import { QuestionnaireFields, problemMessage } from './questionnaire-form.js';
import { SURVEY_CSS } from './styles.js';

/** The survey pages as React components, rendered to static HTML (no hydration, no script). */

export function surveyUrl(token: string, step?: string): string {
  return `/survey?t=${encodeURIComponent(token)}${step ? `&step=${encodeURIComponent(step)}` : ''}`;
}

export function Page({ m, title, clinic, children }: { m: Messages; title: string; clinic: ClinicFace | null; children: ReactNode }): ReactNode {
  return (
    <html lang={m.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        {/* No favicon request: one round trip fewer on a slow connection. */}
        <link rel="icon" href="data:," />
        <title>{m.pageTitle(title, clinic?.name ?? m.surveyName)}</title>
        <style dangerouslySetInnerHTML={{ __html: SURVEY_CSS }} />
      </head>
      <body>
        <a className="skip" href="#main">{m.skipToContent}</a>
        <header><p>{clinic?.name ?? m.surveyName}</p></header>
        <main id="main">{children}</main>
        {clinic && (
          <footer>
            <h2>{m.contactTitle}</h2>
            <p>{clinic.contactText ?? m.contactFallback(clinic.name)}</p>
            <p className="small muted">{m.urgentCare}</p>
          </footer>
        )}
      </body>
    </html>
  );
}

export function StepPage({ context, stepIndex, values, problems, token, m }: {
  context: SurveyContext; stepIndex: number; values: Readonly<Record<string, unknown>>; problems: readonly AnswerProblem[]; token: string; m: Messages;
}): ReactNode {
  const { steps, timePoint, clinic } = context;
  const step = steps[stepIndex]!;
  const q = step.questionnaire;
  const last = steps.slice(stepIndex + 1).every((s) => s.status === 'completed');
  const percent = Math.round((stepIndex / steps.length) * 100);
  const title = q.title ?? step.instrument.spec.title;
  return (
    <Page m={m} title={title} clinic={clinic}>
      <p className="step">{m.progress(stepIndex + 1, steps.length)}</p>
      <div className="bar" aria-hidden="true"><span style={{ width: `${percent}%` }} /></div>
      {problems.length > 0 && (
        <div className="summary" role="alert" aria-labelledby="summary-title" tabIndex={-1}>
          <h2 id="summary-title">{m.errorSummaryTitle}</h2>
          <ul>{problems.map((p) => <li key={`${p.linkId}-${p.kind}`}><a href={p.number ? `#q${p.number}` : '#main'}>{problemMessage(p, m)}</a></li>)}</ul>
        </div>
      )}
      <h1>{title}</h1>
      {stepIndex === 0 && problems.length === 0 && <p className="lead">{m.greeting(context.patient.givenName, timePoint.label)} {m.whyWeAsk}</p>}
      {q.description && <p className="lead">{q.description}</p>}
      <form method="post" action="/survey" noValidate>
        <input type="hidden" name="t" value={token} />
        <input type="hidden" name="step" value={step.code} />
        <QuestionnaireFields questionnaire={q} values={values} problems={problems} m={m} />
        <div className="actions">
          <button className="primary" type="submit" name="action" value="next">{last ? m.saveAndFinish : m.saveAndContinue}</button>
          {stepIndex > 0 && <button className="secondary" type="submit" name="action" value="back">{m.back}</button>}
          <button className="link-button" type="submit" name="action" value="later">{m.finishLater}</button>
        </div>
      </form>
      <p className="small muted">{m.answerBy(formatDate(timePoint.window_end_on, m))}</p>
      {step.instrument.instrumentId && <p className="copyright">{m.licensedCopy(clinic.name)}{q.copyright ? ` ${q.copyright}` : ''}</p>}
      {!step.instrument.instrumentId && q.copyright && <p className="copyright">{q.copyright}</p>}
      <p className="small"><a href={`/survey/stop?t=${encodeURIComponent(token)}`}>{m.optOutLink}</a></p>
    </Page>
  );
}

export function SavedPage({ context, token, step, m }: { context: SurveyContext; token: string; step: string; m: Messages }): ReactNode {
  return (
    <Page m={m} title={m.savedTitle} clinic={context.clinic}>
      <h1>{m.savedTitle}</h1>
      <p className="lead">{m.savedBody(formatDate(context.timePoint.window_end_on, m))}</p>
      <p><a className="button primary" href={surveyUrl(token, step)}>{m.carryOnNow}</a></p>
    </Page>
  );
}

export function DonePage({ context, progress, m }: { context: SurveyContext; progress: PatientProgress; m: Messages }): ReactNode {
  const charts = progress.trajectories.filter((t) => PATIENT_CHART_INSTRUMENTS.includes(t.instrument) && t.points.length > 0);
  const overTime = charts.some((t) => t.points.length > 1);
  return (
    <Page m={m} title={m.doneTitle(context.patient.givenName)} clinic={context.clinic}>
      <h1>{m.doneTitle(context.patient.givenName)}</h1>
      <p className="lead">{m.doneBody}</p>
      {progress.next && <p>{m.nextQuestions(progress.next.label, formatDate(progress.next.opensOn, m))}</p>}
      {charts.length > 0 && (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">{m.progressTitle}</h2>
          <p>{overTime ? m.progressIntro : m.progressOnlyOne}</p>
          {charts.map((t, i) => <ProgressChart key={t.instrument} trajectory={t} m={m} index={i} />)}
        </section>
      )}
    </Page>
  );
}

export function MessagePage({ m, clinic, title, body, children }: { m: Messages; clinic: ClinicFace | null; title: string; body: string; children?: ReactNode }): ReactNode {
  return (
    <Page m={m} title={title} clinic={clinic}>
      <h1>{title}</h1>
      <p className="lead">{body}</p>
      {children}
    </Page>
  );
}

export function OptOutPage({ m, clinic, token }: { m: Messages; clinic: ClinicFace; token: string }): ReactNode {
  return (
    <MessagePage m={m} clinic={clinic} title={m.optOutTitle} body={m.optOutBody}>
      <form method="post" action="/survey/stop">
        <input type="hidden" name="t" value={token} />
        <div className="actions">
          <button className="primary" type="submit" name="confirm" value="yes">{m.optOutConfirm}</button>
          <a className="button secondary" href={surveyUrl(token)}>{m.optOutCancel}</a>
        </div>
      </form>
    </MessagePage>
  );
}
