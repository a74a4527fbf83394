import { useState } from 'react';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { formatInstant } from '../format.js';
import { problemOf } from '../forms.js';
import { useLoad } from '../hooks.js';
import { INSTRUCTION_PHASES, SEND_REASON_LABELS, deliveryOf, instructionDate, sendBlockedReason } from '../instructions-format.js';
import type { InstructionSendView, InstructionsView } from '../pathway-types.js';
import { useSession } from '../session.js';
import { DataTable } from './data-table.js';
import { Notice } from './error-summary.js';
import { Badge, LoadError, Loading } from './status.js';

/**
 * The episode's pre- and post-procedure instructions as the patient will get them (computed by
 * the server from the planned date, the clinic's wash-outs and the medicines in the assessment),
 * emailing them through the outbox, the print view, and every email sent so far.
 */
export function InstructionsPanel({ episodeId, reloadKey }: { episodeId: string; reloadKey?: unknown }) {
  const { can } = useSession();
  const [version, setVersion] = useState(0);
  const view = useLoad((signal) => api.get<InstructionsView>(`/episodes/${episodeId}/instructions`, undefined, signal), [episodeId, version, reloadKey]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | undefined>(undefined);
  const v = view.data;

  async function send() {
    setBusy(true);
    setMessage(undefined);
    try {
      const sent = await api.post<InstructionSendView>(`/episodes/${episodeId}/instructions/send`, {});
      const text = `The instructions are in the outbox for ${sent.to}.`;
      setMessage({ kind: 'success', text });
      announce(text);
      setVersion((n) => n + 1);
    } catch (error) {
      setMessage({ kind: 'error', text: problemOf(error).detail });
    } finally {
      setBusy(false);
    }
  }

  const blocked = v ? sendBlockedReason(v) : undefined;
  return (
    <section className="panel" id="instructions" aria-labelledby="instructions-title">
      <div className="panel-header">
        <h2 id="instructions-title" className="panel-title">Instructions</h2>
        {v && (v.upToDate
          ? <Badge tone="success">Sent for this date</Badge>
          : v.sends.length > 0 ? <Badge tone="warning">Sent for another date</Badge> : <Badge>Not sent yet</Badge>)}
      </div>
      <div className="panel-body">
        {view.error && <LoadError problem={view.error} onRetry={view.reload} />}
        {!v && !view.error && <Loading label="Loading the instructions…" />}
        {v && (
          <>
            {v.plannedProcedureOn === null
              ? <p className="muted">Plan the procedure date first: the instructions are dated from it.</p>
              : INSTRUCTION_PHASES.map(({ phase, title }) => {
                const items = v.items.filter((i) => i.phase === phase);
                if (items.length === 0) return null;
                return (
                  <div key={phase} className="instruction-group">
                    <h3 className="instruction-phase">{title}</h3>
                    <ul className="instruction-list">
                      {items.map((i) => (
                        <li key={i.code} className={i.past ? 'instruction-past' : undefined}>
                          {i.date && <time dateTime={i.date} className="instruction-date">{instructionDate(i.date, v.plannedProcedureOn!)}</time>}
                          <span>{i.text}</span>
                          {i.past && <> <Badge tone="warning">Date already passed: call the patient</Badge></>}
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}

            <div className="instruction-actions">
              {can('instructions:send') && (
                <>
                  <button type="button" className="button button-primary" onClick={() => void send()} disabled={busy || blocked !== undefined}
                    aria-describedby={blocked ? 'instructions-send-blocked' : undefined}>
                    {busy ? 'Sending…' : v.sends.length > 0 ? 'Send again by email' : 'Send by email'}
                  </button>
                  {blocked && <p className="hint" id="instructions-send-blocked">{blocked}</p>}
                </>
              )}
              {v.plannedProcedureOn !== null && (
                <a className="button" href={`/api/v1/episodes/${episodeId}/instructions/print`} target="_blank" rel="noopener">Print<span className="visually-hidden"> the instructions</span></a>
              )}
            </div>
            {message && <Notice kind={message.kind}>{message.text}</Notice>}

            <h3 className="subsection-title">Emails sent</h3>
            <DataTable<InstructionSendView>
              caption="Emails sent"
              captionHidden
              rows={v.sends}
              rowKey={(s) => s.id}
              empty="No instructions emailed yet."
              columns={[
                { header: 'When', cell: (s) => formatInstant(s.createdAt), rowHeader: true },
                { header: 'To', cell: (s) => s.to },
                { header: 'Why', cell: (s) => SEND_REASON_LABELS[s.reason] },
                { header: 'For the date', cell: (s) => (s.plannedProcedureOn ? instructionDate(s.plannedProcedureOn, s.plannedProcedureOn, true) : 'Date withdrawn') },
                { header: 'By', cell: (s) => s.createdBy?.displayName ?? 'Autolog' },
                { header: 'Delivery', cell: (s) => { const d = deliveryOf(s); return <Badge tone={d.tone}>{d.label}</Badge>; } },
              ]}
            />
          </>
        )}
      </div>
    </section>
  );
}
