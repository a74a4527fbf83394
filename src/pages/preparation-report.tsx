import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ReactNode } from 'react';
import type {
  AllClassifications,
  DepaClassification,
  MarspillClassification,
  MiboItemResult,
  PawClassification,
  PlraClassification,
} from '../science/index.js';
import { actorOf } from '../http/access.js';
import { IdParams } from '../http/schemas.js';
import type { Services } from '../services/context.js';
import { getPreparationReport, type PreparationReport } from '../services/preparations.js';
import { MONO_FONT, PrintDocument, a4SheetCss, printDate as date, printDateTime as dateTime } from './print-sheet.js';
import { renderDocument } from './site/layout.js';

/**
 * The printable one-page preparation report: server-rendered HTML with print CSS and no script.
 * It shows what the record holds and what was computed when it was saved (with the science
 * version); it never recomputes.
 */

// The shared A4 sheet, tighter: the whole preparation fits on one page.
const CSS = a4SheetCss(`
body{font-size:9.5pt;line-height:1.35}
.sheet{padding:11mm 12mm}
header{margin-bottom:3mm}
.patient{grid-template-columns:2.2fr 1fr 1fr 1fr;margin-bottom:3mm}
.patient .autologous{grid-column:1/-1;font-weight:bold;letter-spacing:.02em;border-top:1px solid #999;padding-top:1mm;margin-top:1mm;display:flex;justify-content:space-between}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:3mm 6mm}
section{break-inside:avoid}
h2{font-size:9pt;margin:0 0 1mm}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.55mm 1.2mm;vertical-align:top}
tbody tr+tr th,tbody tr+tr td{border-top:1px solid #ddd}
thead th{font-size:7.5pt;color:#444;font-weight:normal;border-bottom:1px solid #999}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4mm 3mm;margin:0}
dt{color:#444}
dd{margin:0}
.code{font-family:${MONO_FONT};font-weight:bold;font-size:9pt}
.muted{color:#666}
.missing{color:#8a4b00;font-size:8pt}
.full{grid-column:1/-1}
.warnings{border:1.5px solid #b00020;background:#fff5f5;padding:1.5mm 3mm;margin-top:3mm}
.warnings h2{color:#b00020;border-color:#b00020}
.warnings ul{margin:0;padding-left:4mm}
.bar{height:2.2mm;background:#ddd;border-radius:1mm;overflow:hidden;margin:.8mm 0 1mm}
.bar span{display:block;height:100%;background:#2f6f3e}
.mibo{columns:2;column-gap:6mm;margin:0;padding-left:4mm;font-size:8pt}
.sign{display:grid;grid-template-columns:1fr 1fr 1fr;gap:6mm;margin-top:6mm}
.sign div{border-top:1px solid #111;padding-top:1mm;font-size:8pt;color:#444}
footer{margin-top:3mm;gap:0}
`, 10);

const SAMPLE_LABEL: Record<string, string> = { edta: 'EDTA (native)', 'acd-a': 'ACD-A (diluted)', 'sodium-citrate': 'sodium citrate (diluted)', other: 'other' };

