// 客户设备: every customer's units, searched by serial, model, customer name or phone, filtered by warranty today;
// register one, or import many from CSV / XLSX with a report per row.
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Select, Space, Table, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { unitApi, type UnitImportResult, type UnitRecord } from '../../api/products.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { WarrantyStatusTag } from '../../components/warranty.js';
import { UnitFormModal } from './UnitFormModal.js';

export default function UnitListPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canWrite = user.role !== 'qa';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q')?.trim() || undefined;
  const warranty = sp.get('warranty') || undefined;
  const [creating, setCreating] = useState(false);
  const [report, setReport] = useState<UnitImportResult | null>(null);
  const [importing, setImporting] = useState(false);
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };
  const params = useMemo(() => ({ q, warranty, limit: 50 }), [q, warranty]);
  const query = useInfiniteQuery({
    queryKey: ['units', params],
    queryFn: ({ pageParam, signal }) => unitApi.list({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  const runImport = async (file: File) => {
    setImporting(true);
    try {
      const r = await unitApi.import(file);
      setReport(r);
      await qc.invalidateQueries({ queryKey: ['units'] });
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setImporting(false);
    }
  };

  return (
    <div>
      <PageHeader
        title={t('units.title')}
        subtitle={t('units.subtitle')}
        testId="page-title"
        extra={
          canWrite && (
            <Space wrap>
              <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => (void runImport(f as File), false)}>
                <Button icon={<UploadOutlined />} loading={importing} data-testid="import-units">
                  {t('units.import')}
                </Button>
              </Upload>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-unit">
                {t('units.new')}
              </Button>
            </Space>
          )
        }
      />
      <Flex vertical gap={16}>
        {canWrite && !report && <Typography.Text type="secondary">{t('units.importHint')}</Typography.Text>}
        {report && (
          <Card size="small" data-testid="import-report" title={t('units.importResult', { created: report.created, skipped: report.skipped })} extra={<Button size="small" onClick={() => setReport(null)}>{t('units.close')}</Button>}>
            {report.errors.length === 0 ? (
              <Alert type="success" showIcon title={t('units.importClean')} />
            ) : (
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.field}-${e.message}`}
                pagination={false}
                dataSource={report.errors}
                columns={[
                  { title: t('units.row'), dataIndex: 'row', width: 70 },
                  { title: t('units.reason'), dataIndex: 'message' },
                ]}
              />
            )}
          </Card>
        )}
        <Card>
          <Flex gap={8} wrap style={{ marginBottom: 16 }}>
            <SearchBox value={q} onSearch={(v) => setParam('q', v)} placeholder={t('units.search')} testId="unit-search" />
            <Select
              allowClear
              placeholder={t('units.warranty')}
              aria-label={t('units.warranty')}
              style={{ width: 160 }}
              value={warranty}
              onChange={(v) => setParam('warranty', v || undefined)}
              options={(['in', 'out', 'unknown'] as const).map((s) => ({ value: s, label: t(`warranty.status.${s}`) }))}
            />
          </Flex>
          {query.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={query.error.message} style={{ marginBottom: 16 }} />}
          <div data-testid="unit-table">
            <Table<UnitRecord>
              rowKey="id"
              size="middle"
              loading={query.isLoading}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 900 }}
              columns={[
                { title: t('units.serial'), dataIndex: 'serialNumber', render: (v: string | null, u) => <Link to={`/units/${u.id}`}>{v ?? `#${u.id}`}</Link> },
                {
                  title: t('units.model'),
                  dataIndex: 'productModel',
                  render: (v: string, u) => (
                    <div>
                      <div>{v}</div>
                      {u.productName && <div className="ac-muted">{u.productName}</div>}
                    </div>
                  ),
                },
                {
                  title: t('units.customer'),
                  key: 'customer',
                  render: (_: unknown, u) => (
                    <div>
                      <Link to={`/customers/${u.customer.id}`}>{u.customer.name}</Link>
                      {u.customer.phone && <div className="ac-muted">{u.customer.phone}</div>}
                    </div>
                  ),
                },
                { title: t('units.purchaseDate'), dataIndex: 'purchaseDate', width: 120, render: (v: string | null) => v ?? <span className="ac-muted">—</span> },
                { title: t('units.warranty'), key: 'warranty', width: 150, render: (_: unknown, u) => <WarrantyStatusTag warranty={u.warranty} /> },
              ]}
            />
          </div>
          {query.hasNextPage && (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} style={{ marginTop: 12 }}>
              {t('common.loadMore')}
            </Button>
          )}
        </Card>
      </Flex>
      {creating && <UnitFormModal unit={null} onClose={() => setCreating(false)} />}
    </div>
  );
}
