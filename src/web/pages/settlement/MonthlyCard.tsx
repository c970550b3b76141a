// The month's settlement (月度结算) per engineer or per service provider: approved money, what is still open, and the
// export to Excel or CSV in the console's language.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Segmented, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { yuan } from '../../api/parts.js';
import { settlementApi, settlementKeys, type MonthlySettlement } from '../../api/settlement.js';

type Row = MonthlySettlement['rows'][number];

export function MonthlyCard({ month }: { month: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [by, setBy] = useState<'engineer' | 'provider'>('engineer');
  const query = useQuery({ queryKey: settlementKeys.monthly(month, by), queryFn: () => settlementApi.monthly(month, by) });
  const download = (format: 'csv' | 'xlsx') => settlementApi.download(month, by, format).catch((e: Error) => message.error(e.message));
  const m = query.data;
  const money = (k: keyof Row) => ({ title: t(`settlement.col.${k}`), dataIndex: k, align: 'right' as const, render: (v: number) => yuan(v) });
  const count = (k: keyof Row) => ({ title: t(`settlement.col.${k}`), dataIndex: k, align: 'right' as const, width: 80 });

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Segmented value={by} onChange={(v) => setBy(v as 'engineer' | 'provider')} options={[{ value: 'engineer', label: t('settlement.by.engineer') }, { value: 'provider', label: t('settlement.by.provider') }]} data-testid="settlement-by" />
        <Space>
          <Button icon={<DownloadOutlined />} onClick={() => download('xlsx')} data-testid="settlement-export-xlsx">
            {t('settlement.export_xlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => download('csv')} data-testid="settlement-export-csv">
            {t('settlement.export_csv')}
          </Button>
        </Space>
      </Flex>
      {query.error && <Alert type="error" showIcon message={(query.error as Error).message} style={{ marginBottom: 12 }} />}
      {m && m.total.pending + m.total.rejected > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('settlement.open_warning', { pending: m.total.pending, rejected: m.total.rejected })} data-testid="settlement-open-warning" />
      )}
      <Table<Row>
        rowKey={(r) => String(r.id)}
        size="middle"
        loading={query.isLoading}
        dataSource={m?.rows ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="settlement-monthly"
        columns={[
          { title: t(`settlement.by.${by}`), dataIndex: 'name' },
          count('visits'),
          count('approved'),
          count('pending'),
          count('rejected'),
          money('charged'),
          money('collected'),
          money('difference'),
          money('labour'),
          { ...money('partsCost'), title: t('settlement.col.parts_cost') },
        ]}
        summary={() =>
          m && m.rows.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('settlement.col.total')}</Typography.Text>
              </Table.Summary.Cell>
              {(['visits', 'approved', 'pending', 'rejected'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 1} align="right">
                  {m.total[k]}
                </Table.Summary.Cell>
              ))}
              {(['charged', 'collected', 'difference', 'labour', 'partsCost'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 5} align="right">
                  <span data-testid={`settlement-total-${k}`}>{yuan(m.total[k])}</span>
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