function fmt(value: number | null | undefined, digits = 1, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit}`;
}

/** A count as measured: up to 3 decimals, no padding (245, 6.1, 0.02). */
function count(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('en-GB', { maximumFractionDigits: 3 });
}

function text(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : value;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Missing({ fields }: { fields: string[] }) {
  return fields.length === 0 ? null : <div className="missing">needs {fields.join(', ')}</div>;
}

function classificationRows(c: AllClassifications): { system: string; source: string; code: string | null; detail: string; missing: string[] }[] {
  const paw: PawClassification = c.paw;
  const plra: PlraClassification = c.plra;
  const depa: DepaClassification = c.depa;
  const marspill: MarspillClassification = c.marspill;
  return [
    { system: 'PAW', source: 'DeLong 2012', code: paw.code, detail: `platelets ${paw.platelets}`, missing: paw.missing },
    {
      system: 'PLRA', source: 'Mautner 2015', code: plra.code,
      detail: plra.leukocytePctOfCells === null ? '' : `white cells ${fmt(plra.leukocytePctOfCells, 2)} % of cells`, missing: plra.missing,
    },
    {
      system: 'DEPA', source: 'Magalon 2016', code: depa.code,
      detail: `dose ${depa.dose}, efficiency ${depa.efficiency}, purity ${depa.purity ?? '—'}`, missing: depa.missing,
    },
    {
      system: 'MARSPILL', source: 'Lana 2017', code: marspill.code,
      detail: [marspill.plateletFold ? `fold ${marspill.plateletFold}` : '', ...marspill.notes].filter(Boolean).join('; '), missing: marspill.missing,
    },
    { system: 'Mishra', source: 'Mishra 2012', code: c.mishra.code, detail: `suffix ${c.mishra.suffix}`, missing: c.mishra.missing },
    { system: 'Dohan Ehrenfest', source: 'Dohan Ehrenfest 2009', code: c.dohanEhrenfest.family, detail: '', missing: c.dohanEhrenfest.missing },
  ];
}

function PreparationReportPage({ report }: { report: PreparationReport }) {
  const { preparation: p, patient, episode, protocol, clinicTimeZone: tz } = report;
  const c = p.computed;
  const m = c.metrics;
  const fold = (wb: number | null, prp: number | null) => (wb && prp !== null ? `${fmt(prp / wb, 2)}×` : '');
  const countRows: [string, 'plateletsKPerUl' | 'wbcKPerUl' | 'neutrophilsKPerUl' | 'rbcMPerUl' | 'hematocritPct', string][] = [
    ['Platelets', 'plateletsKPerUl', '× 10³/µL'],
    ['White cells', 'wbcKPerUl', '× 10³/µL'],
    ['Neutrophils', 'neutrophilsKPerUl', '× 10³/µL'],
    ['Red cells', 'rbcMPerUl', '× 10⁶/µL'],
    ['Haematocrit', 'hematocritPct', '%'],
  ];
  const missingItems: MiboItemResult[] = c.completeness.items.filter((item) => item.status === 'missing');
  const anaesthetic = p.localAnaesthetic.agent
    ? `${p.localAnaesthetic.agent}${p.localAnaesthetic.volumeMl !== null ? `, ${fmt(p.localAnaesthetic.volumeMl, 1)} mL` : ''} — ${p.localAnaesthetic.mixedWithPrp === true ? 'mixed into the PRP' : p.localAnaesthetic.mixedWithPrp === false ? 'given separately' : 'mixing not recorded'}`
    : '—';

  return (
    <PrintDocument title={`PRP preparation — ${patient.familyName}, ${patient.givenName} (MRN ${patient.mrn})`} css={CSS}>
      <main className="sheet">
        <header>
          <div>
            <div className="clinic">{report.clinicName}</div>
            <h1>PRP preparation report</h1>
          </div>
          <div className="meta">
            Preparation {p.id}
            <br />
            Printed {dateTime(report.printedAt, tz)} by {report.printedBy}
          </div>
        </header>

        <div className="patient">
          <div>
            <span className="label">Patient</span>
            <span className="name">{patient.familyName.toUpperCase()}, {patient.givenName}</span>
          </div>
          <div>
            <span className="label">MRN</span>
            <strong>{patient.mrn}</strong>
          </div>
          <div>
            <span className="label">Birth date</span>
            <strong>{date(patient.birthDate)}</strong>
          </div>
          <div>
            <span className="label">Sex</span>
            {patient.sex}
          </div>
          <div className="autologous">
            <span>For autologous use only — this patient’s own blood</span>
            <span>
              {episode.indicationLabel} ({episode.icd10Code})
            </span>
          </div>
        </div>

        <div className="grid">
          <section>
            <h2>Protocol and draw</h2>
            <dl>
              <Row label="Protocol">{protocol ? `${protocol.name}, version ${protocol.version}` : '— (none linked)'}</Row>
              <Row label="System">{text(p.systemName)}</Row>
              <Row label="Method">{text(p.method)}{p.form ? `, ${p.form}` : ''}</Row>
              <Row label="Drawn">{dateTime(p.draw.drawnAt, tz)}{p.draw.drawnBy ? ` by ${p.draw.drawnBy.displayName}` : ''}</Row>
              <Row label="Blood drawn">{fmt(p.wholeBlood.volumeMl, 1, ' mL')}</Row>
              <Row label="Anticoagulant">{p.anticoagulant.agent ? `${p.anticoagulant.agent}, ${fmt(p.anticoagulant.volumeMl, 1, ' mL')}` : '—'}</Row>
              <Row label="Lots">tubes {text(p.draw.tubeLot)} · kit {text(p.draw.kitLot)}</Row>
              <Row label="Baseline tube">{p.wholeBlood.sampleAnticoagulant ? SAMPLE_LABEL[p.wholeBlood.sampleAnticoagulant] : '—'}</Row>
            </dl>
          </section>

          <section>
            <h2>Spins</h2>
            {p.spins.length === 0 ? (
              <p className="muted">No spins recorded.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>#</th>
                    <th className="num">× g</th>
                    <th className="num">{protocol ? `rpm (r ${fmt(protocol.rotor.radiusCm, 1)} cm, ${protocol.rotor.type})` : 'rpm'}</th>
                    <th className="num">min</th>
                    <th className="num">°C</th>
                  </tr>
                </thead>
                <tbody>
                  {p.spins.map((spin, i) => (
                    <tr key={i}>
                      <td>{i + 1}</td>
                      <td className="num">{count(spin.rcf)}</td>
                      <td className="num">{spin.rpm === null ? '—' : count(spin.rpm)}</td>
                      <td className="num">{count(spin.minutes)}</td>
                      <td className="num">{spin.temperatureC === undefined ? '—' : count(spin.temperatureC)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {protocol?.centrifuge ? <div className="muted">Centrifuge: {protocol.centrifuge}</div> : null}
          </section>

          <section>
            <h2>Counts</h2>
            <table>
              <thead>
                <tr>
                  <th />
                  <th className="num">Whole blood</th>
                  <th className="num">PRP</th>
                  <th className="num">PRP ÷ blood</th>
                </tr>
              </thead>
              <tbody>
                {countRows.map(([label, key, unit]) => (
                  <tr key={key}>
                    <th>
                      {label} <span className="muted">{unit}</span>
                    </th>
                    <td className="num">{count(p.wholeBlood[key])}</td>
                    <td className="num">{count(p.prp[key])}</td>
                    <td className="num">{key === 'hematocritPct' ? '' : fold(p.wholeBlood[key], p.prp[key])}</td>
                  </tr>
                ))}
                <tr>
                  <th>
                    Volume <span className="muted">mL</span>
                  </th>
                  <td className="num">{count(p.wholeBlood.volumeMl)}</td>
                  <td className="num">{count(p.prp.volumeMl)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          </section>

          <section>
            <h2>Metrics</h2>
            {m ? (
              <dl>
                <Row label="Concentration factor">{fmt(m.concentrationFactor, 2, '×')}</Row>
                <Row label="Platelet dose">{fmt(m.plateletDoseBillion, 2, ' × 10⁹')}</Row>
                <Row label="Recovery">{fmt(m.recoveryPercent, 1, ' %')}</Row>
                <Row label="Leukocyte factor">{fmt(m.leukocyteFactor, 2, '×')}</Row>
                <Row label="Purity">{fmt(m.purityPercent, 1, ' %')}</Row>
              </dl>
            ) : (
              <p className="missing">Not computed: needs {c.missingForMetrics.join(', ')}.</p>
            )}
          </section>

          <section>
            <h2>Product and injection</h2>
            <dl>
              <Row label="Activation">
                {text(p.activation.agent)}
                {p.activation.detail ? ` (${p.activation.detail})` : ''}
                {p.activation.timing ? `, ${p.activation.timing}` : ''}
              </Row>
              <Row label="Local anaesthetic">{anaesthetic}</Row>
              <Row label="Injected">
                {fmt(p.injectedVolumeMl, 1, ' mL')}
                {p.injectedAt ? ` at ${dateTime(p.injectedAt, tz)}` : ''}
              </Row>
              <Row label="Site">
                {text(p.site)}
                {p.imageGuided === null ? '' : p.imageGuided ? `, image-guided${p.imagingModality ? ` (${p.imagingModality})` : ''}` : ', no image guidance'}
              </Row>
              <Row label="Product age">
                {c.productAgeHours === null ? '—' : `${fmt(c.productAgeHours, 1)} h`} <span className="muted">(limit {fmt(c.productAgeLimitHours, 0)} h from draw)</span>
              </Row>
              <Row label="Prepared">
                {dateTime(p.preparedAt, tz)}
                {p.preparedBy ? ` by ${p.preparedBy.displayName}` : ''}
              </Row>
            </dl>
          </section>

          <section>
            <h2>Reporting completeness (MIBO)</h2>
            <div>
              <strong>{fmt(c.completeness.percent, 0, ' %')}</strong> of applicable items recorded ({c.completeness.present.length} of{' '}
              {c.completeness.present.length + c.completeness.missing.length})
            </div>
            <div className="bar">
              <span style={{ width: `${Math.max(0, Math.min(100, c.completeness.percent))}%` }} />
            </div>
            {missingItems.length > 0 ? (
              <>
                <span className="label">Still missing</span>
                <ul className="mibo">
                  {missingItems.map((item) => (
                    <li key={item.id}>{item.label}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>

          <section className="full">
            <h2>Classifications</h2>
            {c.classifications ? (
              <table>
                <thead>
                  <tr>
                    <th>System</th>
                    <th>Code</th>
                    <th>Basis</th>
                  </tr>
                </thead>
                <tbody>
                  {classificationRows(c.classifications).map((row) => (
                    <tr key={row.system}>
                      <th>
                        {row.system} <span className="muted">({row.source})</span>
                      </th>
                      <td className="code">{row.code ?? '—'}</td>
                      <td>
                        {row.detail}
                        <Missing fields={row.missing} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="missing">Not classified: needs {c.missingForMetrics.join(', ')}.</p>
            )}
          </section>
        </div>

        {c.warnings.length > 0 ? (
          <section className="warnings">
            <h2>Warnings</h2>
            <ul>
              {c.warnings.map((w) => (
                <li key={`${w.code}${w.field}`}>{w.message}</li>
              ))}
            </ul>
          </section>
        ) : null}

        {p.notes ? (
          <section style={{ marginTop: '3mm' }}>
            <h2>Notes</h2>
            <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{p.notes}</p>
          </section>
        ) : null}

        <div className="sign">
          <div>Prepared by (name, signature)</div>
          <div>Identity checked at bedside (two identifiers)</div>
          <div>Injected by (name, signature)</div>
        </div>

        <footer>
          <span>
            Computed by autolog/science {c.scienceVersion} on {dateTime(c.computedAt, tz)}
            {c.upToDate ? '' : ` — the server now runs ${c.currentScienceVersion}; these values were not recomputed`}
          </span>
          <span>Times in {tz}</span>
        </footer>
      </main>
    </PrintDocument>
  );
}

/** GET /api/v1/preparations/:id/report — registered by the composition root (src/server.ts). */
export async function preparationReportPages(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/preparations/:id/report', {
    config: { access: 'preparation:read' },
    schema: { tags: ['preparations'], summary: 'Printable one-page preparation report (text/html, print CSS; the read is audited)', params: IdParams, produces: ['text/html'] },
  }, async (request, reply) => {
    const report = await getPreparationReport(services, actorOf(request), request.params.id);
    // Patient data: never stored by a browser or proxy cache.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(<PreparationReportPage report={report} />));
  });
}
