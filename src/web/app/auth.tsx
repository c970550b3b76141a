// Session state: restored at page load with GET /api/me, set by login, cleared by logout or any 401.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';
import { configureApi, isApiError, setCsrfToken } from '../api/client.js';
import { authApi } from '../api/endpoints.js';
import type { User } from '../api/types.js';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  error: Error | null;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  retry(): void;
  /** Re-reads the session (e.g. after a language switch: the department name is translated by the server). */
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const { t } = useTranslation();
  const statusRef = useRef(status);
  statusRef.current = status;

  useEffect(() => {
    let cancelled = false;
    setStatus('loading');
    authApi
      .me()
      .then((res) => {
        if (cancelled) return;
        setCsrfToken(res.csrfToken);
        setUser(res.user);
        setStatus('authenticated');
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (isApiError(err) && err.status === 401) {
          setStatus('anonymous');
        } else {
          setError(err instanceof Error ? err : new Error(String(err)));
          setStatus('error');
        }
      });
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    configureApi({
      onUnauthenticated: () => {
        if (statusRef.current !== 'authenticated') return;
        setCsrfToken(null);
        setUser(null);
        setStatus('anonymous');
        queryClient.clear();
        void message.warning({ content: t('auth.sessionExpired'), key: 'session-expired' });
      },
    });
    return () => configureApi({ onUnauthenticated: null });
  }, [queryClient, message, t]);

  const login = useCallback(
    async (username: string, password: string) => {
      const res = await authApi.login(username, password);
      setCsrfToken(res.csrfToken);
      queryClient.clear();
      setUser(res.user);
      setStatus('authenticated');
      return res.user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // the cookie may already be gone; the local session ends either way
    }
    setCsrfToken(null);
    setUser(null);
    setStatus('anonymous');
    queryClient.clear();
    // The field page's service worker keeps the last session and day's visits for offline use: not for the next user.
    if (typeof caches !== 'undefined') void caches.delete('field-api').catch(() => undefined);
  }, [queryClient]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const refresh = useCallback(async () => {
    if (statusRef.current !== 'authenticated') return;
    try {
      const res = await authApi.me();
      setCsrfToken(res.csrfToken);
      setUser(res.user);
    } catch {
      // keep the current user; a real session loss is handled by the 401 listener
    }
  }, []);

  const value = useMemo(
    () => ({ status, user, error, login, logout, retry, refresh }),
    [status, user, error, login, logout, retry, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}

/** The logged-in user (only call below <RequireAuth>). */
export function useCurrentUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useCurrentUser without a session');
  return user;
}
