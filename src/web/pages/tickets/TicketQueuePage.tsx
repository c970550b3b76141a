import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Empty, Flex, Select, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PhoneOutlined, ReloadOutlined, SortAscendingOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CHANNELS, PRIORITIES, TICKET_SORTS, TICKET_STATUSES } from '../../../shared/enums.js';
import { useCurrentUser } from '../../app/auth.js';
import { ticketApi } from '../../api/endpoints.js';
import { categoryPath, qk, useCategories, useDepartments } from '../../api/queries.js';
import type { TicketListItem } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { Highlight } from '../../components/Highlight.js';
import { snippetAround } from '../../components/highlight.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { CategoryTreeSelect, DepartmentSelect, EnumSelect, UserSelect } from '../../components/selects.js';
import { PriorityTag, SpecialNeedsTag, StatusTag, TierTag } from '../../components/tags.js';
import { SlaCountdown } from '../../components/sla/SlaCountdown.js';
import { parseQueueState, switchView, toApiQuery, toSearchParams, viewFixes, VIEWS, type QueueState } from './queueParams.js';

/** The table's least width: what a 1440 px screen leaves beside the side menu (1,126 px) holds it without scrolling. */
const TABLE_MIN_WIDTH = 1100;

export default function TicketQueuePage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => parseQueueState(searchParams, user.role), [searchParams, user.role]);
  const apiQuery = useMemo(() => toApiQuery(state, user.departmentId), [state, user.departmentId]);
  const fixes = viewFixes(state.view);
  const departments = useDepartments();
  const categories = useCategories();

  const update = (patch: Partial<QueueState>) => setSearchParams(toSearchParams({ ...state, ...patch }));

  const query = useInfiniteQuery({
    queryKey: qk.tickets(apiQuery),
    queryFn: ({ pageParam, signal }) => ticketApi.list({ ...apiQuery, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: state.view !== 'department' || user.departmentId !== null,
    refetchInterval: 60_000,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  // The total is its own request (a capped count over the same filter), so the first page never waits for it.
  const countQuery = useMemo(() => {
    const { cursor: _c, sort: _s, limit: _l, ...filter } = apiQuery as typeof apiQuery & { cursor?: string };
    return filter;
  }, [apiQuery]);
  const total = useQuery({
    queryKey: qk.ticketCount(countQuery),
    queryFn: ({ signal }) => ticketApi.count(countQuery, signal),
    enabled: state.view !== 'department' || user.departmentId !== null,
    refetchInterval: 60_000,
  });
  const q = state.q;

  const hasFilters =
    state.status.length > 0 ||
    state.priority.length > 0 ||
    !!state.category ||
    !!state.departmentId ||
    !!state.assigneeId ||
    !!state.channel ||
    !!state.from ||
    !!state.to ||
    !!state.q ||
    !!state.late;

  const columns: ColumnsType<TicketListItem> = [
    {
      title: t('field.number'),
      dataIndex: 'number',
      width: 104,
      render: (n: string) => (
        <Link to={`/tickets/${n}`} className="ac-number" data-testid={`ticket-link-${n}`}>
          <Highlight text={n} query={q} />
        </Link>
      ),
    },
    {
      title: t('field.title'),
      dataIndex: 'title',
      render: (_: unknown, r) => (
        <div>
          <Link to={`/tickets/${r.number}`} className="ac-ticket-title">
            <Highlight text={r.title} query={q} />
          </Link>
          {r.excerpt && (
            <div className="ac-ticket-excerpt" title={r.excerpt}>
              <Highlight text={snippetAround(r.excerpt, q)} query={q} />
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('field.customer'),
      key: 'customer',
      width: 150,
      ellipsis: true,
      render: (_: unknown, r) => (
        <div>
          <Space size={4} wrap>
            <span>
              <Highlight text={r.customer.name} query={q} />
            </span>
            <TierTag tier={r.customer.tier} hideNormal />
            {r.customer.specialNeeds && <SpecialNeedsTag />}
          </Space>
          {r.customer.phone && (
            <div className="ac-muted ac-nowrap">
              <Highlight text={r.customer.phone} query={q} />
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('field.priority'),
      dataIndex: 'priority',
      width: 88,
      render: (p: TicketListItem['priority']) => <PriorityTag priority={p} />,
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: i18n.language === 'en' ? 150 : 100,
      render: (s: TicketListItem['status']) => <StatusTag status={s} />,
    },
    {
      title: t('sla.column'),
      key: 'sla',
      width: 142,
      render: (_: unknown, r) => <SlaCountdown ticket={r} />,
    },
    {
      title: t('field.category'),
      dataIndex: 'category',
      width: 120,
      render: (c: string | null) => (c ? categoryPath(c, categories.byCode) : <span className="ac-muted">—</span>),
    },
    {
      title: t('field.assignee'),
      key: 'assignee',
      width: 112,
      render: (_: unknown, r) => (
        <div>
          {r.assignee ? <span className="ac-nowrap">{r.assignee.name}</span> : <Typography.Text type="warning">{t('ticket.unassigned')}</Typography.Text>}
          <div className="ac-muted ac-nowrap" style={{ fontSize: 12 }}>
            {r.departmentId ? (departments.byId.get(r.departmentId)?.name ?? `#${r.departmentId}`) : '—'}
          </div>
        </div>
      ),
    },
    {
      title: t('field.createdAt'),
      dataIndex: 'createdAt',
      width: 96,
      render: (v: string) => <DateTime value={v} relative />,
    },
  ];

  const range: [Dayjs | null, Dayjs | null] | null =
    state.from || state.to ? [state.from ? dayjs(state.from) : null, state.to ? dayjs(state.to) : null] : null;

  const emptyText =
    state.view === 'department' && user.departmentId === null ? (
      <Empty description={t('queue.noDepartment')} />
    ) : (
      <Empty description={hasFilters ? t('queue.emptyFiltered') : t(`queue.empty.${state.view}`)} />
    );

  return (
    <div>
      <PageHeader
        title={t('queue.title')}
        subtitle={t('queue.subtitle')}
        testId="page-title"
        extra={
          <Space>
            <Tooltip title={t('common.refresh')}>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => void query.refetch()}
                loading={query.isRefetching && !query.isFetchingNextPage}
                aria-label={t('common.refresh')}
              />
            </Tooltip>
            {user.role !== 'qa' && (
              <Link to="/intake">
                <Button type="primary" icon={<PhoneOutlined />}>
                  {t('queue.newFromCall')}
                </Button>
              </Link>
            )}
          </Space>
        }
      />
      <Card styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={state.view}
          onChange={(key) => update(switchView(state, key as QueueState['view']))}
          items={VIEWS.map((v) => ({
            key: v,
            label: <span data-testid={`view-${v}`}>{t(`queue.views.${v}`)}</span>,
          }))}
        />
        <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }}>
          <SearchBox
            width={340}
            value={state.q}
            onSearch={(q) => update({ q })}
            placeholder={t('queue.searchPlaceholder')}
            testId="queue-search"
          />
          {hasFilters && (
            <Button
              type="link"
              onClick={() => setSearchParams(toSearchParams({ view: state.view, status: [], priority: [], sort: state.sort }))}
            >
              {t('queue.resetFilters')}
            </Button>
          )}
          <div style={{ flex: 1 }} />
          {total.data && (
            <Typography.Text type="secondary" data-testid="queue-total">
              {total.data.capped
                ? t('queue.totalCapped', { count: total.data.count, value: total.data.count.toLocaleString(i18n.language) })
                : t('queue.total', { count: total.data.count, value: total.data.count.toLocaleString(i18n.language) })}
            </Typography.Text>
          )}
          <Select
            style={{ width: 180 }}
            prefix={<SortAscendingOutlined className="ac-muted" />}
            value={state.sort}
            onChange={(v) => update({ sort: v })}
            options={TICKET_SORTS.map((s) => ({ value: s, label: t(`queue.sort.${s}`) }))}
            aria-label={t('queue.sortLabel')}
            data-testid="queue-sort"
          />
        </Flex>
        <Flex wrap gap={8} className="ac-filters" style={{ marginBottom: 16 }}>
          <EnumSelect
            mode="multiple"
            values={TICKET_STATUSES}
            ns="status"
            allowClear
            maxTagCount="responsive"
            style={{ width: 200 }}
            placeholder={t('field.status')}
            aria-label={t('field.status')}
            value={state.status}
            onChange={(v) => update({ status: (v ?? []) as QueueState['status'] })}
            data-testid="filter-status"
          />
          <EnumSelect
            mode="multiple"
            values={PRIORITIES}
            ns="priority"
            withValue
            allowClear
            maxTagCount="responsive"
            style={{ width: 170 }}
            placeholder={t('field.priority')}
            aria-label={t('field.priority')}
            value={state.priority}
            onChange={(v) => update({ priority: (v ?? []) as QueueState['priority'] })}
            data-testid="filter-priority"
          />
          <CategoryTreeSelect
            allowClear
            style={{ width: 180 }}
            placeholder={t('field.category')}
            aria-label={t('field.category')}
            value={state.category}
            onChange={(v) => update({ category: v || undefined })}
          />
          <DepartmentSelect
            allowClear
            style={{ width: 150 }}
            placeholder={t('field.department')}
            aria-label={t('field.department')}
            disabled={fixes.department}
            value={fixes.department ? (user.departmentId ?? undefined) : state.departmentId}
            onChange={(v) => update({ departmentId: v || undefined })}
          />
          <UserSelect
            allowClear
            style={{ width: 160 }}
            placeholder={t('field.assignee')}
            aria-label={t('field.assignee')}
            disabled={fixes.assignee}
            departmentId={state.departmentId}
            extraOptions={[
              { value: 'me', label: t('queue.assigneeMe') },
              { value: 'none', label: t('ticket.unassigned') },
            ]}
            value={fixes.assignee ? (state.view === 'mine' ? 'me' : 'none') : state.assigneeId}
            onChange={(v) => update({ assigneeId: v === undefined || v === null ? undefined : String(v) })}
          />
          <EnumSelect
            values={CHANNELS}
            ns="channel"
            allowClear
            style={{ width: 130 }}
            placeholder={t('field.channel')}
            aria-label={t('field.channel')}
            value={state.channel}
            onChange={(v) => update({ channel: (v as QueueState['channel']) || undefined })}
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            style={{ width: 250 }}
            placeholder={[t('queue.createdFrom'), t('queue.createdTo')]}
            value={range}
            onChange={(v) =>
              update({
                from: v?.[0] ? v[0].format('YYYY-MM-DD') : undefined,
                to: v?.[1] ? v[1].format('YYYY-MM-DD') : undefined,
              })
            }
          />
          <Checkbox checked={!!state.late} onChange={(e) => update({ late: e.target.checked || undefined })} data-testid="filter-late">
            {t('queue.lateOnly')}
          </Checkbox>
        </Flex>
        {query.isError && (
          <Alert
            type="error"
            showIcon
            title={t('errors.loadFailed')}
            description={query.error.message}
            style={{ marginBottom: 16 }}
            action={
              <Button size="small" onClick={() => void query.refetch()}>
                {t('common.retry')}
              </Button>
            }
          />
        )}
        <div data-testid="ticket-table">
          <Table<TicketListItem>
            rowKey="number"
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={query.isLoading}
            pagination={false}
            // Fits the 1,126 px a 1440 px screen leaves beside the menu; narrower screens scroll.
            scroll={{ x: TABLE_MIN_WIDTH }}
            locale={{ emptyText }}
          />
        </div>
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" data-testid="queue-count">
            {rows.length > 0 && t('queue.loaded', { count: rows.length })}
          </Typography.Text>
          {query.hasNextPage ? (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} data-testid="load-more">
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </Flex>
      </Card>
    </div>
  );
}
