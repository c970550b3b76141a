// Who is using the portal: a customer signed in with their account, a visitor following one ticket through a signed
// link, a staff member (who is sent to the console), or nobody. Read once from GET /api/portal/session (401 when
// nobody is signed in, read here as a null session) and again after signing in or out.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PortalSession } from '../shared/portal.js';
import { api, onUnauthenticated, setCsrfToken } from './api.js';

interface SessionState {
  /** undefined while loading. */
  session: PortalSession | null | undefined;
  refresh(): Promise<PortalSession | null>;
  signOut(): Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<PortalSession | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    const r = await api.get<{ session: PortalSession | null }>('/portal/session').catch(() => ({ session: null }));
    setCsrfToken(r.session?.csrfToken ?? null);
    setSession(r.session);
    return r.session;
  }, []);

  const signOut = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setSession(null);
  }, []);

  useEffect(() => {
    void refresh();
    // A 401 on a signed-in page means the session ended (expired, account disabled): show the signed-out portal.
    onUnauthenticated(() => {
      setCsrfToken(null);
      setSession(null);
    });
    return () => onUnauthenticated(null);
  }, [refresh]);

  const value = useMemo(() => ({ session, refresh, signOut }), [session, refresh, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
