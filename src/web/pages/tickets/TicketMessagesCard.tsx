// 客户消息 on the ticket page: what the ticket's customer was told about it — when, which event, on which channel, to
// which address (masked by the server), and how delivery went: queued, sent, failed with the reason, or skipped
// because the customer opted out of optional messages. Staff only (the server answers a customer 403, so the page
// never mounts it for one).
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MessageStatus } from '../../../shared/message-vocab.js';
import type { CustomerMessage } from '../../../shared/messages.js';
import { messagesApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import { DateTime, formatDateTime } from '../../components/DateTime.js';

const STATUS_COLOR: Record<MessageStatus, string> = { queued: 'processing', sent: 'success', failed: 'error', skipped: 'default' };

export function TicketMessagesCard({ number }: { number: string }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: qk.ticketMessages(number), queryFn: () => messagesApi.forTicket(number) });
  const items = list.data?.items ?? [];
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <SendOutlined />
          {t('ticketMessages.title')}
        </Flex>
      }
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button
            type="text"
            size="small"
            icon={<ReloadOutlined />}
            aria-label={t('common.refresh')}
            loading={list.isFetching && !list.isPending}
            onClick={() => void list.refetch()}
            data-testid="ticket-messages-refresh"
          />
        </Tooltip>
      }
      data-testid="ticket-messages"
    >
      {list.isPending ? (
        <Skeleton active title={false} paragraph={{ rows: 2 }} />
      ) : list.isError && !list.data ? (
        <Alert
          type="error"
          showIcon
          title={list.error.message}
          action={
            <Button size="small" onClick={() => void list.refetch()}>
              {t('common.retry')}
            </Button>
          }
          data-testid="ticket-messages-error"
        />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticketMessages.empty')} style={{ margin: '8px 0' }} />
      ) : (
        <ul className="ac-message-list" data-testid="ticket-messages-list">
          {items.map((m) => (
            <MessageRow key={m.id} m={m} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function MessageRow({ m }: { m: CustomerMessage }) {
  const { t } = useTranslation();
  return (
    <li className="ac-message-row" data-testid="ticket-message" data-status={m.status}>
      <Flex justify="space-between" align="baseline" gap={8}>
        <Typography.Text strong>{t(`messages.event.${m.event}`, { defaultValue: m.event })}</Typography.Text>
        <Tooltip title={m.sentAt ? t('ticketMessages.sentAt', { time: formatDateTime(m.sentAt) }) : undefined}>
          <Tag color={STATUS_COLOR[m.status]} style={{ marginInlineEnd: 0 }} data-testid="ticket-message-status">
            {t(`ticketMessages.status.${m.status}`)}
          </Tag>
        </Tooltip>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <DateTime value={m.createdAt} /> · {t(`messages.channel.${m.channel}`)} · <span className="ac-nowrap">{m.target || '—'}</span>
      </Typography.Text>
      {m.status === 'sent' && m.attempts > 1 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ticketMessages.sentAfter', { count: m.attempts })}
        </Typography.Text>
      )}
      {m.status === 'queued' && m.attempts > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t('ticketMessages.retrying', { count: m.attempts, error: m.lastError ?? '—' })}
        </Typography.Text>
      )}
      {m.status === 'failed' && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="ticket-message-reason">
          {t('ticketMessages.failedReason', { count: m.attempts, error: m.lastError ?? '—' })}
        </Typography.Text>
      )}
      {m.status === 'skipped' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ticketMessages.skippedReason')}
        </Typography.Text>
      )}
    </li>
  );
}
