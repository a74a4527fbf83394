import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { renderToStaticMarkup } from 'react-dom/server';
import { formatInstructionDate, type InstructionItem } from '../science/index.js';
import { actorOf } from '../http/access.js';
import { IdParams } from '../http/schemas.js';
import { getConsentPrint, type ConsentPrint } from '../services/consents.js';
import type { Services } from '../services/context.js';
import { getInstructionsPrint, type InstructionsPrint } from '../services/instructions.js';
import { specimenBarcodePng } from '../services/specimen-barcode.js';
import { getSpecimenLabel, type SpecimenLabel } from '../services/specimens.js';
import { MONO_FONT, PAPER_CSS, PrintDocument as Document, a4SheetCss, printDate as date, printDateTime as dateTime } from './print-sheet.js';

/**
 * Printable artefacts of the pathway — the signed consent, the specimen label and the patient's
 * instructions: server-rendered HTML with print CSS and no script, like the preparation report.
 * Staff routes under /api/v1 (session and permission checked like every API route); each read is
 * audited by its service.
 */

function PatientBlock({ patient }: { patient: { givenName: string; familyName: string; mrn: string; birthDate: string } }) {
  return (
    <div className="patient">
      <div><span className="label">Patient</span><span className="name">{patient.familyName.toUpperCase()}, {patient.givenName}</span></div>
      <div><span className="label">MRN</span><strong>{patient.mrn}</strong></div>
      <div><span className="label">Birth date</span><strong>{date(patient.birthDate)}</strong></div>
    </div>
  );
}

