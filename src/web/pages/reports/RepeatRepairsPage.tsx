// 30天重复维修 (/reports/repeat-repairs): the repairs closed in a period, which of them were repaired again within 30 days
// (same unit, same fault class — the ticket's or a visit report's), and the rate per product model, engineer and month
// against the seed's ≤ 5 % target (a dashed line on the monthly bars). Every figure comes from the rows listed below.
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Result, Row, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { RepeatRepairGroup, RepeatRepairRow } from '../../../shared/care.js';
import { careApi, careKeys } from '../../api/care.js';
import { canReadReports } from '../../app/adminAccess.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadError } from '../admin/SettingsList.js';

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export default function RepeatRepairsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const from = DAY.test(params.get('from') ?? '') ? params.get('from')! : dayjs().subtract(89, 'day').format('YYYY-MM-DD');
  const to = DAY.test(params.get('to') ?? '') ? params.get('to')! : dayjs().format('YYYY-MM-DD');
  const allowed = canReadReports(user.role);
  const report = useQuery({ queryKey: careKeys.repeats(from, to), queryFn: () => careApi.repeats(from, to), enabled: allowed, placeholderData: keepPreviousData });
  if (!allowed) return <Result status="403" title={t('admin.forbidden')} />;
  const r = report.data;
  const target = r?.target ?? 0.05;
  const rate = (v: number) => <Tag color={v > target ? 'red' : 'green'}>{pct(v)}</Tag>;
  const groupColumns = (first: string): ColumnsType<RepeatRepairGroup> => [
    { title: first, render: (_, g) => g.label || t('care.repeat.unassigned') },
    { title: t('care.repeat.closed'), dataIndex: 'closed', align: 'right' },
    { title: t('care.repeat.repeats'), dataIndex: 'repeats', align: 'right' },
    { title: t('care.repeat.rate'), align: 'right', render: (_, g) => rate(g.rate) },
  ];
  const rowColumns: ColumnsType<RepeatRepairRow> = [
    { title: t('care.repeat.number'), render: (_, row) => <Link to={`/tickets/${row.number}`}>{row.number}</Link> },
    { title: t('care.repeat.model'), render: (_, row) => row.productModel ?? '—' },
    { title: t('care.repeat.engineer'), render: (_, row) => row.engineer?.name ?? t('care.repeat.unassigned') },
    { title: t('care.repeat.closedAt'), render: (_, row) => <DateTime value={row.closedAt} /> },
    { title: t('care.repeat.month'), dataIndex: 'month' },
    { title: t('care.repeat.repeatTicket'), render: (_, row) => (row.repeat ? <Link to={`/tickets/${row.repeat.number}`}>{row.repeat.number}</Link> : t('care.repeat.none')) },
  ];
  return (
    <div>
      <PageHeader title={t('care.repeat.title')} testId="page-title" />
      <Typography.Paragraph type="secondary">{t('care.repeat.intro')}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <span style={{ marginRight: 8 }}>{t('care.repeat.period')}</span>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          onChange={(v) => v?.[0] && v[1] && setParams({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') }, { replace: true })}
          data-testid="repeat-period"
        />
      </Card>
      {report.error ? (
        <LoadError error={report.error} />
      ) : (
        r && (
          <>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={6}>
                <Card>
                  <Statistic title={t('care.repeat.closed')} value={r.total.closed} data-testid="repeat-closed" />
                </Card>
              </Col>
              <Col span={6}>
                <Card>
                  <Statistic title={t('care.repeat.repeats')} value={r.total.repeats} data-testid="repeat-repeats" />
                </Card>
              </Col>
              <Col span={12}>
                <Card>
                  <Statistic title={t('care.repeat.rate')} value={r.total.rate} formatter={() => <span style={{ color: r.total.rate > target ? '#cf1322' : '#389e0d' }}>{pct(r.total.rate)}</span>} data-testid="repeat-rate" />
                  <span className="ac-hint">{t('care.repeat.target', { pct: pct(target) })}</span>
                </Card>
              </Col>
            </Row>
            <Card title={t('care.repeat.byMonth')} style={{ marginBottom: 16 }}>
              <MonthBars groups={r.byMonth} target={target} />
            </Card>
            <Row gutter={16}>
              <Col span={12}>
                <Card title={t('care.repeat.byModel')} style={{ marginBottom: 16 }}>
                  <Table<RepeatRepairGroup> rowKey="key" size="small" pagination={false} dataSource={r.byModel} columns={groupColumns(t('care.repeat.model'))} data-testid="repeat-by-model" />
                </Card>
              </Col>
              <Col span={12}>
                <Card title={t('care.repeat.byEngineer')} style={{ marginBottom: 16 }}>
                  <Table<RepeatRepairGroup> rowKey="key" size="small" pagination={false} dataSource={r.byEngineer} columns={groupColumns(t('care.repeat.engineer'))} data-testid="repeat-by-engineer" />
                </Card>
              </Col>
            </Row>
            <Card title={t('care.repeat.rows')}>
              <Table<RepeatRepairRow> rowKey="number" size="small" dataSource={r.rows} columns={rowColumns} pagination={{ pageSize: 50 }} data-testid="repeat-rows" />
            </Card>
          </>
        )
      )}
    </div>
  );
}

/** The monthly rates as bars, with the target as a dashed line; the scale tops out at twice the target or the highest rate. */
function MonthBars({ groups, target }: { groups: RepeatRepairGroup[]; target: number }) {
  const { t } = useTranslation();
  const top = Math.max(target * 2, ...groups.map((g) => g.rate));
  const H = 160;
  const y = (v: number) => H - (v / top) * H;
  return (
    <div style={{ position: 'relative', height: H + 40, paddingLeft: 48 }} data-testid="repeat-month-bars">
      <div style={{ position: 'absolute', left: 48, right: 0, top: y(target), borderTop: '2px dashed #cf1322' }} data-testid="repeat-target-line">
        <span style={{ position: 'absolute', left: -48, top: -10, fontSize: 12, color: '#cf1322' }}>{pct(target)}</span>
      </div>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 16, height: H }}>
        {groups.map((g) => (
          <div key={g.key} style={{ width: 56, textAlign: 'center' }} title={`${g.repeats}/${g.closed}`}>
            <div style={{ fontSize: 12 }}>{pct(g.rate)}</div>
            <div style={{ height: Math.max(2, H - y(g.rate) - 18), background: g.rate > target ? '#ff7875' : '#95de64', borderRadius: 2 }} />
          </div>
        ))}
      </div>
      <div style={{ display: 'flex', gap: 16, marginTop: 4 }}>
        {groups.map((g) => (
          <div key={g.key} style={{ width: 56, textAlign: 'center', fontSize: 12 }}>
            {g.label}
          </div>
        ))}
      </div>
      {groups.length === 0 && <div className="ac-hint">{t('care.repeat.none')}</div>}
    </div>
  );
}
