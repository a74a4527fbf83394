import { useEffect, type FormEvent } from 'react';
import { Link } from 'react-router';
import { announce } from '../announce.js';
import { api } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { TextField } from '../components/field.js';
import { PageHeader } from '../components/layout.js';
import { Pager } from '../components/pager.js';
import { LoadError } from '../components/status.js';
import { SEX_LABELS, ageOf, formatDate, patientName } from '../format.js';
import { useAddressSearch, useLoad, useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import type { Page, PatientSummary } from '../types.js';

const PAGE_SIZE = 25;

/** Patients, searched by name or MRN prefix and birth date. The address bar holds the search. */
export function PatientListPage() {
  useTitle('Patients');
  const { can } = useSession();
  const { params, q, page, text, setText, update } = useAddressSearch();
  const birthDate = params.get('birthDate') ?? '';

  const result = useLoad((signal) => api.get<Page<PatientSummary>>('/patients', { q, birthDate, page, pageSize: PAGE_SIZE }, signal), [q, birthDate, page]);
  const total = result.data?.total;
  useEffect(() => {
    if (total !== undefined) announce(`${total} ${total === 1 ? 'patient' : 'patients'} found`);
  }, [total, q, birthDate]);

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: text.trim(), page: '' });
  }

  const searching = Boolean(q || birthDate);
  return (
    <>
      <PageHeader title="Patients">
        {can('patient:write') && <Link className="button button-primary" to="/patients/new">New patient</Link>}
      </PageHeader>
      <form role="search" aria-label="Patients" className="search-bar" onSubmit={submit}>
        <TextField
          id="search-q" label="Name or MRN" type="search" value={text} onChange={(e) => setText(e.target.value)}
          placeholder="e.g. hopper grace, MRN-0012" autoComplete="off" spellCheck={false} className="search-text"
        />
        <TextField
          id="search-birthDate" label="Birth date" type="date" value={birthDate} max="9999-12-31"
          onChange={(e) => update({ birthDate: e.target.value, page: '' })} className="search-date"
        />
        {searching && (
          <button type="button" className="button button-quiet search-clear" onClick={() => { setText(''); update({ q: '', birthDate: '', page: '' }); }}>
            Clear
          </button>
        )}
      </form>
      {result.error && <LoadError problem={result.error} onRetry={result.reload} />}
      {result.data && (
        <section aria-labelledby="patients-results" className="panel">
          <div className="panel-header">
            <h2 id="patients-results" className="panel-title">
              {searching ? 'Matching patients' : 'All patients'}
              <span className="count">{result.data.total}</span>
            </h2>
          </div>
          <DataTable<PatientSummary>
            caption={searching ? 'Patients matching the search' : 'All patients, by family name'}
            captionHidden
            busy={result.loading}
            rows={result.data.items}
            rowKey={(p) => p.id}
            empty={searching ? 'No patient matches this search. Check the spelling, or search by MRN.' : 'No patients yet.'}
            columns={[
              { header: 'Name', rowHeader: true, cell: (p) => <Link to={`/patients/${p.id}`}>{patientName(p)}</Link> },
              { header: 'MRN', cell: (p) => <span className="mono">{p.mrn}</span> },
              { header: 'Birth date', cell: (p) => <>{formatDate(p.birthDate)} <span className="muted">({ageOf(p.birthDate)} y)</span></> },
              { header: 'Sex', cell: (p) => SEX_LABELS[p.sex] ?? p.sex },
            ]}
          />
          <Pager page={result.data.page} pageSize={result.data.pageSize} total={result.data.total} onPage={(n) => update({ page: n === 1 ? '' : String(n) })} />
        </section>
      )}
      {!result.data && !result.error && <p className="loading" role="status">Loading patients…</p>}
    </>
  );
}
