// The knowledge base for staff: ranked search with marked snippets, filters, drafts and internal articles included.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Select, Space, Statistic, Table, Typography } from 'antd';
import { DislikeOutlined, LikeOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { KB_CATEGORIES, KB_STATUSES, KB_VISIBILITIES } from '../../../shared/kb.js';
import { kbApi, kbKeys, type KbSearchItem } from '../../api/kb.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { KbStateTags, Segments, useLines } from './parts.js';

const FILTERS = ['category', 'productLine', 'visibility', 'status'] as const;

export default function KbListPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const lines = useLines();
  const q = sp.get('q')?.trim() || undefined;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, sp.get(f) || undefined])) as Record<(typeof FILTERS)[number], string | undefined>;
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };
  const params = useMemo(() => ({ q, ...filters, limit: 30 }), [q, filters.category, filters.productLine, filters.visibility, filters.status]); // eslint-disable-line react-hooks/exhaustive-deps
  const query = useInfiniteQuery({
    queryKey: kbKeys.search(params),
    queryFn: ({ pageParam, signal }) => kbApi.search({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const stats = useQuery({ queryKey: [...kbKeys.all, 'stats'], queryFn: () => kbApi.stats(), staleTime: 60_000 });
  const enumOptions = (values: readonly string[], ns: string) => values.map((v) => ({ value: v, label: t(`${ns}.${v}`) }));

  return (
    <div>
      <PageHeader
        title={t('kb.title')}
        subtitle={t('kb.subtitle')}
        testId="page-title"
        extra={
          <Link to="/kb/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="kb-new">
              {t('kb.new')}
            </Button>
          </Link>
        }
      />
      {stats.data && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="kb-stats">
          <Flex gap={40} wrap>
            <Statistic title={t('kb.stats.published')} value={stats.data.articles.published} />
            <Statistic title={t('kb.stats.deflections')} value={stats.data.deflections.total} />
            <Statistic title={t('kb.stats.questions')} value={stats.data.assistant.questions} />
            <Statistic title={t('kb.stats.answered')} value={stats.data.assistant.answered} />
            <Statistic title={t('kb.stats.solved')} value={stats.data.assistant.solved} />
            <Statistic title={t('kb.stats.handovers')} value={stats.data.assistant.handovers} />
          </Flex>
        </Card>
      )}
      <Card>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <SearchBox value={q} onSearch={(v) => setParam('q', v)} placeholder={t('kb.searchPlaceholder')} testId="kb-search" />
          <Select allowClear placeholder={t('kb.field.category')} aria-label={t('kb.field.category')} style={{ width: 130 }} value={filters.category} options={enumOptions(KB_CATEGORIES, 'kb.category')} onChange={(v) => setParam('category', v)} />
          <Select allowClear placeholder={t('kb.field.productLine')} aria-label={t('kb.field.productLine')} style={{ width: 140 }} value={filters.productLine} options={lines.items.map((l) => ({ value: l.line, label: l.label }))} onChange={(v) => setParam('productLine', v)} />
          <Select allowClear placeholder={t('kb.field.visibility')} aria-label={t('kb.field.visibility')} style={{ width: 120 }} value={filters.visibility} options={enumOptions(KB_VISIBILITIES, 'kb.visibility')} onChange={(v) => setParam('visibility', v)} />
          <Select allowClear placeholder={t('kb.field.status')} aria-label={t('kb.field.status')} style={{ width: 110 }} value={filters.status} options={enumOptions(KB_STATUSES, 'kb.status')} onChange={(v) => setParam('status', v)} />
        </Flex>
        {query.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={query.error.message} style={{ marginBottom: 16 }} />}
        <div data-testid="kb-table">
          <Table<KbSearchItem>
            rowKey="id"
            size="middle"
            loading={query.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty description={q ? t('kb.emptySearch') : t('kb.empty')} /> }}
            columns={[
              {
                title: t('kb.field.title'),
                key: 'title',
                render: (_: unknown, a) => (
                  <div style={{ minWidth: 0 }}>
                    <Space size={6} wrap>
                      <Link to={`/kb/${a.id}`} data-testid="kb-row-title">
                        {a.title}
                      </Link>
                      <KbStateTags visibility={a.visibility} status={a.status} />
                    </Space>
                    <div className="ac-muted" style={{ fontSize: 13, marginTop: 2 }}>
                      <Segments segments={a.snippet} />
                    </div>
                  </div>
                ),
              },
              { title: t('kb.field.category'), dataIndex: 'category', width: 100, render: (v: string) => t(`kb.category.${v}`) },
              { title: t('kb.field.productLine'), dataIndex: 'productLine', width: 110, render: (v: string | null) => lines.label(v) ?? <span className="ac-muted">{t('kb.allProducts')}</span> },
              {
                title: t('kb.helpful'),
                key: 'helpful',
                width: 110,
                render: (_: unknown, a) => (
                  <Space size={10} className="ac-nowrap">
                    <span aria-label={t('kb.helpfulYes')}>
                      <LikeOutlined /> {a.helpfulYes}
                    </span>
                    <span aria-label={t('kb.helpfulNo')}>
                      <DislikeOutlined /> {a.helpfulNo}
                    </span>
                  </Space>
                ),
              },
              { title: t('field.updatedAt'), dataIndex: 'updatedAt', width: 120, render: (v: string) => <DateTime value={v} relative /> },
            ]}
          />
        </div>
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{rows.length > 0 && t('kb.loaded', { count: rows.length })}</Typography.Text>
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
