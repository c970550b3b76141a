// /portal/unsubscribe/:token — the link at the end of every optional message: opt out (or back in) without signing in.
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { Alert, Card, Loading, Page, useLoad } from '../ui.js';

interface View {
  customerName: string;
  optOut: boolean;
}

export default function UnsubscribePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const view = useLoad((signal) => api.get<View>(`/messages/unsubscribe/${encodeURIComponent(token)}`, undefined, { signal }), [token]);
  const [state, setState] = useState<{ optOut: boolean; done: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = async (optOut: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<View>(`/messages/unsubscribe/${encodeURIComponent(token)}`, { optOut });
      setState({ optOut: r.optOut, done: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (view.loading && !view.data) return <Loading />;
  if (view.error || !view.data) {
    return (
      <Page title={t('messages.unsubscribe.title')}>
        <Alert testId="unsubscribe-invalid">{t('messages.unsubscribe.invalid')}</Alert>
      </Page>
    );
  }
  const optOut = state?.optOut ?? view.data.optOut;
  return (
    <Page title={t('messages.unsubscribe.title')}>
      <Card testId="unsubscribe-card">
        <p>
          <strong>{t('messages.unsubscribe.hello', { name: view.data.customerName })}</strong>
        </p>
        {state?.done ? (
          <Alert kind="success" testId="unsubscribe-done">
            {optOut ? t('messages.unsubscribe.doneOut') : t('messages.unsubscribe.doneIn')}
          </Alert>
        ) : (
          <p>{optOut ? t('messages.unsubscribe.optedOut') : t('messages.unsubscribe.subscribed')}</p>
        )}
        <p className="pt-muted pt-small">{t('messages.unsubscribe.essential')}</p>
        {error ? <Alert>{error}</Alert> : null}
        <div className="pt-actions">
          {optOut ? (
            <button type="button" className="pt-button pt-button-ghost pt-button-block" disabled={busy} onClick={() => void change(false)} data-testid="unsubscribe-optin">
              {t('messages.unsubscribe.optIn')}
            </button>
          ) : (
            <button type="button" className="pt-button pt-button-block" disabled={busy} onClick={() => void change(true)} data-testid="unsubscribe-optout">
              {t('messages.unsubscribe.optOut')}
            </button>
          )}
        </div>
      </Card>
    </Page>
  );
}
