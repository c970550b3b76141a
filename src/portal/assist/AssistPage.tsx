// /portal/assist: the smart assistant on a page of its own.
import { useTranslation } from 'react-i18next';
import { Page } from '../ui.js';
import { ChatBox } from './ChatBox.js';

export default function AssistPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('assist.title')}>
      <p className="pt-muted pt-small">{t('assist.intro')}</p>
      <ChatBox />
    </Page>
  );
}
