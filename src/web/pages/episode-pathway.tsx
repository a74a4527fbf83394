import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.js';
import { DecisionForm, FindingList, type AssessmentRecord } from '../components/assessment-decision.js';
import { AssessmentForm } from '../components/assessment-form.js';
import { AssessmentSummary } from '../components/assessment-summary.js';
import { AdverseEvents } from '../components/adverse-events.js';
import { BedsideCheck } from '../components/bedside-check.js';
import { ConsentPanel } from '../components/consent-signing.js';
import { CustodyPanel } from '../components/custody-panel.js';
import { InstructionsPanel } from '../components/instructions-panel.js';
import { InjectionForm } from '../components/injection-form.js';
import { ProcedureRecord } from '../components/procedure-record.js';
import { PageHeader } from '../components/layout.js';
import { PathwayTimeline } from '../components/pathway-timeline.js';
import { LoadError, Loading } from '../components/status.js';
import { formatDate, formatInstant } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { ContraindicationSettings } from '../../science/contraindications.js';
import type { EpisodeTimeline, ProcedureView, SpecimenView } from '../pathway-types.js';
import '../pathway.css';

/**
 * One episode's clinical pathway: every step with its state, who and when, and the bedside
 * screens of the chain of custody — the draw and its label, the lab's steps, the identity check
 * before the injection, and the injection record.
 */
export function EpisodePathwayPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const timeline = useLoad((signal) => api.get<EpisodeTimeline>(`/episodes/${id}/timeline`, undefined, signal), [id, version]);
  const specimens = useLoad((signal) => (can('custody:read') ? api.get<SpecimenView[]>(`/episodes/${id}/specimens`, undefined, signal) : Promise.resolve([])), [id, version]);
  const procedures = useLoad((signal) => (can('procedure:read') ? api.get<ProcedureView[]>(`/episodes/${id}/procedures`, undefined, signal) : Promise.resolve([])), [id, version]);
  const settings = useLoad((signal) => (can('assessment:read') ? api.get<{ settings: ContraindicationSettings }>('/pathway-settings', undefined, signal).then((v) => v.settings) : Promise.resolve(undefined)), []);
  const assessments = useLoad((signal) => (can('assessment:read') ? api.get<AssessmentRecord[]>(`/episodes/${id}/assessments`, undefined, signal) : Promise.resolve([])), [id, version]);
  const [assessing, setAssessing] = useState(false);
  useTitle('Episode pathway');

  const t = timeline.data;
  if (timeline.error) {
    return (
      <>
        <PageHeader title={timeline.error.status === 404 ? 'Episode not found' : 'Episode pathway'} eyebrow={<Link to="/patients">Patients</Link>} />
        <LoadError problem={timeline.error} onRetry={timeline.error.status === 404 ? undefined : timeline.reload} />
      </>
    );
  }
  if (!t) return <><PageHeader title="Episode pathway" eyebrow={<Link to="/patients">Patients</Link>} /><Loading label="Loading the pathway…" /></>;

  const list = specimens.data ?? [];
  const ready = list.some((s) => s.status === 'prepared');
  const verified = list.filter((s) => s.status === 'verified').at(-1);
  const done = procedures.data ?? [];
  const latest = assessments.data?.[0]; // newest version first

  return (
    <>
      <PageHeader title={`Pathway: ${t.patient.familyName}, ${t.patient.givenName}`} eyebrow={<Link to={`/patients/${t.patient.id}`}>Patient record</Link>} />
      <p className="page-subtitle">
        <span>MRN <span className="mono">{t.patient.mrn}</span></span>
        <span>Born {formatDate(t.patient.birthDate)}</span>
        <span>Episode opened {formatDate(t.episode.openedOn)}</span>
        <span>Procedure {t.episode.plannedProcedureOn ? formatDate(t.episode.plannedProcedureOn) : 'not planned'}</span>
      </p>
      <div className="pathway-layout">
        <section className="panel" aria-labelledby="steps-title">
          <div className="panel-header"><h2 id="steps-title" className="panel-title">Steps</h2></div>
          <div className="panel-body"><PathwayTimeline episodeId={id} steps={t.steps} /></div>
        </section>

        {can('assessment:read') && (
          <section className="panel" id="assessment" aria-labelledby="assessment-title">
            <div className="panel-header">
              <h2 id="assessment-title" className="panel-title">Assessment</h2>
              {can('assessment:write') && !assessing && <button type="button" className="button button-small" onClick={() => setAssessing(true)}>{latest ? 'New assessment version' : 'Assess'}</button>}
            </div>
            <div className="panel-body">
              {assessing
                ? <AssessmentForm key={latest?.id ?? 'first'} episodeId={id} settings={settings.data} plannedDate={t.episode.plannedProcedureOn} initial={latest} onSaved={() => { setAssessing(false); changed(); }} onCancel={() => setAssessing(false)} />
                : latest
                  ? <>
                      <p className="muted small">Version {latest.version}{latest.createdBy ? ` by ${latest.createdBy.displayName}` : ''}, {formatInstant(latest.createdAt)}.</p>
                      <AssessmentSummary assessment={latest.assessment} />
                      <h3 className="subsection-title">Contraindications</h3>
                      {latest.evaluation ? <FindingList result={latest.evaluation} /> : <p className="muted">Not evaluated: this version no longer passes the current checks.</p>}
                    </>
                  : <p className="muted">Not assessed yet.</p>}
            </div>
          </section>
        )}

        {can('decision:sign') && latest && (
          <section className="panel" id="decision" aria-labelledby="decision-title">
            <div className="panel-header"><h2 id="decision-title" className="panel-title">Eligibility decision</h2></div>
            <div className="panel-body"><DecisionForm key={latest.id} episodeId={id} assessment={latest} onSigned={changed} /></div>
          </section>
        )}

        {can('consent:read') && <ConsentPanel key={version} episodeId={id} onChanged={changed} />}
        {can('consent:read') && <ConsentPanel key={`registry-${version}`} kind="registry" episodeId={id} onChanged={changed} />}
        {can('assessment:read') && <InstructionsPanel episodeId={id} reloadKey={`${version}-${t.episode.plannedProcedureOn ?? ''}`} />}

        {can('custody:write') && (
          <section className="panel" id="bedside" aria-labelledby="bedside-title">
            <div className="panel-header"><h2 id="bedside-title" className="panel-title">Bedside identity check</h2></div>
            <div className="panel-body">
              {ready || verified
                ? <BedsideCheck episodeId={id} onChanged={changed} />
                : <p className="muted">No product is waiting for the bedside check.</p>}
            </div>
          </section>
        )}

        {can('procedure:read') && (
          <section className="panel" id="injection" aria-labelledby="injection-title">
            <div className="panel-header"><h2 id="injection-title" className="panel-title">Injection <span className="count">{done.length}</span></h2></div>
            <div className="panel-body">
              {done.map((p) => <ProcedureRecord key={p.id} procedure={p} />)}
              {verified && can('procedure:write')
                ? <InjectionForm key={verified.id} episodeId={id} specimen={verified} onRecorded={changed} />
                : done.length === 0 && <p className="muted">The injection is recorded after a passed bedside check.</p>}
            </div>
          </section>
        )}

        {can('adverse-event:read') && <AdverseEvents key={`ae-${version}`} episodeId={id} onChanged={changed} />}

        {can('custody:read') && <CustodyPanel episodeId={id} specimens={list} onChanged={changed} />}
        {specimens.error && <LoadError problem={specimens.error} onRetry={specimens.reload} />}
      </div>
    </>
  );
}
