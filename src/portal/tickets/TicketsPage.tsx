import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TicketListItem } from '../../shared/schemas.js';
import { api } from '../api.js';
import { Alert, DateTime, Loading, Page, useLoad } from '../ui.js';
import { StatusBadge } from './StatusBadge.js';

type Page_ = { items: TicketListItem[]; nextCursor: string | null };

/** My tickets: open ones first (a tab each), newest first, 20 at a time. */
export default function TicketsPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  const [more, setMore] = useState<TicketListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, error, loading } = useLoad(
    async (signal) => {
      const r = await api.get<Page_>('/tickets', { open, limit: 20, sort: 'updated_desc' }, { signal });
      setMore([]);
      setCursor(r.nextCursor);
      return r;
    },
    [open],
  );
  const loadMore = async () => {
    if (!cursor) return;
    const r = await api.get<Page_>('/tickets', { open, limit: 20, sort: 'updated_desc', cursor });
    setMore((m) => [...m, ...r.items]);
    setCursor(r.nextCursor);
  };
  const items = [...(data?.items ?? []), ...more];

  return (
    <Page title={t('tickets.title')}>
      <p className="pt-actions" style={{ marginTop: 0, marginBottom: 16 }}>
        <Link to="/new" className="pt-button" data-testid="new-request">
          {t('tickets.new')}
        </Link>
      </p>
      <div className="pt-tabs" role="tablist" aria-label={t('tickets.title')}>
        {[true, false].map((o) => (
          <button key={String(o)} type="button" role="tab" aria-selected={open === o} className={open === o ? 'pt-tab pt-tab-active' : 'pt-tab'} onClick={() => setOpen(o)}>
            {t(o ? 'tickets.open' : 'tickets.done')}
          </button>
        ))}
      </div>
      {error ? <Alert>{error.message}</Alert> : null}
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p className="pt-muted">{t(open ? 'tickets.noneOpen' : 'tickets.noneDone')}</p> : null}
      <ul className="pt-list" data-testid="ticket-list">
        {items.map((it) => (
          <li key={it.number}>
            <Link to={`/tickets/${it.number}`} className="pt-list-item" data-testid="ticket-item">
              <div className="pt-list-head">
                <span className="pt-list-title">{it.title}</span>
                <StatusBadge status={it.status} />
              </div>
              <div className="pt-meta">
                <span>
                  {t('tickets.number')} {it.number}
                </span>
                {it.productModel ? <span>{it.productModel}</span> : null}
                <span>
                  {t('tickets.updated')} <DateTime iso={it.updatedAt} />
                </span>
              </div>
            </Link>
          </li>
        ))}
      </ul>
      {cursor ? (
        <button type="button" className="pt-button pt-button-ghost pt-button-block" onClick={() => void loadMore()}>
          {t('tickets.more')}
        </button>
      ) : null}
    </Page>
  );
}
