import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PortalUnit } from '../../shared/portal.js';
import { api } from '../api.js';
import { StatusBadge } from '../tickets/StatusBadge.js';
import { WarrantyBadge } from './WarrantyBadge.js';
import { Alert, Card, DateTime, Loading, Page, useLoad } from '../ui.js';

/** The day in China (where the service happens), as YYYY-MM-DD. */
const chinaDay = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/** My units: warranty status and each one's service history (a replacement's includes the unit it replaced). */
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
          {u.replaces.map((r) => (
            <p key={`${r.serialNumber}-${r.at}`} className="pt-muted pt-small" data-testid="unit-replaces">
              {t('units.replaces', { serial: r.serialNumber ?? '—', date: chinaDay(r.at) })}
            </p>
          ))}
          {u.replacedBy ? (
            <p className="pt-muted pt-small" data-testid="unit-replaced-by">
              {t('units.replacedBy', { serial: u.replacedBy.serialNumber ?? '—', date: chinaDay(u.replacedBy.at) })}
            </p>
          ) : null}
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
                      {tk.serialNumber && tk.serialNumber !== u.serialNumber ? <span>{t('units.onSerial', { serial: tk.serialNumber })}</span> : null}
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
