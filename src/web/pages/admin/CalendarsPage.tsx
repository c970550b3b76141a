// 工作日历: the working hours of each weekday, the holidays and make-up working days admins enter (China's are
// published by the State Council each winter for the next year), and which years are covered.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Calendar,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TimePicker,
  Tooltip,
  Typography,
} from 'antd';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { slaApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { CalendarDay, CalendarView, WeekHours } from '../../api/types.js';
import { PageHeader } from '../../components/PageHeader.js';
import { serverNow } from '../../components/sla/time.js';
import { minutesToHHmm, parseDayLines, yearRanges, type DayKind } from './calendarImport.js';
import { statutoryDay } from './statutoryDays.js';
import { AdminGate, errorText, ReadOnlyNotice, useCanEdit } from './common.js';
import { LoadError } from './SettingsList.js';

/** Monday first, as Chinese calendars show the week. */
const WEEK_ORDER = ['1', '2', '3', '4', '5', '6', '0'] as const;
type DayKey = (typeof WEEK_ORDER)[number];
type Interval = [number, number];

export default function CalendarsPage() {
  return (
    <AdminGate page="calendars">
      <Calendars />
    </AdminGate>
  );
}

function Calendars() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const calendars = useQuery({ queryKey: qk.calendars, queryFn: slaApi.calendars });
  const items = calendars.data?.items ?? [];
  const [selected, setSelected] = useState<number | null>(null);
  const current = items.find((c) => c.id === selected) ?? items[0];

  return (
    <div>
      <PageHeader title={t('nav.admin.calendars')} subtitle={t('admin.cal.subtitle')} testId="page-title" />
      {!canEdit && <ReadOnlyNotice />}
      <LoadError error={calendars.error} />
      {items.length > 1 && (
        <Segmented
          style={{ marginBottom: 16 }}
          value={current?.id}
          onChange={(v) => setSelected(Number(v))}
          options={items.map((c) => ({ value: c.id, label: <span data-testid={`calendar-${c.code}`}>{c.name}</span> }))}
        />
      )}
      {calendars.isLoading && <Card loading />}
      {current && <CalendarEditor key={current.id} calendar={current} canEdit={canEdit} />}
    </div>
  );
}

