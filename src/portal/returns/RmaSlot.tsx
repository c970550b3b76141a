// The ticket's returns and exchanges in the portal ticket page's slot (tickets/slots.ts): their state in the
// customer's words, the goods, the tracking numbers both ways, a refund or new serial, and why one was turned down.
// Read from the customer-safe view (/api/portal/tickets/:number/rmas); nothing shows when there is none.
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { PortalRma } from '../../shared/returns.js';
import { api } from '../api.js';
import type { TicketSlotProps } from '../tickets/slots.js';
import { Card, useLoad } from '../ui.js';

type Rma = z.infer<typeof PortalRma>;

export default function RmaSlot({ ticket }: TicketSlotProps) {
  const { t } = useTranslation();
  const { data } = useLoad((signal) => api.get<{ items: Rma[] }>(`/portal/tickets/${encodeURIComponent(ticket.number)}/rmas`, undefined, { signal }), [ticket.number, ticket.updatedAt]);
  const items = data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={t('rma.title')} testId="portal-rmas">
      {items.map((r) => (
        <div key={r.id} className="pt-rma" data-testid={`portal-rma-${r.id}`} style={{ marginBottom: 12 }}>
          <p style={{ margin: '0 0 4px' }}>
            <strong>{t('rma.name', { kind: t(`rma.kind.${r.kind}`), id: r.id })}</strong> · <span data-testid="portal-rma-status">{t(`rma.status.${r.status}`)}</span>
          </p>
          <dl className="pt-dl">
            <dt>{t('rma.goods')}</dt>
            <dd>
              {r.items.map((i, n) => (
                <div key={n}>
                  {i.productModel} {i.serialNumber ?? `${i.orderNumber ?? ''} ×${i.qty}`}
                  {i.replacementSerial ? ` → ${t('rma.newSerial', { serial: i.replacementSerial })}` : ''}
                </div>
              ))}
            </dd>
            {r.inbound ? (
              <>
                <dt>{t('rma.inbound')}</dt>
                <dd data-testid="portal-rma-inbound">
                  {r.inbound.carrier} {r.inbound.trackingNumber}
                </dd>
              </>
            ) : null}
            {r.outbound ? (
              <>
                <dt>{t('rma.outbound')}</dt>
                <dd data-testid="portal-rma-outbound">
                  {r.outbound.carrier} {r.outbound.trackingNumber}
                </dd>
              </>
            ) : null}
            {r.refundFen !== null ? (
              <>
                <dt>{t('rma.refundLabel')}</dt>
                <dd>{t('rma.refund', { amount: (r.refundFen / 100).toFixed(2) })}</dd>
              </>
            ) : null}
            {r.rejectionReason ? (
              <>
                <dt>{t('rma.reason')}</dt>
                <dd>{r.rejectionReason}</dd>
              </>
            ) : null}
          </dl>
        </div>
      ))}
    </Card>
  );
}
