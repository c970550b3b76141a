import { useEffect, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { setFallbackMessages } from '../api.js';
import { changeLanguage, currentLanguage } from '../i18n.js';
import { PORTAL_ROUTES } from '../routes.js';
import { useSession } from '../session.js';

/** Header (brand, the pages of the signed-in customer, language, sign in / out), the page, a footer. Mobile first. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  useEffect(() => setFallbackMessages((code, status) => (code === 'network' ? t('shell.errors.network') : t('shell.errors.http', { status }))), [t]);

  const account = session?.kind === 'account';
  const nav = PORTAL_ROUTES.filter((r) => r.nav && (account || r.nav.everyone)).sort((a, b) => a.nav!.order - b.nav!.order);

  const onSignOut = async () => {
    await signOut();
    navigate('/signin');
  };

  return (
    <div className="pt-shell">
      <a className="pt-skip" href="#pt-main">
        {t('shell.skip')}
      </a>
      <header className="pt-header">
        <div className="pt-header-row">
          <Link to="/" className="pt-brand">
            <span className="pt-logo" aria-hidden="true">
              ✓
            </span>
            {t('shell.brand')}
          </Link>
          <div className="pt-header-tools">
            <LanguageSwitch />
            {session && session.kind !== 'staff' ? (
              <button type="button" className="pt-link-button" onClick={() => void onSignOut()} data-testid="sign-out">
                {t('shell.signOut')}
              </button>
            ) : session === null ? (
              <Link to="/signin" className="pt-link-button" data-testid="sign-in-link">
                {t('shell.signIn')}
              </Link>
            ) : null}
          </div>
        </div>
        {nav.length > 0 ? (
          <nav className="pt-nav" aria-label={t('shell.navLabel')}>
            {nav.map((r) => (
              <NavLink key={r.path} to={r.path} end={r.path === '/'} className={({ isActive }) => (isActive ? 'pt-nav-item pt-nav-active' : 'pt-nav-item')}>
                {t(r.nav!.label)}
              </NavLink>
            ))}
          </nav>
        ) : null}
      </header>
      <main id="pt-main" className="pt-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="pt-footer">{t('shell.footer')}</footer>
    </div>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const next = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    // Named by what it shows (the other language, in that language) plus hidden words, not an aria-label that would
    // leave the shown name out (axe label-content-name-mismatch).
    <button type="button" className="pt-link-button" onClick={() => void changeLanguage(next)} data-testid="language-switch">
      <span className="pt-sr-only">{t('shell.languageSwitch')} </span>
      <span lang={next}>{next === 'en' ? 'English' : '中文'}</span>
    </button>
  );
}
