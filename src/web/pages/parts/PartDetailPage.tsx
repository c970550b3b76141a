// /parts/:id: a part's details, its stock per location (low ones marked) and its ledger, newest first.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { partsApi, partsKeys, yuan, type StockMove, type StockRow } from '../../api/parts.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { BackToParts, canManageParts, canMoveStock, MoveKindTag, StockLevelCell, usePartName } from './common.js';
import { PartFormModal } from './PartFormModal.js';
import { ThresholdModal } from './ThresholdModal.js';

export default function PartDetailPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const name = usePartName();
  const id = Number(useParams().id);
  const part = useQuery({ queryKey: partsKeys.part(id), queryFn: () => partsApi.get(id), enabled: Number.isInteger(id) && id > 0 });
  const stock = useQuery({ queryKey: partsKeys.stock(id), queryFn: () => partsApi.stock(id), enabled: part.isSuccess });
  const moves = useInfiniteQuery({
    queryKey: partsKeys.moves({ partId: id }),
    queryFn: ({ pageParam }) => partsApi.moves({ partId: id, cursor: pageParam, limit: 30 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: part.isSuccess,
  });
  const manage = canManageParts(user.role);
  const [editing, setEditing] = useState(false);
  const [threshold, setThreshold] = useState<{ locationId?: number; value?: number | null } | null>(null);
  const ledger = useMemo(() => moves.data?.pages.flatMap((p) => p.items) ?? [], [moves.data]);
  const back = <BackToParts />;
  if (part.isError) return <Alert type="error" showIcon title={t('errors.loadFailed')} description={part.error.message} />;
  const p = part.data;
  const place = (l: StockMove['from']) => (l ? <span>{l.name}</span> : <span className="ac-muted">—</span>);

  return (
    <div>
      <PageHeader
        back={back}
        title={p ? `${p.code} ${name(p)}` : t('parts.title')}
        testId="page-title"
        extra={
          p && (
            <Space wrap>
              {manage && (
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="part-edit">
                  {t('common.edit')}
                </Button>
              )}
              {canMoveStock(user.role) && (
                <Link to={`/parts/move?partId=${p.id}`}>
                  <Button type="primary" icon={<SwapOutlined />} data-testid="part-move">
                    {t('parts.move.title')}
                  </Button>
                </Link>
              )}
            </Space>
          )
        }
      />
      {p && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('parts.field.nameZh')}>{p.nameZh}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.nameEn')}>{p.nameEn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.uom')}>{t(`parts.uom.${p.uom}`)}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.unitCost')}>{yuan(p.unitCost)}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.listPrice')}>{yuan(p.listPrice)}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.threshold')}>{p.lowStockThreshold || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('parts.field.models')} span={3}>
              {p.productModels.length ? p.productModels.map((m) => <Tag key={m}>{m}</Tag>) : '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card
        title={t('parts.stockByLocation')}
        size="small"
        style={{ marginBottom: 16 }}
        extra={
          manage &&
          p && (
            <Button size="small" onClick={() => setThreshold({})} data-testid="threshold-add">
              {t('parts.admin.setThreshold')}
            </Button>
          )
        }
      >
        <div data-testid="part-stock">
          <Table<StockRow>
            rowKey={(r) => r.location.id}
            size="small"
            loading={stock.isLoading}
            dataSource={stock.data?.items ?? []}
            pagination={false}
            rowClassName={(r) => (r.low ? 'ac-row-warning' : '')}
            locale={{ emptyText: <Empty description={t('parts.noStock')} /> }}
            columns={[
              {
                title: t('parts.field.location'),
                key: 'loc',
                render: (_: unknown, r) => (
                  <Space size={6}>
                    <span>{r.location.name}</span>
                    <Tag>{t(`parts.locationKind.${r.location.kind}`)}</Tag>
                    {r.location.owner && <Typography.Text type="secondary">{r.location.owner.name}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t('parts.field.available'), key: 'a', render: (_: unknown, r) => <StockLevelCell available={r.available} onHand={r.onHand} reserved={r.reserved} low={r.low} uom={r.uom} /> },
              {
                title: t('parts.field.threshold'),
                dataIndex: 'threshold',
                width: 170,
                render: (v: number | null, r) => (
                  <Space size={6}>
                    <span>{v ?? '—'}</span>
                    {v !== null && r.ownThreshold === null && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('parts.admin.partDefault')}</Typography.Text>}
                    {manage && (
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        aria-label={t('parts.admin.setThreshold')}
                        onClick={() => setThreshold({ locationId: r.location.id, value: r.ownThreshold })}
                        data-testid={`threshold-edit-${r.location.code}`}
                      />
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </div>
      </Card>
      {editing && p && <PartFormModal part={p} onClose={() => setEditing(false)} />}
      {threshold && p && <ThresholdModal part={p} locationId={threshold.locationId} threshold={threshold.value} onClose={() => setThreshold(null)} />}
      <Card title={t('parts.ledger')} size="small">
        <div data-testid="part-ledger">
          <Table<StockMove>
            rowKey="id"
            size="small"
            loading={moves.isLoading}
            dataSource={ledger}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty description={t('parts.noMoves')} /> }}
            columns={[
              { title: t('parts.field.when'), dataIndex: 'createdAt', width: 150, render: (v: string) => <DateTime value={v} /> },
              { title: t('parts.field.kind'), dataIndex: 'kind', width: 90, render: (v: string) => <MoveKindTag kind={v} /> },
              { title: t('parts.field.qty'), dataIndex: 'qty', width: 70, align: 'right' },
              { title: t('parts.field.from'), dataIndex: 'from', render: place },
              { title: t('parts.field.to'), dataIndex: 'to', render: place },
              { title: t('parts.field.ticket'), dataIndex: 'ticketNumber', width: 130, render: (v: string | null) => (v ? <Link to={`/tickets/${v}`}>{v}</Link> : '—') },
              { title: t('parts.field.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
              { title: t('parts.field.by'), dataIndex: 'createdBy', width: 100, render: (v: StockMove['createdBy']) => v?.name ?? '—' },
            ]}
          />
        </div>
        {moves.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button onClick={() => void moves.fetchNextPage()} loading={moves.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          </Flex>
        )}
      </Card>
    </div>
  );
}
