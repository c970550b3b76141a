import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PORTAL_ROUTES } from '../routes.js';
import { useSession } from '../session.js';
import { Loading, Page } from '../ui.js';

/** The portal's start: signed in, the customer's pages as large tiles; signed out, what the portal offers and sign in. */
export default function HomePage() {
  const { t } = useTranslation();
  const { session } = useSession();
  if (session === undefined) return <Loading />;
  if (session?.kind === 'link') {
    return (
      <Page title={t('shell.home.title')}>
        <p>{t('shell.linkOnly.body', { number: session.ticketNumber })}</p>
        <Link className="pt-button" to={`/tickets/${session.ticketNumber}`}>
          {t('shell.linkOnly.open')}
        </Link>
      </Page>
    );
  }
  if (session?.kind === 'staff') {
    return (
      <Page title={t('shell.staff.title')}>
        <p>{t('shell.staff.body')}</p>
        <a className="pt-button" href="/">
          {t('shell.staff.console')}
        </a>
      </Page>
    );
  }
  const tiles = PORTAL_ROUTES.filter((r) => r.nav && (session || r.nav.everyone)).sort((a, b) => a.nav!.order - b.nav!.order);
  return (
    <Page title={session ? t('shell.home.greeting', { name: session.name }) : t('shell.home.title')}>
      {session ? null : (
        <>
          <p className="pt-lead">{t('shell.home.intro')}</p>
          <p>
            <Link className="pt-button" to="/signin" data-testid="home-sign-in">
              {t('shell.signIn')}
            </Link>
          </p>
        </>
      )}
      {tiles.length > 0 ? (
        <ul className="pt-tiles">
          {tiles.map((r) => (
            <li key={r.path}>
              <Link to={r.path} className="pt-tile">
                {t(r.nav!.label)}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Page>
  );
}
