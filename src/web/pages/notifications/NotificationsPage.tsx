// 全部通知: every notification of mine, newest first, filtered by kind, unread and ticket number, paged by cursor
// on the server; mark one, a page or all read. Reached from the bell (查看全部).
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, LeftOutlined, RightOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notificationApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { NotificationItem } from '../../api/types.js';
import { NOTIFICATION_KINDS } from '../../api/vocab.js';
import { canViewAdminPage } from '../../app/adminAccess.js';
import { useCurrentUser } from '../../app/auth.js';
import { kindStyle, notificationDetail, notificationTitle, useMarkRead } from '../../app/notifications.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadError } from '../admin/SettingsList.js';

const PAGE_SIZE = 20;

export default function NotificationsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? undefined;
  const unread = params.get('unread') === '1';
  const ticket = params.get('ticket') ?? undefined;
  // Cursors of the pages before this one (server-side paging has no page numbers).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [ticketText, setTicketText] = useState(ticket ?? '');
  const markRead = useMarkRead();

  const query = { kind, unread: unread || undefined, ticket, limit: PAGE_SIZE, cursor };
  const page = useQuery({ queryKey: qk.notificationPage(query), queryFn: () => notificationApi.list(query), placeholderData: keepPreviousData });
  const items = page.data?.items ?? [];

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setCursors([undefined]);
  };

  const open = (n: NotificationItem) => {
    if (!n.readAt) void markRead([n.id]).catch(() => {});
    if (n.ticket) navigate(`/tickets/${n.ticket.number}`);
    else if (n.kind === 'calendar_uncovered' && canViewAdminPage(user.role, 'calendars')) navigate('/admin/calendars');
    else if (n.kind === 'low_stock' && typeof n.data.partId === 'number') navigate(`/parts/${n.data.partId}`);
  };

  const kindOptions = useMemo(() => NOTIFICATION_KINDS.map((k) => ({ value: k, label: t(`notify.kind.${k}`) })), [t]);
  const columns: ColumnsType<NotificationItem> = [
    {
      title: t('notify.page.kind'),
      dataIndex: 'kind',
      width: 170,
      render: (_: string, n) => {
        const style = kindStyle(n.kind);
        return (
          <Space size={8}>
            <Badge dot={!n.readAt} color="#1668dc">
              <span className="ac-notify-icon" style={{ color: style.color, background: `${style.color}14` }}>
                {style.icon}
              </span>
            </Badge>
            <Typography.Text strong={!n.readAt}>{notificationTitle(n, t)}</Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('notify.page.ticket'),
      dataIndex: 'ticket',
      width: 300,
      ellipsis: true,
      render: (_: unknown, n) =>
        n.ticket ? (
          <Link to={`/tickets/${n.ticket.number}`} onClick={() => !n.readAt && void markRead([n.id]).catch(() => {})}>
            <span className="ac-number">{n.ticket.number}</span> {n.ticket.title}
          </Link>
        ) : (
          <span className="ac-muted">—</span>
        ),
    },
    {
      title: t('notify.page.detail'),
      key: 'detail',
      render: (_: unknown, n) => <span className="ac-notify-detail-cell">{notificationDetail(n, t) ?? '—'}</span>,
    },
    { title: t('notify.page.time'), dataIndex: 'createdAt', width: 120, render: (v: string) => <DateTime value={v} relative /> },
    {
      title: t('notify.page.status'),
      key: 'status',
      width: 130,
      render: (_: unknown, n) =>
        n.readAt ? (
          <Tag style={{ marginInlineEnd: 0 }}>{t('notify.page.read')}</Tag>
        ) : (
          <Button size="small" icon={<CheckOutlined />} onClick={() => void markRead([n.id]).catch(() => {})} data-testid={`mark-read-${n.id}`}>
            {t('notify.page.markRead')}
          </Button>
        ),
    },
  ];

  return (
    <div>
      <PageHeader
        title={t('notify.page.title')}
        subtitle={t('notify.page.subtitle', { count: page.data?.unread ?? 0 })}
        testId="page-title"
        extra={
          <Space>
            <Link to="/settings/notifications">
              <Button icon={<SettingOutlined />}>{t('notify.settings')}</Button>
            </Link>
            <Button type="primary" icon={<CheckOutlined />} disabled={!page.data?.unread} onClick={() => void markRead('all').catch(() => {})} data-testid="page-read-all">
              {t('notify.readAll')}
            </Button>
          </Space>
        }
      />
      <LoadError error={page.error} />
      <Card>
        <Space wrap size={16} style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('notify.page.allKinds')}
            aria-label={t('notify.page.kind')}
            style={{ width: 200 }}
            value={kind}
            options={kindOptions}
            onChange={(v?: string) => setFilter('kind', v)}
            data-testid="filter-kind"
          />
          <Input.Search
            allowClear
            placeholder={t('notify.page.ticketPlaceholder')}
            aria-label={t('notify.page.ticket')}
            style={{ width: 240 }}
            value={ticketText}
            onChange={(e) => setTicketText(e.target.value)}
            onSearch={(v) => setFilter('ticket', v.trim() || undefined)}
            data-testid="filter-ticket"
          />
          <Space size={8}>
            <Switch id="notify-unread-only" checked={unread} onChange={(v) => setFilter('unread', v ? '1' : undefined)} data-testid="filter-unread" />
            <label htmlFor="notify-unread-only">{t('notify.page.unreadOnly')}</label>
          </Space>
        </Space>
        <Table<NotificationItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={page.isFetching}
          pagination={false}
          rowClassName={(n) => (n.readAt ? '' : 'ac-row-unread')}
          onRow={(n) => ({ onDoubleClick: () => open(n) })}
          locale={{ emptyText: t('notify.empty') }}
          data-testid="notifications-table"
        />
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 16 }}>
          <Button icon={<LeftOutlined />} disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="page-prev">
            {t('notify.page.prev')}
          </Button>
          <Button disabled={!page.data?.nextCursor} onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data!.nextCursor!])} data-testid="page-next">
            {t('notify.page.next')} <RightOutlined />
          </Button>
        </div>
      </Card>
    </div>
  );
}