function send(reply: FastifyReply, html: string): FastifyReply {
  // Patient data: never stored by a browser or proxy cache.
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html>${html}`);
}

// ---------------------------------------------------------------- signed consent

const CONSENT_CSS = a4SheetCss(`
.text{font-size:10pt}
.text h2,.text h3{font-size:10.5pt;text-transform:none;letter-spacing:0;border:0;margin:4mm 0 1mm}
.text p,.text ul,.text ol{margin:0 0 2mm}
.signature{display:grid;grid-template-columns:1fr 1fr;gap:4mm 8mm;margin-top:6mm;break-inside:avoid}
.signature .mark{border-bottom:1px solid #111;min-height:28mm;display:flex;align-items:flex-end}
.signature .mark img,.signature .mark svg{max-width:100%;max-height:32mm}
.withdrawn{border:2px solid #b00020;color:#b00020;font-weight:bold;padding:2mm 3mm;margin-bottom:4mm}
.check{font-size:8pt}
`);

export function ConsentPrintPage({ data }: { data: ConsentPrint }) {
  const { consent, template, clinicTimeZone: tz } = data;
  const sig = consent.signature;
  return (
    <Document title={`Signed consent — ${data.patient.familyName}, ${data.patient.givenName} (MRN ${data.patient.mrn})`} css={CONSENT_CSS}>
      <main className="sheet">
        <header>
          <div>
            <div className="clinic">{data.clinicName}</div>
            <h1>{template.title}</h1>
          </div>
          <div className="meta">
            Consent text version {consent.templateVersion}<br />
            Printed {dateTime(data.printedAt, tz)} by {data.printedBy}
          </div>
        </header>
        {consent.status === 'withdrawn' && (
          <div className="withdrawn" role="alert">
            WITHDRAWN on {dateTime(consent.withdrawnAt, tz)}{consent.withdrawnBy ? ` (recorded by ${consent.withdrawnBy.displayName})` : ''}: {consent.withdrawalReason}
          </div>
        )}
        <PatientBlock patient={data.patient} />
        <div className="text" dangerouslySetInnerHTML={{ __html: template.bodyHtml }} />
        <div className="signature">
          <div>
            <span className="label">Patient’s signature</span>
            <div className="mark">
              {sig.kind === 'png'
                ? <img src={sig.data} alt={`Signature of ${consent.signedName}`} width={sig.width} height={sig.height} />
                : <svg viewBox={`0 0 ${sig.width} ${sig.height}`} width={sig.width} height={sig.height} role="img" aria-label={`Signature of ${consent.signedName}`}><path d={sig.data} fill="none" stroke="#111" strokeWidth={2.5} strokeLinecap="round" strokeLinejoin="round" /></svg>}
            </div>
          </div>
          <div>
            <span className="label">Name typed by the patient</span>
            <div className="mark"><strong>{consent.signedName}</strong></div>
          </div>
          <div><span className="label">Signed</span>{dateTime(consent.signedAt, tz)}</div>
          <div><span className="label">Collected by</span>{consent.collectedBy?.displayName ?? '—'}</div>
        </div>
        <footer>
          <span className="check">
            Text SHA-256 {consent.bodySha256.slice(0, 16)}… — {data.textVerified ? 'matches the text signed' : 'DOES NOT MATCH the text signed'}. Consent {consent.id}.
          </span>
          <span>Times in {tz}</span>
        </footer>
      </main>
    </Document>
  );
}

// ---------------------------------------------------------------- specimen label

// A common specimen-label stock: 57 × 32 mm (2.25 × 1.25 in).
const LABEL_CSS = `${PAPER_CSS}body{font-size:7pt;line-height:1.2;color:#000}
.label{width:57mm;height:32mm;margin:6mm auto;padding:1.2mm 2mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.3);overflow:hidden;display:flex;flex-direction:column;gap:.4mm;page-break-after:always;break-after:page}
.banner{background:#000;color:#fff;font-weight:bold;font-size:6.5pt;letter-spacing:.05em;text-align:center;padding:.4mm 0}
.name{font-size:9pt;font-weight:bold;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ids{display:flex;justify-content:space-between;font-size:7pt}
.ids b{font-size:7.5pt}
.barcode{display:block;width:44mm;height:10mm;margin:0 auto;image-rendering:pixelated;image-rendering:crisp-edges}
.code{text-align:center;font-family:${MONO_FONT};font-weight:bold;font-size:8pt;letter-spacing:.06em}
.times{display:flex;justify-content:space-between;font-size:6.5pt}
@page{size:57mm 32mm;margin:0}
@media print{html{background:#fff}.label{margin:0;box-shadow:none}}
`;

function shortDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
}

export function SpecimenLabelPage({ label, barcodeDataUrl, copies }: { label: SpecimenLabel; barcodeDataUrl: string; copies: number }) {
  const tz = label.timeZone;
  return (
    <Document title={`Label ${label.displayCode} — ${label.patient.familyName}, ${label.patient.givenName}`} css={LABEL_CSS}>
      {Array.from({ length: copies }, (_, i) => (
        <section className="label" key={i} aria-label={`Label ${i + 1} of ${copies}`}>
          <div className="banner">FOR AUTOLOGOUS USE ONLY</div>
          <div className="name">{label.patient.familyName.toUpperCase()}, {label.patient.givenName}</div>
          <div className="ids"><span>DOB <b>{date(label.patient.birthDate)}</b></span><span>MRN <b>{label.patient.mrn}</b></span></div>
          <img className="barcode" src={barcodeDataUrl} alt={`Barcode ${label.code}`} />
          <div className="code">{label.displayCode}</div>
          <div className="times"><span>Drawn {shortDateTime(label.drawnAt, tz)}</span><span><b>Expires {shortDateTime(label.expiresAt, tz)}</b></span></div>
        </section>
      ))}
    </Document>
  );
}

// ---------------------------------------------------------------- instructions

const INSTRUCTIONS_CSS = a4SheetCss(`
ol.items{margin:0;padding-left:5mm}
ol.items li{margin-bottom:2mm}
.date{font-weight:bold}
.past{color:#8a4b00;font-size:9pt}
.procedure{font-size:12pt;margin:0 0 3mm}
.warning{border:1.5px solid #111;padding:2mm 3mm;margin-top:5mm}
`);

export function InstructionsPrintPage({ data }: { data: InstructionsPrint }) {
  const phase = (p: InstructionItem['phase']) => data.items.filter((i) => i.phase === p);
  const Items = ({ items, extra }: { items: InstructionItem[]; extra?: string | null }) => (
    <ol className="items">
      {items.map((i) => (
        <li key={i.code + (i.date ?? '')}>
          {i.text}
          {i.past && <div className="past">This date has passed: if you have taken this medicine since, please tell us.</div>}
        </li>
      ))}
      {extra && <li>{extra}</li>}
    </ol>
  );
  return (
    <Document title={`Instructions — ${data.patient.familyName}, ${data.patient.givenName}`} css={INSTRUCTIONS_CSS}>
      <main className="sheet">
        <header>
          <div>
            <div className="clinic">{data.clinicName}</div>
            <h1>Your PRP procedure: what to do before and after</h1>
          </div>
          <div className="meta">Printed {dateTime(data.printedAt, data.timeZone)} by {data.printedBy}</div>
        </header>
        <PatientBlock patient={data.patient} />
        <p className="procedure">Procedure date: <span className="date">{formatInstructionDate(data.plannedProcedureOn)} {data.plannedProcedureOn.slice(0, 4)}</span></p>
        <h2>Before the procedure</h2>
        <Items items={phase('before')} extra={data.extraBefore} />
        <h2>On the day</h2>
        <Items items={phase('day-of')} />
        <h2>After the procedure</h2>
        <Items items={phase('after')} extra={data.extraAfter} />
        <p className="warning">If anything here is unclear, or you cannot follow it, call us before the procedure. Do not stop a prescribed medicine unless your doctor has agreed.</p>
      </main>
    </Document>
  );
}

// ---------------------------------------------------------------- routes

export async function pathwayPrintPages(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/api/v1/consents/:id/print', {
    config: { access: 'consent:read' },
    schema: { tags: ['pathway'], summary: 'Printable signed consent with the exact text version and the signature (text/html; the read is audited)', params: IdParams, produces: ['text/html'] },
  }, async (request, reply) => send(reply, renderToStaticMarkup(<ConsentPrintPage data={await getConsentPrint(services, actorOf(request), request.params.id)} />)));

  api.get('/api/v1/specimens/:id/label', {
    config: { access: 'custody:read' },
    schema: {
      tags: ['custody'], summary: 'Printable specimen labels, 57 × 32 mm: two identifiers, Code 128 barcode, draw time, expiry, "for autologous use only" (text/html; audited)',
      params: IdParams, querystring: Type.Object({ copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Labels to print: tube, device, syringe (default 3).' })) }, { additionalProperties: false }),
      produces: ['text/html'],
    },
  }, async (request, reply) => {
    const label = await getSpecimenLabel(services, actorOf(request), request.params.id);
    const png = await specimenBarcodePng(label.code);
    return send(reply, renderToStaticMarkup(<SpecimenLabelPage label={label} barcodeDataUrl={`data:image/png;base64,${png.toString('base64')}`} copies={request.query.copies ?? 3} />));
  });

  api.get('/api/v1/episodes/:id/instructions/print', {
    config: { access: 'assessment:read' },
    schema: { tags: ['pathway'], summary: 'Printable pre- and post-procedure instructions for the planned date (text/html; audited)', params: IdParams, produces: ['text/html'] },
  }, async (request, reply) => send(reply, renderToStaticMarkup(<InstructionsPrintPage data={await getInstructionsPrint(services, actorOf(request), request.params.id)} />)));
}
