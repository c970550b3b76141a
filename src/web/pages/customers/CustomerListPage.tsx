import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Space, Table, Typography } from 'antd';
import { MailOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_TIERS, type CustomerTier } from '../../../shared/enums.js';
import { customerApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { Customer } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { EnumSelect } from '../../components/selects.js';
import { SpecialNeedsTag, TierTag } from '../../components/tags.js';

export default function CustomerListPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q')?.trim() || undefined;
  const tierParam = sp.get('tier');
  const tier = tierParam && (CUSTOMER_TIERS as readonly string[]).includes(tierParam) ? (tierParam as CustomerTier) : undefined;

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };

  const params = useMemo(() => ({ q, tier, limit: 50 }), [q, tier]);
  const query = useInfiniteQuery({
    queryKey: qk.customers(params),
    queryFn: ({ pageParam, signal }) => customerApi.list({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  return (
    <div>
      <PageHeader
        title={t('customers.title')}
        subtitle={t('customers.subtitle')}
        testId="page-title"
        extra={
          <Link to="/customers/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="new-customer">
              {t('customers.new')}
            </Button>
          </Link>
        }
      />
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <SearchBox
            value={q}
            onSearch={(v) => setParam('q', v)}
            placeholder={t('customers.searchPlaceholder')}
            testId="customer-search"
          />
          <EnumSelect
            values={CUSTOMER_TIERS}
            ns="tier"
            allowClear
            placeholder={t('customer.tier')}
            aria-label={t('customer.tier')}
            style={{ width: 140 }}
            value={tier}
            onChange={(v) => setParam('tier', (v as string | undefined) || undefined)}
          />
        </Flex>
        {query.isError && (
          <Alert type="error" showIcon title={t('errors.loadFailed')} description={query.error.message} style={{ marginBottom: 16 }} />
        )}
        <div data-testid="customer-table">
          <Table<Customer>
            rowKey="id"
            size="middle"
            loading={query.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 960 }}
            locale={{ emptyText: <Empty description={q || tier ? t('customers.emptyFiltered') : t('customers.empty')} /> }}
            columns={[
              {
                title: t('customer.name'),
                dataIndex: 'name',
                render: (name: string, c) => (
                  <Space size={6} wrap>
                    <Link to={`/customers/${c.id}`}>{name}</Link>
                    {c.specialNeeds && <SpecialNeedsTag note={c.specialNeedsNote} />}
                  </Space>
                ),
              },
              { title: t('customer.company'), dataIndex: 'company', render: (v: string | null) => v ?? <span className="ac-muted">—</span> },
              {
                title: t('customers.contact'),
                key: 'contact',
                render: (_: unknown, c) => (
                  <div>
                    {c.phone && (
                      <div className="ac-nowrap">
                        <PhoneOutlined className="ac-muted" /> {c.phone}
                      </div>
                    )}
                    {c.email && (
                      <div className="ac-nowrap">
                        <MailOutlined className="ac-muted" /> {c.email}
                      </div>
                    )}
                    {!c.phone && !c.email && <span className="ac-muted">—</span>}
                  </div>
                ),
              },
              { title: t('customer.tier'), dataIndex: 'tier', width: 100, render: (v: CustomerTier) => <TierTag tier={v} /> },
              {
                title: t('customers.openTickets'),
                dataIndex: 'openTickets',
                width: 110,
                align: 'right',
                render: (n: number | undefined) => (n === undefined ? <span className="ac-muted">—</span> : n),
              },
              { title: t('field.updatedAt'), dataIndex: 'updatedAt', width: 130, render: (v: string) => <DateTime value={v} relative /> },
            ]}
          />
        </div>
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{rows.length > 0 && t('customers.loaded', { count: rows.length })}</Typography.Text>
          {query.hasNextPage ? (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
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
