import { Suspense, type ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Layout } from './shell/Layout.js';
import NotFoundPage from './shell/NotFoundPage.js';
import { PORTAL_ROUTES, type PortalRoute } from './routes.js';
import { SessionProvider, useSession } from './session.js';
import { Loading, Page } from './ui.js';

export function App() {
  return (
    <BrowserRouter basename="/portal">
      <SessionProvider>
        <Layout>
          <Suspense fallback={<Loading />}>
            <Routes>
              {PORTAL_ROUTES.map((r) => (
                <Route key={r.path} path={r.path} element={<Guard route={r} />} />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </Layout>
      </SessionProvider>
    </BrowserRouter>
  );
}

/** Lets a page through, or says why not: sign in first, this link opens one ticket only, staff use the console. */
function Guard({ route }: { route: PortalRoute }): ReactNode {
  const { session } = useSession();
  const { t } = useTranslation();
  const location = useLocation();
  const Page_ = route.page;
  if (route.access === 'public') return <Page_ />;
  if (session === undefined) return <Loading />;
  if (session === null) return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (session.kind === 'staff') {
    return (
      <Page title={t('shell.staff.title')}>
        <p>{t('shell.staff.body')}</p>
        <a className="pt-button" href="/">
          {t('shell.staff.console')}
        </a>
      </Page>
    );
  }
  if (route.access === 'account' && session.kind === 'link') {
    return (
      <Page title={t('shell.linkOnly.title')}>
        <p>{t('shell.linkOnly.body', { number: session.ticketNumber })}</p>
        <p className="pt-actions">
          <Link className="pt-button" to={`/tickets/${session.ticketNumber}`}>
            {t('shell.linkOnly.open')}
          </Link>
          <Link className="pt-button pt-button-ghost" to="/signin">
            {t('shell.linkOnly.signIn')}
          </Link>
        </p>
      </Page>
    );
  }
  return <Page_ />;
}
