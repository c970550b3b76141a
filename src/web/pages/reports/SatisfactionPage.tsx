// 满意度 (/reports/satisfaction): the customers' answers over a period — CSAT, average score, NPS with its groups, the
// response rate, a trend per day and, per department, the same figures — with the answers behind them listed below, and
// the open follow-up calls (回访). For supervisors, managers, directors, admins and QA (reads only); the server limits
// those who do not see every ticket to their own department.
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Result, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { SurveyAggregate, SurveyListItem, SurveyReport } from '../../../shared/surveys.js';
import { surveyApi, type SatisfactionQuery } from '../../api/endpoints.js';
import { useDepartments } from '../../api/queries.js';
import { canReadReports } from '../../app/adminAccess.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { NPS_GROUP_COLOR, npsGroup } from '../../components/surveyLabels.js';
import { LoadError } from '../admin/SettingsList.js';
import { FollowUpsCard } from './FollowUpsCard.js';
import { PERIOD_PRESETS, periodOf, type PeriodPreset } from './period.js';
import { TrendChart } from './TrendChart.js';

const ANSWERS_PAGE = 50;

const fmt = (v: number | null, suffix = '') => (v === null ? '—' : `${v}${suffix}`);

export default function SatisfactionPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const preset = (PERIOD_PRESETS as readonly string[]).includes(params.get('period') ?? '') ? (params.get('period') as PeriodPreset) : '30d';
  const range = params.get('start') && params.get('end') ? { start: params.get('start')!, end: params.get('end')! } : null;
  const departmentId = Number(params.get('department')) || undefined;
  // The presets end "now": fixed when the filter changes (in the same render, so no request goes out for the old
  // filter), and the report and its list count over the same interval.
  const filterKey = params.toString();
  const [stamp, setStamp] = useState(() => ({ filterKey, now: Date.now() }));
  if (stamp.filterKey !== filterKey) setStamp({ filterKey, now: Date.now() });
  const now = stamp.filterKey === filterKey ? stamp.now : Date.now();
  const period = useMemo(() => periodOf(preset, now, range), [preset, now, range?.start, range?.end]); // eslint-disable-line react-hooks/exhaustive-deps
  const departments = useDepartments();

  const setFilter = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  const query: SatisfactionQuery | null = period ? { ...period, departmentId } : null;
  const allowed = canReadReports(user.role);
  const report = useQuery({ queryKey: ['reports', 'satisfaction', query], queryFn: () => surveyApi.report(query!), enabled: allowed && !!query, placeholderData: keepPreviousData });
  const answers = useInfiniteQuery({
    queryKey: ['reports', 'satisfaction', 'answers', query],
    queryFn: ({ pageParam }) => surveyApi.answers({ ...query!, limit: ANSWERS_PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed && !!query,
  });

  if (!allowed) return <Result status="403" title={t('admin.forbidden')} subTitle={t('satisfaction.forbidden')} />;

  const r = report.data;
  // Someone who sees only their department's tickets gets it whatever they ask: the select shows it, fixed.
  const fixedDepartment = r && r.departmentId !== null && departmentId === undefined ? r.departmentId : null;
  const deptName = (id: number | null) => {
    const d = id === null ? undefined : departments.byId.get(id);
    return d ? (i18n.language.startsWith('en') ? d.nameEn : d.nameZh) : t('satisfaction.noDepartment');
  };
  const listed = answers.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader title={t('satisfaction.title')} subtitle={t('satisfaction.subtitle')} testId="page-title" />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={[16, 12]}>
          <Segmented<PeriodPreset>
            className="ac-wrap-segmented"
            value={preset}
            options={PERIOD_PRESETS.map((p) => ({ value: p, label: t(`satisfaction.period.${p}`) }))}
            onChange={(v) => setFilter({ period: v === '30d' ? undefined : v, ...(v === 'custom' ? {} : { start: undefined, end: undefined }) })}
            data-testid="period-preset"
          />
          {preset === 'custom' && (
            <DatePicker.RangePicker
              allowClear={false}
              aria-label={t('satisfaction.period.custom')}
              value={range ? [dayjs(range.start), dayjs(range.end)] : null}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(v) => v?.[0] && v[1] && setFilter({ start: v[0].format('YYYY-MM-DD'), end: v[1].format('YYYY-MM-DD') })}
              data-testid="period-range"
            />
          )}
          <Select
            allowClear={fixedDepartment === null}
            disabled={fixedDepartment !== null}
            placeholder={t('satisfaction.allDepartments')}
            aria-label={t('satisfaction.department')}
            style={{ width: 200 }}
            value={fixedDepartment ?? departmentId}
            options={departments.items.map((d) => ({ value: d.id, label: deptName(d.id) }))}
            onChange={(v?: number) => setFilter({ department: v ? String(v) : undefined })}
            data-testid="filter-department"
          />
          {period && (
            <Typography.Text type="secondary" data-testid="period-text">
              {dayjs(period.from).format('YYYY-MM-DD HH:mm')} – {dayjs(period.to).format('YYYY-MM-DD HH:mm')}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {!period && <Typography.Paragraph type="secondary">{t('satisfaction.pickRange')}</Typography.Paragraph>}
      <LoadError error={report.error ?? answers.error} />
      {r && period && (
        <>
          <Figures report={r} />
          <Card title={t('satisfaction.trend.title')} size="small" style={{ marginBottom: 16 }}>
            <TrendChart report={r} period={period} />
          </Card>
          {r.byDepartment.length > 1 && <ByDepartment report={r} deptName={deptName} />}
          <FollowUpsCard departmentId={departmentId} />
          <Card
            title={t('satisfaction.answers.title')}
            size="small"
            style={{ marginBottom: 16 }}
            extra={
              <Typography.Text type="secondary" data-testid="answers-count">
                {t('satisfaction.answers.count', { shown: listed.length, total: r.total.count })}
              </Typography.Text>
            }
          >
            <AnswersTable items={listed} loading={answers.isFetching} />
            {answers.hasNextPage && (
              <div style={{ textAlign: 'center', marginTop: 12 }}>
                <Button onClick={() => void answers.fetchNextPage()} loading={answers.isFetchingNextPage} data-testid="answers-more">
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </Card>
        </>
      )}
      {!(r && period) && <FollowUpsCard departmentId={departmentId} />}
    </div>
  );
}

function Figures({ report: r }: { report: SurveyReport }) {
  const { t } = useTranslation();
  const a = r.total;
  const card = (testId: string, title: string, value: string, foot: ReactNode) => (
    <Col xs={12} xl={6}>
      <Card size="small" style={{ height: '100%' }} data-testid={testId}>
        <Statistic title={title} value={value} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {foot}
        </Typography.Text>
      </Card>
    </Col>
  );
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {card('kpi-csat', t('satisfaction.csat'), fmt(a.csat, '%'), t('satisfaction.csatFoot', { satisfied: a.satisfied, count: a.count }))}
      {card('kpi-average', t('satisfaction.average'), a.averageScore === null ? '—' : `${a.averageScore.toFixed(2)} / 5`, t('satisfaction.averageFoot', { count: a.count }))}
      {card(
        'kpi-nps',
        t('satisfaction.nps'),
        fmt(a.nps),
        <Space size={4} wrap>
          <Tag color="green" data-testid="nps-promoters">{t('satisfaction.promoters', { n: a.promoters })}</Tag>
          <Tag data-testid="nps-passives">{t('satisfaction.passives', { n: a.passives })}</Tag>
          <Tag color="red" data-testid="nps-detractors">{t('satisfaction.detractors', { n: a.detractors })}</Tag>
        </Space>,
      )}
      {card('kpi-response', t('satisfaction.response'), fmt(r.response.rate, '%'), t('satisfaction.responseFoot', { answered: r.response.answered, sent: r.response.sent }))}
    </Row>
  );
}

function ByDepartment({ report, deptName }: { report: SurveyReport; deptName: (id: number | null) => string }) {
  const { t } = useTranslation();
  type Row = SurveyAggregate & { departmentId: number | null };
  const columns: ColumnsType<Row> = [
    { title: t('satisfaction.department'), key: 'd', render: (_: unknown, d) => deptName(d.departmentId) },
    { title: t('satisfaction.answers.countHeader'), dataIndex: 'count', align: 'right' },
    { title: t('satisfaction.average'), dataIndex: 'averageScore', align: 'right', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
    { title: 'CSAT', dataIndex: 'csat', align: 'right', render: (v: number | null) => fmt(v, '%') },
    { title: 'NPS', dataIndex: 'nps', align: 'right', render: (v: number | null) => fmt(v) },
  ];
  return (
    <Card title={t('satisfaction.byDepartment')} size="small" style={{ marginBottom: 16 }}>
      <Table<Row> rowKey={(d) => String(d.departmentId)} size="small" columns={columns} dataSource={report.byDepartment} pagination={false} scroll={{ x: 'max-content' }} data-testid="by-department" />
    </Card>
  );
}

function AnswersTable({ items, loading }: { items: SurveyListItem[]; loading: boolean }) {
  const { t } = useTranslation();
  const columns: ColumnsType<SurveyListItem> = [
    {
      title: t('satisfaction.answers.ticket'),
      key: 'ticket',
      width: 260,
      render: (_: unknown, a) => (
        <Link to={`/tickets/${a.ticketNumber}`} data-testid="answer-ticket">
          <span className="ac-number">{a.ticketNumber}</span>
          <div className="ac-ticket-excerpt">{a.ticketTitle}</div>
        </Link>
      ),
    },
    { title: t('survey.score'), dataIndex: 'score', width: 120, render: (v: number) => <span data-testid="answer-score">{t('survey.scoreOf', { score: v })}</span> },
    {
      title: 'NPS',
      dataIndex: 'nps',
      width: 120,
      render: (v: number) => (
        <Space size={4}>
          <span data-testid="answer-nps">{v}</span>
          <Tag color={NPS_GROUP_COLOR[npsGroup(v)]}>{t(`survey.npsGroup.${npsGroup(v)}`)}</Tag>
        </Space>
      ),
    },
    { title: t('survey.comment'), dataIndex: 'comment', width: 320, render: (v: string | null) => <span className="ac-pre">{v ?? '—'}</span> },
    { title: t('survey.answeredAt'), dataIndex: 'answeredAt', width: 150, render: (v: string) => <DateTime value={v} /> },
  ];
  return (
    <Table<SurveyListItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      // The answers scroll inside their card: the page keeps its figures and the follow-ups in reach.
      scroll={{ x: 940, y: 560 }}
      locale={{ emptyText: t('satisfaction.answers.empty') }}
      data-testid="answers-table"
    />
  );
}
