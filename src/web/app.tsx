import type { ReactElement } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { Layout } from './components/layout.js';
import { Loading } from './components/status.js';
import { AuditPage } from './pages/audit.js';
import { LoginPage } from './pages/login.js';
import { NotAllowedPage, NotFoundPage } from './pages/not-found.js';
import { OutboxPage } from './pages/outbox.js';
import { PatientDetailPage } from './pages/patient-detail.js';
import { PatientListPage } from './pages/patient-list.js';
import { PatientNewPage } from './pages/patient-new.js';
import { ResetPasswordPage } from './pages/reset-password.js';
import { SetupPage } from './pages/setup.js';
import { StaffPage } from './pages/staff.js';
import { loginUrlFor, safeNext } from './navigation.js';
import { useSession } from './session.js';
import type { Permission } from './types.js';

/**
 * Which screens exist depends on the state of the installation and the session: setup until an
 * account exists, sign-in until someone is signed in (remembering where they were headed), and
 * the staff screens their role allows.
 */
export function App() {
  const { session, setupNeeded, signedOut, can } = useSession();
  const location = useLocation();

  if (session === undefined || setupNeeded === undefined) {
    return <div className="boot"><Loading label="Starting Autolog…" /></div>;
  }
  if (setupNeeded) {
    return (
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route path="*" element={<Navigate to="/setup" replace />} />
      </Routes>
    );
  }
  if (!session) {
    const here = `${location.pathname}${location.search}`;
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="*" element={<Navigate to={signedOut ? '/login' : loginUrlFor(here)} replace />} />
      </Routes>
    );
  }
  const guard = (permission: Permission, page: ReactElement) => (can(permission) ? page : <NotAllowedPage />);
  return (
    <Routes>
      <Route path="/login" element={<AfterSignIn />} />
      <Route path="/setup" element={<Navigate to="/patients" replace />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/patients" replace />} />
        <Route path="/patients" element={guard('patient:read', <PatientListPage />)} />
        <Route path="/patients/new" element={guard('patient:write', <PatientNewPage />)} />
        <Route path="/patients/:id" element={guard('patient:read', <PatientDetailPage />)} />
        <Route path="/staff" element={guard('staff:manage', <StaffPage />)} />
        <Route path="/audit" element={guard('audit:read', <AuditPage />)} />
        <Route path="/outbox" element={guard('outbox:read', <OutboxPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** Just signed in on /login: continue to the page the person was on (or meant to open). */
function AfterSignIn() {
  const [params] = useSearchParams();
  return <Navigate to={safeNext(params.get('next'))} replace />;
}
