import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, onSessionEnded, setCsrfToken } from './api.js';
import type { Meta, Permission, SessionView } from './types.js';

/**
 * Who is signed in, what they may do, and the reference lists forms need. The server decides
 * every permission again on each request; the app only uses them to hide what would be refused.
 */
interface SessionState {
  /** undefined while the first check runs; null when nobody is signed in. */
  session: SessionView | null | undefined;
  setupNeeded: boolean | undefined;
  meta: Meta | undefined;
  /** Why the person was sent to the sign-in page (session expired, signed out). */
  notice: string | undefined;
  /** True after "Sign out": the next person to sign in should start afresh, not where this one was. */
  signedOut: boolean;
  can: (permission: Permission) => boolean;
  roleLabel: (role: string) => string;
  signedIn: (session: SessionView) => void;
  signOut: () => Promise<void>;
  clearNotice: () => void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [setupNeeded, setSetupNeeded] = useState<boolean | undefined>(undefined);
  const [meta, setMeta] = useState<Meta | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [signedOut, setSignedOut] = useState(false);
  const [bootError, setBootError] = useState<string | undefined>(undefined);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const signedIn = useCallback((view: SessionView) => {
    setCsrfToken(view.csrfToken);
    setSetupNeeded(false);
    setNotice(undefined);
    setSignedOut(false);
    setSession(view);
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const { needed } = await api.get<{ needed: boolean }>('/setup', undefined, undefined, true);
        if (cancelled) return;
        setSetupNeeded(needed);
        if (needed) {
          setSession(null);
          return;
        }
        const view = await api.get<SessionView>('/auth/session', undefined, undefined, true);
        if (!cancelled) signedIn(view);
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) setSession(null);
        else setBootError(error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  useEffect(() => {
    onSessionEnded((problem) => {
      // Only a session that existed can have ended; a 401 with nobody signed in needs no notice.
      if (!sessionRef.current) return;
      setCsrfToken(undefined);
      setNotice(problem.detail || 'Your session has ended. Sign in again to continue.');
      setSession(null);
    });
    return () => onSessionEnded(undefined);
  }, []);

  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    api.get<Meta>('/meta').then((m) => !cancelled && setMeta(m), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [session]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      setCsrfToken(undefined);
      setSignedOut(true);
      setSession(null);
      setNotice('You have signed out.');
    }
  }, []);

  const value = useMemo<SessionState>(() => ({
    session, setupNeeded, meta, notice, signedOut, signedIn, signOut,
    can: (permission) => Boolean(session?.permissions.includes(permission)),
    roleLabel: (role) => meta?.roles[role] ?? role,
    clearNotice: () => setNotice(undefined),
  }), [session, setupNeeded, meta, notice, signedOut, signedIn, signOut]);

  if (bootError) {
    return (
      <main className="boot-error" id="main">
        <h1>Autolog cannot start</h1>
        <p role="alert">{bootError}</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>Try again</button>
      </main>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
