import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../components/layout.js';
import { PatientForm } from '../components/patient-form.js';
import { useTitle } from '../hooks.js';

export function PatientNewPage() {
  useTitle('New patient');
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New patient" eyebrow={<Link to="/patients">Patients</Link>} />
      <div className="panel panel-padded panel-form">
        <PatientForm
          onSaved={(p) => navigate(`/patients/${p.id}`, { state: { flash: `${p.givenName} ${p.familyName} is registered.` } })}
          onCancel={() => navigate('/patients')}
        />
      </div>
    </>
  );
}
