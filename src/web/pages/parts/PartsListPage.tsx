// /parts: the catalog with stock summed over every location; parts below their threshold somewhere are marked, and
// a switch shows only those.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Space, Switch, Table, Tag, Typography } from 'antd';
import { CarOutlined, EnvironmentOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { partsApi, partsKeys, yuan, type Part } from '../../api/parts.js';
import { useCurrentUser } from '../../app/auth.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { canManageParts, canMoveStock, StockLevelCell, usePartName } from './common.js';
import { PartFormModal } from './PartFormModal.js';

export default function PartsListPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const name = usePartName();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q')?.trim() || undefined;
  const low = sp.get('low') === 'true' ? ('true' as const) : undefined;
  const manage = canManageParts(user.role);
  // Parts out of use are hidden unless a manager asks for them (to switch one back on).
  const active = manage && sp.get('active') === 'all' ? ('all' as const) : undefined;
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };
  const params = useMemo(() => ({ q, low, active, limit: 50 }), [q, low, active]);
  const query = useInfiniteQuery({
    queryKey: partsKeys.list(params),
    queryFn: ({ pageParam, signal }) => partsApi.list({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  return (
    <div>
      <PageHeader
        title={t('parts.title')}
        subtitle={t('parts.subtitle')}
        testId="page-title"
        extra={
          <Space wrap>
            {user.role === 'engineer' && (
              <Link to="/parts/van">
                <Button icon={<CarOutlined />} data-testid="parts-my-van">
                  {t('parts.van.title')}
                </Button>
              </Link>
            )}
            {manage && (
              <Link to="/parts/locations">
                <Button icon={<EnvironmentOutlined />} data-testid="parts-locations">
                  {t('parts.admin.locations')}
                </Button>
              </Link>
            )}
            {manage && (
              <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="parts-new">
                {t('parts.admin.newPart')}
              </Button>
            )}
            {canMoveStock(user.role) && (
              <Link to="/parts/move">
                <Button type="primary" icon={<SwapOutlined />} data-testid="parts-move">
                  {t('parts.move.title')}
                </Button>
              </Link>
            )}
          </Space>
        }
      />
      <Card>
        <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
          <SearchBox value={q} onSearch={(v) => setParam('q', v)} placeholder={t('parts.searchPlaceholder')} testId="parts-search" />
          <label>
            <Space size={6}>
              <Switch size="small" checked={!!low} onChange={(v) => setParam('low', v ? 'true' : undefined)} data-testid="parts-low-only" />
              {t('parts.lowOnly')}
            </Space>
          </label>
          {manage && (
            <label>
              <Space size={6}>
                <Switch size="small" checked={!!active} onChange={(v) => setParam('active', v ? 'all' : undefined)} data-testid="parts-show-inactive" />
                {t('parts.admin.showInactive')}
              </Space>
            </label>
          )}
        </Flex>
        {query.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={query.error.message} style={{ marginBottom: 16 }} />}
        <div data-testid="parts-table">
          <Table<Part>
            rowKey="id"
            size="middle"
            loading={query.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            rowClassName={(p) => (p.lowAt.length ? 'ac-row-warning' : '')}
            locale={{ emptyText: <Empty description={t('parts.empty')} /> }}
            columns={[
              { title: t('parts.field.code'), dataIndex: 'code', width: 140, render: (v: string, p) => <Link to={`/parts/${p.id}`}>{v}</Link> },
              {
                title: t('parts.field.name'),
                key: 'name',
                render: (_: unknown, p) => (
                  <Space size={6} wrap>
                    <Link to={`/parts/${p.id}`} data-testid="parts-row-name">
                      {name(p)}
                    </Link>
                    {!p.active && <Tag>{t('parts.inactive')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('parts.field.models'),
                dataIndex: 'productModels',
                width: 220,
                render: (v: string[]) => (v.length ? <Typography.Text style={{ fontSize: 13 }}>{v.join(t('common.listSeparator'))}</Typography.Text> : <span className="ac-muted">—</span>),
              },
              { title: t('parts.field.listPrice'), dataIndex: 'listPrice', width: 100, align: 'right', render: (v: number) => yuan(v) },
              {
                title: t('parts.field.available'),
                key: 'stock',
                width: 260,
                render: (_: unknown, p) => <StockLevelCell available={p.stock.available} onHand={p.stock.onHand} reserved={p.stock.reserved} low={p.lowAt.length > 0} uom={p.uom} />,
              },
            ]}
          />
        </div>
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{rows.length > 0 && t('parts.loaded', { count: rows.length })}</Typography.Text>
          {query.hasNextPage ? (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </Flex>
      </Card>
      {creating && <PartFormModal part={null} onClose={() => setCreating(false)} onSaved={(p) => void navigate(`/parts/${p.id}`)} />}
    </div>
  );
}