function CalendarEditor({ calendar, canEdit }: { calendar: CalendarView; canEdit: boolean }) {
  const { t } = useTranslation();
  const importRef = useRef<HTMLDivElement>(null);
  const nextYear = new Date(serverNow()).getFullYear() + 1;
  const missing = calendar.missingYears;
  const always = calendar.kind === 'always';

  return (
    <div className="ac-stack">
      {missing.length > 0 && !always && (
        <Alert
          type="warning"
          showIcon
          data-testid="calendar-missing"
          title={
            missing.length === 1 && missing[0] === nextYear
              ? t('admin.cal.missingNextYear', { year: nextYear })
              : t('admin.cal.missingYears', { years: missing.join(t('common.listSeparator')) })
          }
          description={t('admin.cal.missingHint')}
          action={
            canEdit && (
              <Button size="small" onClick={() => importRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })}>
                {t('admin.cal.enterNow')}
              </Button>
            )
          }
        />
      )}
      <Card size="small">
        <Space size={[16, 8]} wrap>
          <span>
            <Typography.Text type="secondary">{t('admin.cal.kind')}：</Typography.Text>
            <Tag style={{ marginInlineEnd: 0 }}>{t(`admin.cal.kinds.${calendar.kind}`)}</Tag>
          </span>
          <span>
            <Typography.Text type="secondary">{t('admin.cal.timeZone')}：</Typography.Text>
            {calendar.timeZone}
          </span>
          {!always && (
            <span data-testid="calendar-covered">
              <Typography.Text type="secondary">{t('admin.cal.covered')}：</Typography.Text>
              {calendar.coveredYears.length ? (
                <Space size={4} wrap>
                  {yearRanges(calendar.coveredYears).map((y) => (
                    <Tag key={y} color="success" style={{ marginInlineEnd: 0 }}>
                      {y}
                    </Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              )}
            </span>
          )}
        </Space>
        {calendar.kind === 'china' && (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t('admin.cal.chinaHint')}
          </Typography.Paragraph>
        )}
      </Card>
      {always ? (
        <Card>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.cal.alwaysOpen')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <WeekHoursCard calendar={calendar} canEdit={canEdit} />
          </Col>
          <Col xs={24} xl={14}>
            <div className="ac-stack">
              <DaysCard calendar={calendar} canEdit={canEdit} />
              {canEdit && (
                <div ref={importRef}>
                  <AddDaysCard calendar={calendar} />
                </div>
              )}
            </div>
          </Col>
        </Row>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- week hours

const toDayjs = (m: number) => dayjs().startOf('day').add(Math.min(m, 1439), 'minute');
const fromDayjs = (d: Dayjs, end: boolean) => {
  const m = d.hour() * 60 + d.minute();
  return end && m === 1439 ? 1440 : m;
};

function IntervalsEditor({
  value,
  onChange,
  disabled,
  testId,
}: {
  value: Interval[];
  onChange: (v: Interval[]) => void;
  disabled: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  if (disabled) {
    return value.length ? (
      <Space size={4} wrap>
        {value.map(([a, b], i) => (
          <Tag key={i} className="ac-tabular" style={{ marginInlineEnd: 0 }}>
            {minutesToHHmm(a)}–{minutesToHHmm(b)}
          </Tag>
        ))}
      </Space>
    ) : (
      <Typography.Text type="secondary">{t('admin.cal.closed')}</Typography.Text>
    );
  }
  return (
    <Flex vertical gap={6} data-testid={testId}>
      {value.map(([a, b], i) => (
        <Space key={i} size={4}>
          <TimePicker.RangePicker
            size="small"
            format="HH:mm"
            minuteStep={5}
            allowClear={false}
            order
            value={[toDayjs(a), toDayjs(b)]}
            onChange={(v) => {
              if (!v?.[0] || !v[1]) return;
              const next = [...value];
              next[i] = [fromDayjs(v[0], false), fromDayjs(v[1], true)];
              onChange(next);
            }}
          />
          <Button size="small" type="text" icon={<MinusCircleOutlined />} onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('common.remove')} />
        </Space>
      ))}
      <div>
        <Button
          size="small"
          type="dashed"
          icon={<PlusOutlined />}
          disabled={value.length >= 6}
          onClick={() => {
            const last = value[value.length - 1];
            const start = last ? Math.min(last[1] + 60, 1380) : 540;
            onChange([...value, [start, Math.min(start + 180, 1440)]]);
          }}
        >
          {value.length ? t('admin.cal.addInterval') : t('admin.cal.addWorkHours')}
        </Button>
      </div>
    </Flex>
  );
}

function sameHours(a: Record<string, Interval[]>, b: Record<string, Interval[]>) {
  return JSON.stringify(WEEK_ORDER.map((d) => a[d] ?? [])) === JSON.stringify(WEEK_ORDER.map((d) => b[d] ?? []));
}

/** Overlapping or reversed intervals, for a message before the server refuses them. */
function intervalProblem(list: Interval[]): boolean {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  return sorted.some(([a, b], i) => a >= b || (i > 0 && a < sorted[i - 1]![1]));
}

function WeekHoursCard({ calendar, canEdit }: { calendar: CalendarView; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const initial = useMemo(() => {
    const out: Record<string, Interval[]> = {};
    for (const d of WEEK_ORDER) out[d] = ((calendar.weekHours as Record<string, Interval[] | undefined>)[d] ?? []).map(([a, b]) => [a, b] as Interval);
    return out;
  }, [calendar.weekHours]);
  const initialWorkday = useMemo(() => (calendar.workdayHours ?? []).map(([a, b]) => [a, b] as Interval), [calendar.workdayHours]);
  const [hours, setHours] = useState(initial);
  const [workday, setWorkday] = useState<Interval[]>(initialWorkday);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setHours(initial), [initial]);
  useEffect(() => setWorkday(initialWorkday), [initialWorkday]);

  const dirty = !sameHours(hours, initial) || JSON.stringify(workday) !== JSON.stringify(initialWorkday);
  const bad = WEEK_ORDER.some((d) => intervalProblem(hours[d] ?? [])) || intervalProblem(workday);
  const total = (list: Interval[]) => list.reduce((s, [a, b]) => s + (b - a), 0);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const weekHours = Object.fromEntries(WEEK_ORDER.map((d) => [d, [...(hours[d] ?? [])].sort((x, y) => x[0] - y[0])])) as WeekHours;
      await slaApi.patchCalendar(calendar.id, {
        weekHours,
        workdayHours: workday.length ? [...workday].sort((x, y) => x[0] - y[0]) : null,
        version: calendar.version,
      });
      void message.success(t('admin.saved'));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: qk.calendars });
    }
  };

  return (
    <Card
      size="small"
      title={t('admin.cal.weekHours')}
      data-testid="week-hours"
      extra={
        canEdit && (
          <Space size={8}>
            {dirty && (
              <Button size="small" onClick={() => (setHours(initial), setWorkday(initialWorkday))}>
                {t('common.cancel')}
              </Button>
            )}
            <Button size="small" type="primary" disabled={!dirty || bad} loading={busy} onClick={() => void save()} data-testid="week-hours-save">
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      <table className="ac-week-table">
        <tbody>
          {WEEK_ORDER.map((d: DayKey) => (
            <tr key={d}>
              <th>{t(`admin.cal.weekday.${d}`)}</th>
              <td>
                <IntervalsEditor value={hours[d] ?? []} onChange={(v) => setHours({ ...hours, [d]: v })} disabled={!canEdit} testId={`week-${d}`} />
              </td>
              <td className="ac-muted ac-tabular ac-nowrap" style={{ textAlign: 'right' }}>
                {total(hours[d] ?? []) ? t('admin.hours', { n: Math.round((total(hours[d] ?? []) / 60) * 100) / 100 }) : ''}
              </td>
            </tr>
          ))}
          <tr className="ac-week-workday">
            <th>
              <Tooltip title={t('admin.cal.workdayHoursHint')}>
                <span>{t('admin.cal.workdayHours')}</span>
              </Tooltip>
            </th>
            <td>
              {!canEdit && workday.length === 0 ? (
                <Typography.Text type="secondary">{t('admin.cal.sameAsMonday')}</Typography.Text>
              ) : (
                <IntervalsEditor value={workday} onChange={setWorkday} disabled={!canEdit} testId="week-workday" />
              )}
              {canEdit && workday.length === 0 && (
                <div className="ac-hint" style={{ marginTop: 4 }}>
                  {t('admin.cal.sameAsMonday')}
                </div>
              )}
            </td>
            <td />
          </tr>
        </tbody>
      </table>
      {bad && <Alert type="error" showIcon title={t('admin.cal.overlap')} style={{ marginTop: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Card>
  );
}

// ---------------------------------------------------------------- days

function DaysCard({ calendar, canEdit }: { calendar: CalendarView; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const byDate = useMemo(() => new Map(calendar.days.map((d) => [d.date, d])), [calendar.days]);
  const [month, setMonth] = useState<Dayjs>(() => {
    const first = calendar.days.map((d) => d.date).sort().find((d) => d >= dayjs(serverNow()).format('YYYY-MM-DD'));
    return first ? dayjs(first) : dayjs(serverNow());
  });
  // After days are added (an import, say), show the month of the earliest new one.
  const known = useRef(new Set(calendar.days.map((d) => d.date)));
  useEffect(() => {
    const added = calendar.days.map((d) => d.date).filter((d) => !known.current.has(d)).sort();
    known.current = new Set(calendar.days.map((d) => d.date));
    if (added[0]) setMonth(dayjs(added[0]));
  }, [calendar.days]);
  const [removing, setRemoving] = useState<string | null>(null);
  const [filterYear, setFilterYear] = useState<string>('all');

  const remove = async (date: string) => {
    setRemoving(date);
    try {
      await slaApi.calendarDays(calendar.id, { days: [], remove: [date] });
      void message.success(t('admin.cal.removed', { date }));
    } catch (err) {
      void message.error(errorText(err, t));
    } finally {
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: qk.calendars });
    }
  };

  const years = [...new Set(calendar.days.map((d) => d.date.slice(0, 4)))].sort();
  const rows = [...calendar.days].filter((d) => filterYear === 'all' || d.date.startsWith(filterYear)).sort((a, b) => a.date.localeCompare(b.date));

  return (
    <Card size="small" title={t('admin.cal.days')} data-testid="calendar-days">
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={24} xxl={11}>
          <div className="ac-mini-calendar">
            <Calendar
              fullscreen={false}
              value={month}
              onPanelChange={(d) => setMonth(d)}
              onSelect={(d) => setMonth(d)}
              // Ant Design's own header has unlabelled year and month selects; these say what they choose.
              headerRender={({ value, onChange }) => (
                <Space size={8} style={{ padding: 8, justifyContent: 'flex-end', display: 'flex' }}>
                  <Select
                    size="small"
                    value={value.year()}
                    onChange={(y: number) => onChange(value.year(y))}
                    options={Array.from({ length: 11 }, (_, i) => value.year() - 5 + i).map((y) => ({ value: y, label: String(y) }))}
                    aria-label={t('admin.cal.yearLabel')}
                  />
                  <Select
                    size="small"
                    value={value.month()}
                    onChange={(m: number) => onChange(value.month(m))}
                    options={Array.from({ length: 12 }, (_, m) => ({ value: m, label: value.month(m).format(i18n.language === 'en' ? 'MMM' : 'M月') }))}
                    aria-label={t('admin.cal.monthLabel')}
                  />
                </Space>
              )}
              fullCellRender={(d, info) => {
                if (info.type !== 'date') return info.originNode;
                const date = d.format('YYYY-MM-DD');
                const day = byDate.get(date);
                // An admin-entered day wins over the statutory one, as in the server's calendar.
                const statutory = !day && calendar.kind === 'china' ? statutoryDay(date) : null;
                const kind = day?.kind ?? statutory?.kind;
                const cell = (
                  <div className={`ant-picker-cell-inner ac-day${kind ? ` ac-day-${kind}` : ''}${statutory ? ' ac-day-statutory' : ''}`} data-statutory={statutory ? statutory.kind : undefined}>
                    {d.date()}
                    {kind && <span className="ac-day-mark">{kind === 'holiday' ? t('admin.cal.holidayMark') : t('admin.cal.workdayMark')}</span>}
                  </div>
                );
                if (day) return <Tooltip title={`${t(`admin.cal.dayKind.${day.kind}`)}${day.note ? ` · ${day.note}` : ''}`}>{cell}</Tooltip>;
                if (statutory) {
                  const festival = i18n.language === 'en' ? statutory.nameEn : statutory.nameZh;
                  return <Tooltip title={`${t(`admin.cal.dayKind.${statutory.kind}`)} · ${festival} · ${t('admin.cal.statutory')}`}>{cell}</Tooltip>;
                }
                return cell;
              }}
            />
          </div>
          <Space size={12} style={{ marginTop: 8 }} className="ac-hint">
            <span>
              <span className="ac-legend ac-day-holiday" /> {t('admin.cal.dayKind.holiday')}
            </span>
            <span>
              <span className="ac-legend ac-day-workday" /> {t('admin.cal.dayKind.workday')}
            </span>
            {calendar.kind === 'china' && (
              <span>
                <span className="ac-legend ac-day-holiday ac-day-statutory" /> {t('admin.cal.statutoryLegend')}
              </span>
            )}
          </Space>
        </Col>
        <Col xs={24} md={12} xl={24} xxl={13}>
          {years.length > 1 && (
            <Segmented
              size="small"
              style={{ marginBottom: 8 }}
              value={filterYear}
              onChange={(v) => setFilterYear(String(v))}
              options={[{ value: 'all', label: t('admin.cal.allYears') }, ...years.map((y) => ({ value: y, label: y }))]}
            />
          )}
          <Table<CalendarDay>
            rowKey="date"
            size="small"
            pagination={rows.length > 12 ? { pageSize: 12, size: 'small', showSizeChanger: false } : false}
            dataSource={rows}
            locale={{ emptyText: <Typography.Text type="secondary">{t('admin.cal.noDays')}</Typography.Text> }}
            onRow={(d) => ({ onClick: () => setMonth(dayjs(d.date)), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('admin.cal.date'), dataIndex: 'date', width: 130, render: (d: string) => <span className="ac-tabular">{d} {t(`admin.cal.weekdayShort.${dayjs(d).day()}`)}</span> },
              {
                title: t('admin.cal.kind'),
                dataIndex: 'kind',
                width: 90,
                render: (k: DayKind) => (
                  <Tag color={k === 'holiday' ? 'red' : 'blue'} style={{ marginInlineEnd: 0 }}>
                    {t(`admin.cal.dayKind.${k}`)}
                  </Tag>
                ),
              },
              { title: t('admin.cal.note'), dataIndex: 'note', ellipsis: true, render: (n: string | null) => n ?? <span className="ac-muted">—</span> },
              ...(canEdit
                ? [
                    {
                      title: '',
                      key: 'remove',
                      width: 44,
                      render: (_: unknown, d: CalendarDay) => (
                        <Popconfirm title={t('admin.cal.removeConfirm', { date: d.date })} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => void remove(d.date)}>
                          <Button
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            loading={removing === d.date}
                            onClick={(e) => e.stopPropagation()}
                            aria-label={t('common.remove')}
                          />
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

function AddDaysCard({ calendar }: { calendar: CalendarView }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('admin.cal.enter')} data-testid="calendar-enter">
      <Tabs
        size="small"
        items={[
          { key: 'bulk', label: t('admin.cal.bulk'), children: <BulkImport calendar={calendar} /> },
          { key: 'single', label: t('admin.cal.single'), children: <AddDaysForm calendar={calendar} /> },
        ]}
      />
    </Card>
  );
}

function AddDaysForm({ calendar }: { calendar: CalendarView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ range?: [Dayjs, Dayjs]; kind: DayKind; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    let v: { range?: [Dayjs, Dayjs]; kind: DayKind; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const [from, to] = v.range!;
    const days: { date: string; kind: DayKind; note: string | null }[] = [];
    for (let d = from.startOf('day'); !d.isAfter(to, 'day') && days.length < 400; d = d.add(1, 'day')) {
      days.push({ date: d.format('YYYY-MM-DD'), kind: v.kind, note: v.note?.trim() || null });
    }
    setBusy(true);
    setError(null);
    try {
      await slaApi.calendarDays(calendar.id, { days, remove: [] });
      void message.success(t('admin.cal.added', { count: days.length }));
      form.resetFields(['range', 'note']);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: qk.calendars });
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ kind: 'holiday' }} onFinish={() => void submit()}>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="range" label={t('admin.cal.dates')} extra={t('admin.cal.datesHint')} rules={[{ required: true, message: t('validation.required', { field: t('admin.cal.dates') }) }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} data-testid="days-range" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('admin.cal.kind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'holiday', label: t('admin.cal.dayKind.holiday') },
                { value: 'workday', label: t('admin.cal.dayKind.workday') },
              ]}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t('admin.cal.note')}>
        <Input maxLength={100} placeholder={t('admin.cal.notePlaceholder')} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={busy} icon={<PlusOutlined />} data-testid="days-add">
        {t('admin.cal.add')}
      </Button>
    </Form>
  );
}

const EXAMPLE = ['2027-01-01 holiday 元旦', '2027-02-06 workday 春节调休', '2027-02-07 holiday 春节'].join('\n');

function BulkImport({ calendar }: { calendar: CalendarView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const parsed = useMemo(() => parseDayLines(text), [text]);
  const [covered, setCovered] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Offer to mark the imported years complete; pre-tick the ones the calendar reports missing.
  const yearsKey = parsed.years.join(',');
  useEffect(() => {
    setCovered(parsed.years.filter((y) => calendar.missingYears.includes(y)));
  }, [yearsKey, calendar.missingYears]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await slaApi.calendarDays(calendar.id, { days: parsed.days, remove: [], ...(covered.length ? { coveredYears: covered } : {}) });
      void message.success(t('admin.cal.imported', { count: parsed.days.length }));
      setText('');
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: qk.calendars });
    }
  };

  const holidays = parsed.days.filter((d) => d.kind === 'holiday').length;
  return (
    <Flex vertical gap={10}>
      <Typography.Text type="secondary">{t('admin.cal.bulkHint')}</Typography.Text>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 6, maxRows: 16 }}
        placeholder={EXAMPLE}
        className="ac-mono"
        data-testid="days-bulk"
      />
      {text.trim() && (
        <Typography.Text data-testid="days-bulk-summary">
          {t('admin.cal.parsed', { count: parsed.days.length, holidays, workdays: parsed.days.length - holidays })}
        </Typography.Text>
      )}
      {parsed.errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('admin.cal.parseErrors', { count: parsed.errors.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {parsed.errors.slice(0, 8).map((e) => (
                <li key={e.line}>
                  {t('admin.cal.lineError', { line: e.line, text: e.text, reason: t(`admin.cal.reason.${e.reason}`) })}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {parsed.years.length > 0 && (
        <div>
          <Typography.Text>{t('admin.cal.markCovered')}</Typography.Text>
          <div>
            <Checkbox.Group value={covered} onChange={(v) => setCovered(v as number[])} options={parsed.years.map((y) => ({ value: y, label: t('admin.cal.yearComplete', { year: y }) }))} />
          </div>
          <div className="ac-hint">{t('admin.cal.markCoveredHint')}</div>
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      <div>
        <Button type="primary" disabled={parsed.days.length === 0 || parsed.errors.length > 0} loading={busy} onClick={() => void submit()} data-testid="days-import">
          {t('admin.cal.import', { count: parsed.days.length })}
        </Button>
      </div>
    </Flex>
  );
}
