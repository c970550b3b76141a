// 关联工单 on a ticket's page (staff): the repair this one repeats within 30 days, or the repairs that repeated it. Shown
// only when there is a link; the timeline has the same as entries.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { careApi, careKeys } from '../../api/care.js';

export function TicketLinksCard({ ticket }: { ticket: { number: string } }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: careKeys.links(ticket.number), queryFn: () => careApi.links(ticket.number) });
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card size="small" title={t('care.links.title')} style={{ marginBottom: 16 }} data-testid="ticket-links">
      {items.map((l) => (
        <div key={`${l.role}-${l.ticket.number}`} style={{ marginBottom: 6 }}>
          <Tag color="orange">{t('care.repeat.repeats')}</Tag>
          {t(l.role === 'first' ? 'care.links.first' : 'care.links.repeat', { number: '' })}
          <Link to={`/tickets/${l.ticket.number}`} data-testid={`ticket-link-${l.ticket.number}`}>
            {l.ticket.number}
          </Link>{' '}
          <span className="ac-hint">
            {l.ticket.title} · {t('care.links.faultClass', { faultClass: t(`faultClass.${l.faultClass}`, { defaultValue: l.faultClass }) })}
          </span>
        </div>
      ))}
    </Card>
  );
}
