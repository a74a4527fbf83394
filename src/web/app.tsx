import { Suspense, lazy, type ReactElement } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { Layout } from './components/layout.js';
import { Loading } from './components/status.js';
import { ArticleEditorPage } from './pages/article-editor.js';
import { ArticleListPage } from './pages/article-list.js';
import { ArticleRevisionsPage } from './pages/article-revisions.js';
import { AuditPage } from './pages/audit.js';
import { AuthorProfilePage } from './pages/author-profile.js';
import { CommentsPage } from './pages/comments.js';
import { LoginPage } from './pages/login.js';
import { NotAllowedPage, NotFoundPage } from './pages/not-found.js';
import { OutboxPage } from './pages/outbox.js';
import { PatientDetailPage } from './pages/patient-detail.js';
import { PatientListPage } from './pages/patient-list.js';
import { PatientNewPage } from './pages/patient-new.js';
import { ResetPasswordPage } from './pages/reset-password.js';
import { SetupPage } from './pages/setup.js';
import { ClinicPage } from './pages/clinic.js';
import { StaffPage } from './pages/staff.js';
import { HOME, loginUrlFor, safeNext } from './navigation.js';
import { useSession } from './session.js';
import type { Permission } from './types.js';

// The lab screens carry the science library; they load when first opened, not with every page.
const PreparationPage = lazy(() => import('./pages/preparation.js').then((m) => ({ default: m.PreparationPage })));
const ProtocolsPage = lazy(() => import('./pages/protocols.js').then((m) => ({ default: m.ProtocolsPage })));
// The outcome screens carry the questionnaire and responder code of the science library: loaded when first opened.
const EpisodeFollowUpPage = lazy(() => import('./pages/episode-follow-up.js').then((m) => ({ default: m.EpisodeFollowUpPage })));
const OutcomesPage = lazy(() => import('./pages/outcomes.js').then((m) => ({ default: m.OutcomesPage })));
const FollowUpWorklistPage = lazy(() => import('./pages/follow-up-worklist.js').then((m) => ({ default: m.FollowUpWorklistPage })));
const OutcomeSettingsPage = lazy(() => import('./pages/outcome-settings.js').then((m) => ({ default: m.OutcomeSettingsPage })));
// The pathway screens carry the injection and assessment code of the science library: loaded when first opened.
const EpisodePathwayPage = lazy(() => import('./pages/episode-pathway.js').then((m) => ({ default: m.EpisodePathwayPage })));
const WorklistPage = lazy(() => import('./pages/worklist.js').then((m) => ({ default: m.WorklistPage })));
const LeadsPage = lazy(() => import('./pages/leads.js').then((m) => ({ default: m.LeadsPage })));
const PathwaySettingsPage = lazy(() => import('./pages/pathway-settings.js').then((m) => ({ default: m.PathwaySettingsPage })));
const later = (page: ReactElement) => <Suspense fallback={<Loading />}>{page}</Suspense>;

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
      <Route path="/setup" element={<Navigate to={HOME} replace />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route element={<Layout />}>
        <Route index element={<Navigate to={HOME} replace />} />
        <Route path="/patients" element={guard('patient:read', <PatientListPage />)} />
        <Route path="/patients/new" element={guard('patient:write', <PatientNewPage />)} />
        <Route path="/patients/:id" element={guard('patient:read', <PatientDetailPage />)} />
        <Route path="/preparations/new" element={guard('preparation:write', later(<PreparationPage />))} />
        <Route path="/preparations/:id" element={guard('preparation:read', later(<PreparationPage />))} />
        <Route path="/protocols" element={guard('preparation:read', later(<ProtocolsPage />))} />
        <Route path="/articles" element={guard('article:write', <ArticleListPage />)} />
        <Route path="/articles/new" element={guard('article:write', <ArticleEditorPage />)} />
        <Route path="/articles/:id" element={guard('article:write', <ArticleEditorPage />)} />
        <Route path="/articles/:id/revisions" element={guard('article:write', <ArticleRevisionsPage />)} />
        <Route path="/author-profile" element={guard('article:write', <AuthorProfilePage />)} />
        <Route path="/comments" element={guard('comment:moderate', <CommentsPage />)} />
        <Route path="/episodes/:id" element={guard('episode:read', later(<EpisodePathwayPage />))} />
        <Route path="/worklist" element={later(<WorklistPage />)} />
        <Route path="/leads" element={guard('lead:read', later(<LeadsPage />))} />
        <Route path="/pathway-settings" element={guard('assessment:read', later(<PathwaySettingsPage />))} />
        <Route path="/episodes/:id/follow-up" element={guard('outcome:read', later(<EpisodeFollowUpPage />))} />
        <Route path="/outcomes" element={guard('outcome:read', later(<OutcomesPage />))} />
        <Route path="/follow-up" element={guard('outcome:read', later(<FollowUpWorklistPage />))} />
        <Route path="/outcome-settings" element={guard('outcome:read', later(<OutcomeSettingsPage />))} />
        <Route path="/clinic" element={<ClinicPage />} />
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
