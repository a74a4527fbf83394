import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../session.js';
import type { Permission } from '../types.js';
import { PendingCommentsBadge } from './pending-comments.js';
import { CLINIC_SCREENS, isClinicPath } from '../navigation.js';

// `permission` undefined: every signed-in role (the worklist is per role). `clinic`: shown when the
// role may open at least one of the screens gathered on the Clinic page.
const NAV: { to: string; label: string; permission?: Permission; clinic?: true; badge?: () => ReactNode }[] = [
  { to: '/worklist', label: 'Worklist' },
  { to: '/patients', label: 'Patients', permission: 'patient:read' },
  { to: '/leads', label: 'Leads', permission: 'lead:read' },
  { to: '/protocols', label: 'Protocols', permission: 'preparation:read' },
  { to: '/outcomes', label: 'Outcomes', permission: 'outcome:read' },
  { to: '/follow-up', label: 'Follow-up', permission: 'outcome:read' },
  { to: '/articles', label: 'Articles', permission: 'article:write' },
  { to: '/comments', label: 'Comments', permission: 'comment:moderate', badge: () => <PendingCommentsBadge /> },
  { to: '/clinic', label: 'Clinic', clinic: true },
];

/** The frame of every signed-in screen: top bar, navigation the role may use, and the page. */
export function Layout() {
  const { session, can, roleLabel, signOut } = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const firstRender = useRef(true);

  // A new screen moves focus to its heading, so keyboard and screen-reader users start there
  // (query changes, such as typing a search, keep focus where it is).
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      (heading ?? document.getElementById('main'))?.focus({ preventScroll: false });
    });
    return () => cancelAnimationFrame(frame);
  }, [location.pathname]);

  if (!session) return null;
  const items = NAV.filter((item) => item.clinic ? CLINIC_SCREENS.some((s) => can(s.permission)) : !item.permission || can(item.permission));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to main content</a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-text">
              <span className="brand-clinic">{session.clinic.name}</span>
              <span className="brand-product">Autolog</span>
            </span>
          </div>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-icon" aria-hidden="true" />
            Menu
          </button>
          <div className={`topbar-menu${menuOpen ? ' open' : ''}`} id="primary-nav">
            <nav aria-label="Main">
              <ul className="nav-list">
                {items.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} className={({ isActive }) => `nav-link${isActive || (item.clinic && isClinicPath(location.pathname)) ? ' active' : ''}`}>{item.label}{item.badge?.()}</NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="account">
              <span className="account-name">
                {session.user.displayName}
                <span className="account-role">{roleLabel(session.user.role)}</span>
              </span>
              <button
                type="button"
                className="button button-quiet button-small"
                disabled={signingOut}
                onClick={() => {
                  setSigningOut(true);
                  void signOut().finally(() => setSigningOut(false));
                }}
              >
                Sign out
              </button>
            </div>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        <Outlet />
      </main>
    </div>
  );
}

/** A screen's title row: the one h1 of the page (focused on navigation) and its actions. */
export function PageHeader({ title, children, eyebrow }: { title: ReactNode; children?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="page-heading">
        {eyebrow && <div className="eyebrow">{eyebrow}</div>}
        <h1 tabIndex={-1}>{title}</h1>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** The frame of the signed-out screens (setup, sign-in, password reset): a centred card. */
export function AuthFrame({ title, intro, children, wide }: { title: string; intro?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth-shell">
      <a className="skip-link" href="#main">Skip to main content</a>
      <main id="main" tabIndex={-1} className={`auth-card${wide ? ' auth-card-wide' : ''}`}>
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Autolog</span>
        </div>
        <h1 tabIndex={-1}>{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </main>
    </div>
  );
}
