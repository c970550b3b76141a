import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PortalUnit } from '../../shared/portal.js';
import { api } from '../api.js';
import { StatusBadge } from '../tickets/StatusBadge.js';
import { WarrantyBadge } from './WarrantyBadge.js';
import { Alert, Card, DateTime, Loading, Page, useLoad } from '../ui.js';

/** My units: warranty status and each one's service history. */
export default function UnitsPage() {
  const { t } = useTranslation();
  const { data, error } = useLoad((signal) => api.get<{ items: PortalUnit[] }>('/portal/units', undefined, { signal }), []);
  return (
    <Page title={t('units.title')}>
      {error ? <Alert>{error.message}</Alert> : null}
      {!data && !error ? <Loading /> : null}
      {data && data.items.length === 0 ? <p className="pt-muted">{t('units.none')}</p> : null}
      {data?.items.map((u) => (
        <Card key={u.id} title={u.productName ?? u.productModel} testId="unit-card">
          <p style={{ marginTop: -6 }}>
            <WarrantyBadge unit={u} />
          </p>
          <dl className="pt-dl">
            <dt>{t('units.model')}</dt>
            <dd>{u.productModel}</dd>
            {u.serialNumber ? (
              <>
                <dt>{t('units.serial')}</dt>
                <dd>{u.serialNumber}</dd>
              </>
            ) : null}
            {u.purchaseDate ? (
              <>
                <dt>{t('units.purchased')}</dt>
                <dd>{u.purchaseDate}</dd>
              </>
            ) : null}
            {u.installDate ? (
              <>
                <dt>{t('units.installed')}</dt>
                <dd>{u.installDate}</dd>
              </>
            ) : null}
          </dl>
          <h3 className="pt-subtitle">{t('units.history')}</h3>
          {u.tickets.length === 0 ? (
            <p className="pt-muted pt-small">{t('units.noHistory')}</p>
          ) : (
            <ul className="pt-list">
              {u.tickets.map((tk) => (
                <li key={tk.number}>
                  <Link to={`/tickets/${tk.number}`} className="pt-list-item pt-list-item-flat">
                    <div className="pt-list-head">
                      <span className="pt-list-title">{tk.title}</span>
                      <StatusBadge status={tk.status} />
                    </div>
                    <div className="pt-meta">
                      <span>
                        {t('tickets.number')} {tk.number}
                      </span>
                      <DateTime iso={tk.createdAt} />
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <p className="pt-actions">
            <Link className="pt-button pt-button-ghost" to={`/new?unit=${u.id}`}>
              {t('units.report')}
            </Link>
          </p>
        </Card>
      ))}
    </Page>
  );
}
