import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LinkOpened } from '../../shared/portal.js';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { Alert, Loading, Page } from '../ui.js';

/** `/portal/t/:token`, the link in every customer message: opens that one ticket, with no account needed. */
export default function LinkPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .post<LinkOpened>('/portal/link', { token })
      .then(async (r) => {
        // A signed-in customer of that ticket keeps their own session.
        await refresh();
        if (live) navigate(`/tickets/${r.ticketNumber}`, { replace: true });
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [token, refresh, navigate]);

  if (!error) return <Loading />;
  return (
    <Page title={t('link.failed')}>
      <Alert testId="link-error">{error}</Alert>
      <Link className="pt-button" to="/signin">
        {t('link.signIn')}
      </Link>
    </Page>
  );
}
