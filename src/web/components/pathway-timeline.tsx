import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatInstant } from '../format.js';
import type { StepState, TimelineStep } from '../pathway-types.js';

export const STEP_STATE_LABELS: Record<StepState, string> = {
  done: 'Done', pending: 'Pending', attention: 'Needs attention', blocked: 'Blocked', 'not-applicable': 'N/A',
};

/** Where each step is worked on: a section of the episode page, another screen, or nowhere yet. */
export function stepTarget(episodeId: string, step: TimelineStep): { to: string; external?: boolean } | undefined {
  switch (step.step) {
    case 'assessment': return { to: '#assessment' };
    case 'decision': return { to: '#decision' };
    case 'draw': return { to: '#custody' };
    case 'preparation': {
      const prep = step.refs.find((r) => r.type === 'preparation');
      return prep ? { to: `/preparations/${prep.id}` } : { to: '#custody' };
    }
    case 'verification': return { to: '#bedside' };
    case 'injection': return { to: '#injection' };
    case 'adverse-events': return { to: '#adverse-events' };
    case 'follow-up': return { to: `/episodes/${episodeId}/follow-up` };
    case 'consent': return { to: '#consent' };
    default: return undefined;
  }
}

/** Every step of the episode as a row: a state chip, what happened, who and when, and a link to its screen. */
export function PathwayTimeline({ episodeId, steps }: { episodeId: string; steps: TimelineStep[] }) {
  return (
    <ol className="pathway-steps">
      {steps.map((s) => {
        const target = stepTarget(episodeId, s);
        let title: ReactNode = s.label;
        if (target?.external) title = <a href={target.to} target="_blank" rel="noopener">{s.label}</a>;
        else if (target?.to.startsWith('#')) title = <a href={target.to}>{s.label}</a>;
        else if (target) title = <Link to={target.to}>{s.label}</Link>;
        return (
          <li key={s.step} className={`pathway-step pathway-step-${s.state}`} data-step={s.step}>
            <span className={`step-chip step-chip-${s.state}`}>{STEP_STATE_LABELS[s.state]}</span>
            <div className="pathway-step-body">
              <span className="pathway-step-title">{title}</span>
              <span className="pathway-step-summary">{s.summary}</span>
              {(s.at || s.by) && (
                <span className="pathway-step-meta muted small">
                  {s.by?.displayName}{s.by && s.at ? ' · ' : ''}{s.at && <time dateTime={s.at}>{formatInstant(s.at)}</time>}
                </span>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
