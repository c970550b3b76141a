// The assistant beside the new-request form (a NEW_REQUEST_ASIDE slot of portal/tickets/slots.ts): folded until the
// customer opens it, so the form stays first on a phone.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Card } from '../ui.js';
import { ChatBox } from './ChatBox.js';

export default function AssistAside() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Card title={t('assist.title')} testId="assist-aside">
      {open ? (
        <ChatBox compact />
      ) : (
        <>
          <p className="pt-small pt-muted">{t('assist.intro')}</p>
          <button type="button" className="pt-button pt-button-ghost pt-button-block" onClick={() => setOpen(true)} data-testid="assist-open">
            {t('assist.open')}
          </button>
        </>
      )}
    </Card>
  );
}
