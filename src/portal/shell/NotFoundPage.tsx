import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../ui.js';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('shell.notFound.title')}>
      <p>{t('shell.notFound.body')}</p>
      <Link className="pt-button" to="/">
        {t('shell.notFound.home')}
      </Link>
    </Page>
  );
}
