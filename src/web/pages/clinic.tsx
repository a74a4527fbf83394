import { Link } from 'react-router';
import { PageHeader } from '../components/layout.js';
import { useTitle } from '../hooks.js';
import { useSession } from '../session.js';
import { CLINIC_SCREENS } from '../navigation.js';

/**
 * The clinic's own configuration and records kept for oversight, gathered on one page so the
 * main navigation keeps to the screens people use every day.
 */
export function ClinicPage() {
  useTitle('Clinic');
  const { can } = useSession();
  const screens = CLINIC_SCREENS.filter((s) => can(s.permission));
  return (
    <>
      <PageHeader title="Clinic" />
      <section className="panel">
        <ul className="clinic-screens">
          {screens.map((s) => (
            <li key={s.to}>
              <Link to={s.to} className="clinic-screen-link">{s.label}</Link>
              <p className="muted small">{s.description}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
