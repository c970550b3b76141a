// 退换货 (/returns): every RMA on the tickets the user sees, newest first, filtered by state (in the address, so a
// filtered list can be shared) and type; a row opens its ticket, where the RMA is worked.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Select, Space, Table, Tag } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RMA_KINDS, RMA_STATUSES, returnKeys, returnsApi, rmaStatusColor, type Rma } from '../../api/returns.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { RmaWindow } from './RmaPanel.js';

const FILTERS = ['open', ...RMA_STATUSES, ''] as const;

export default function ReturnsListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const kind = params.get('kind') ?? '';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k === 'status' && !v) next.set('status', '');
    setParams(next, { replace: true });
  };
  const q = useInfiniteQuery({
    queryKey: returnKeys.list(status, kind),
    queryFn: ({ pageParam }) => returnsApi.list({ status: status || undefined, kind: kind || undefined, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title={t('returns.list.title')} subtitle={t('returns.list.subtitle')} testId="page-title" />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            data-testid="returns-filter"
            value={status}
            onChange={(v) => set('status', String(v))}
            options={FILTERS.map((f) => ({ value: f, label: f ? t(`returns.status.${f}`) : t('returns.list.all') }))}
          />
          <Select
            style={{ width: 120 }}
            value={kind}
            onChange={(v) => set('kind', v)}
            aria-label={t('returns.list.kindFilter')}
            options={[{ value: '', label: t('returns.list.all') }, ...RMA_KINDS.map((k) => ({ value: k, label: t(`returns.kind.${k}`) }))]}
          />
        </Space>
        <Table<Rma>
          rowKey="id"
          size="middle"
          loading={q.isLoading}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('returns.list.empty') }}
          data-testid="returns-table"
          columns={[
            { title: t('returns.list.id'), dataIndex: 'id', width: 90, render: (id: number) => `RMA-${id}` },
            { title: t('returns.create.kind'), dataIndex: 'kind', width: 80, render: (k: string) => t(`returns.kind.${k}`) },
            { title: t('returns.list.filter'), dataIndex: 'status', width: 130, render: (s: string) => <Tag color={rmaStatusColor[s]}>{t(`returns.status.${s}`)}</Tag> },
            { title: t('returns.list.ticket'), dataIndex: 'ticketNumber', width: 130, render: (n: string) => <Link to={`/tickets/${n}`}>{n}</Link> },
            { title: t('returns.list.customer'), render: (_, r) => r.customer.name, width: 110 },
            { title: t('returns.items'), render: (_, r) => r.items.map((i) => `${i.productModel} ${i.serialNumber ?? `${i.orderNumber} ×${i.qty}`}`).join('、'), ellipsis: true },
            { title: t('returns.window.label'), render: (_, r) => <RmaWindow w={r.window} />, width: 260 },
            { title: t('returns.list.tracking'), render: (_, r) => [r.inbound?.trackingNumber, r.outbound?.trackingNumber].filter(Boolean).join(' / '), width: 170 },
            { title: t('returns.list.created'), dataIndex: 'createdAt', width: 150, render: (v: string) => <DateTime value={v} /> },
          ]}
        />
        {q.hasNextPage && (
          <Button style={{ marginTop: 12 }} onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Card>
    </>
  );
}
