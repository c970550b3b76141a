// 我的上门 (/field): the engineer's day on a phone, one hand (390 × 844). Today's visits in order, each with the
// address, tap-to-call, a navigation link and the next steps as big buttons; the times recorded so far and a late
// arrival. Part of the console bundle, outside the menu shell: same sign-in, language and API client, one code-split
// chunk. The signature pad, the service report, charges and parts (and working offline) are later pieces of issue 16;
// `StepExtras` is where they go.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { AimOutlined, LeftOutlined, PhoneOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.js';
import { nextSteps, OPTIONAL_STEPS, VISIT_STEP_LIST, visitKeys, visitsApi, type Visit, type VisitStep } from '../../api/visits.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { addDays, FIELD_TZ, zonedDate, zonedTime } from '../dispatch/time.js';

/** A map search for the address: opens the map app on a phone (Amap's URI API), a web map elsewhere. */
const mapLink = (address: string) => `https://uri.amap.com/search?keyword=${encodeURIComponent(address)}`;

export default function FieldPage() {
  const { t } = useTranslation();
  const today = zonedDate(FIELD_TZ, Date.now());
  const [params, setParams] = useSearchParams();
  const asked = params.get('date');
  const date = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : today;
  // The day is in the address, so a reload or a shared link keeps it.
  const setDate = (d: string) => setParams(d === today ? {} : { date: d }, { replace: true });
  const visits = useQuery({ queryKey: visitKeys.mine(date), queryFn: () => visitsApi.mine(date) });
  const items = (visits.data?.items ?? []).filter((v) => v.status !== 'cancelled');

  return (
    <div className="ac-field" style={{ padding: 12 }} data-testid="field-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to="/tickets" style={{ color: 'inherit' }}>
            {t('fieldPage.title')}
          </Link>
        </Typography.Title>
        <LanguageSwitch />
      </Space>
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Button size="large" icon={<LeftOutlined />} onClick={() => setDate(addDays(date, -1))} aria-label={t('fieldPage.prevDay')} />
        <Button size="large" style={{ flex: 1 }} onClick={() => setDate(today)} data-testid="field-date">
          {date === today ? `${t('fieldPage.today')} ${date.slice(5)}` : date}
        </Button>
        <Button size="large" icon={<RightOutlined />} onClick={() => setDate(addDays(date, 1))} aria-label={t('fieldPage.nextDay')} />
      </Space.Compact>
      {visits.isLoading ? (
        <Spin />
      ) : visits.error ? (
        <Alert type="error" title={(visits.error as Error).message} />
      ) : items.length === 0 ? (
        <Empty description={t('fieldPage.empty')} />
      ) : (
        items.map((v, i) => <FieldVisit key={v.id} v={v} index={i + 1} date={date} />)
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
        {t('fieldPage.laterPieces')}
      </Typography.Paragraph>
    </div>
  );
}

function FieldVisit({ v, index, date }: { v: Visit; index: number; date: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<VisitStep | null>(null);
  const next = nextSteps(v);

  const record = async (step: VisitStep) => {
    setBusy(step);
    try {
      await visitsApi.step(v.id, step, v.version);
      void message.success(t('fieldPage.stepDone', { step: t(`visits.step.${step}`) }));
    } catch (err) {
      void message.error(isApiError(err) && err.code === 'stale_version' ? t('visits.stale') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
      void queryClient.invalidateQueries({ queryKey: visitKeys.mine(date) });
    }
  };

  return (
    <Card style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid={`field-visit-${v.id}`}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
        <Typography.Text strong style={{ fontSize: 20 }}>
          {index}. {zonedTime(FIELD_TZ, v.windowStart)}–{zonedTime(FIELD_TZ, v.windowEnd)}
        </Typography.Text>
        <Space size={4}>
          {v.late && (
            <Tag color="red" data-testid={`field-late-${v.id}`}>
              {t('visits.late')}
            </Tag>
          )}
          <Tag color={v.status === 'left' ? 'green' : 'blue'}>{t(`visits.status.${v.status}`)}</Tag>
        </Space>
      </Space>
      <div style={{ fontSize: 16, marginTop: 4 }}>
        {v.customerName} · {t(`visits.kind.${v.kind}`)}
      </div>
      <div className="ac-hint" style={{ fontSize: 14 }}>
        {v.ticketTitle}
        {v.productModel ? ` · ${v.productModel}` : ''}
      </div>
      <div style={{ fontSize: 15, margin: '6px 0' }}>{v.address}</div>
      {(v.parts.length > 0 || v.loanerNeeded) && (
        <div style={{ marginBottom: 6 }}>
          {v.parts.map((p) => (
            <Tag key={p}>{p}</Tag>
          ))}
          {v.loanerNeeded && <Tag color="purple">{t('visits.loaner')}</Tag>}
        </div>
      )}
      <div style={{ display: 'flex', gap: 8, marginBottom: 10 }}>
        {v.contactPhone && (
          <Button size="large" style={{ flex: 1 }} icon={<PhoneOutlined />} href={`tel:${v.contactPhone.replace(/[^\d+]/g, '')}`} data-testid={`field-call-${v.id}`}>
            {t('fieldPage.call')}
          </Button>
        )}
        <Button size="large" style={{ flex: 1 }} icon={<AimOutlined />} href={mapLink(v.address)} target="_blank" rel="noopener noreferrer" data-testid={`field-nav-${v.id}`}>
          {t('fieldPage.navigate')}
        </Button>
      </div>
      <StepTimes v={v} />
      {next.length === 0 ? (
        <Alert type="success" showIcon title={t('fieldPage.finished')} />
      ) : (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}>
          {next.map((s) => (
            <Button
              key={s}
              block
              className="ac-field-step"
              type={OPTIONAL_STEPS.includes(s) ? 'default' : 'primary'}
              loading={busy === s}
              disabled={busy !== null && busy !== s}
              onClick={() => void record(s)}
              data-testid={`field-step-${v.id}-${s}`}
            >
              {t(`visits.step.${s}`)}
            </Button>
          ))}
        </div>
      )}
    </Card>
  );
}

/** The steps recorded so far with their times. */
function StepTimes({ v }: { v: Visit }) {
  const { t } = useTranslation();
  const done = VISIT_STEP_LIST.filter((s) => v.steps[s]);
  if (done.length === 0) return <div className="ac-hint">{t('fieldPage.window', { time: `${zonedTime(FIELD_TZ, v.windowStart)}–${zonedTime(FIELD_TZ, v.windowEnd)}` })}</div>;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }} data-testid={`field-times-${v.id}`}>
      {done.map((s) => (
        <Tag key={s} color={s === 'arrived' && v.late ? 'red' : 'default'} style={{ fontSize: 13, padding: '2px 6px' }}>
          {t(`visits.status.${s}`)} {zonedDate(FIELD_TZ, v.steps[s]!) === zonedDate(FIELD_TZ, v.windowStart) ? '' : `${zonedDate(FIELD_TZ, v.steps[s]!).slice(5)} `}
          {zonedTime(FIELD_TZ, v.steps[s]!)}
        </Tag>
      ))}
    </div>
  );
}
