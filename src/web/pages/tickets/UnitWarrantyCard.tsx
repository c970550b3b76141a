// The ticket's unit and its warranty, prominently: in / out (charged by the fee standard) / unknown – proof needed.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { unitApi } from '../../api/products.js';
import type { Ticket } from '../../api/types.js';
import { WarrantyBanner } from '../../components/warranty.js';

export function UnitWarrantyCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const serial = ticket.serialNumber;
  const q = useQuery({
    queryKey: ['unit-lookup', serial, ticket.productModel],
    queryFn: ({ signal }) => unitApi.lookup(serial!, ticket.productModel ?? undefined, signal),
    enabled: !!serial,
  });
  if (!serial) return null;
  const unit = q.data?.items[0];
  return (
    <Card size="small" title={t('units.ticketCard')} data-testid="ticket-unit-card" loading={q.isLoading}>
      {unit ? (
        <>
          <WarrantyBanner warranty={unit.warranty} testId="ticket-warranty" />
          <div style={{ marginTop: 8 }}>
            <Link to={`/units/${unit.id}`} data-testid="ticket-unit-link">
              {unit.serialNumber} · {unit.productName ?? unit.productModel}
            </Link>
          </div>
        </>
      ) : (
        <Typography.Text type="secondary">{t('units.notOnFile', { serial })}</Typography.Text>
      )}
    </Card>
  );
}
