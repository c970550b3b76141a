// 我的上门 (/field): the engineer's day on a phone, one hand (390 × 844). Today's visits in order, each with the
// address, tap-to-call, a navigation link and the next steps as big buttons; the times recorded so far and a late
// arrival. Part of the console bundle, outside the menu shell: same sign-in, language and API client, one code-split
// chunk. It keeps working without a network (offline/): presses and photos go through an outbox in IndexedDB and are
// sent when the phone is back online; a service worker keeps the page and the day's visits. The signature pad, the
// service report, charges and parts are later pieces of issue 16.
import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { AimOutlined, CameraOutlined, CloudSyncOutlined, DisconnectOutlined, LeftOutlined, PhoneOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCurrentUser } from '../../app/auth.js';
import { nextSteps, OPTIONAL_STEPS, VISIT_STEP_LIST, visitKeys, visitsApi, type Visit, type VisitStep } from '../../api/visits.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { addDays, FIELD_TZ, zonedDate, zonedTime } from '../dispatch/time.js';
import { overlay, type QueuedRequest } from './offline/outbox.js';
import { OutboxProblems, QueuedPhotos } from './offline/OutboxViews.js';
import { fieldRequests } from './offline/requests.js';
import type { FieldSync } from './offline/sync.js';
import { useFieldOutbox, useOnline } from './offline/useFieldOutbox.js';
import { InstallationAcceptance } from './InstallationAcceptance.js';

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
  // 'always': without a network the service worker answers with the day as last read (react-query would wait).
  const visits = useQuery({ queryKey: visitKeys.mine(date), queryFn: () => visitsApi.mine(date), networkMode: 'always' });
  const user = useCurrentUser();
  const online = useOnline();
  const { sync, items: queued } = useFieldOutbox(user.id);
  // A cancelled visit stays on the page while the phone still holds something of it (shown as a conflict).
  const items = (visits.data?.items ?? []).filter((v) => v.status !== 'cancelled' || queued.some((q) => q.meta.visitId === v.id));

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
      <SyncBar online={online} count={queued.length} onSync={sync.kick} />
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Button size="large" icon={<LeftOutlined />} onClick={() => setDate(addDays(date, -1))} aria-label={t('fieldPage.prevDay')} />
        <Button size="large" style={{ flex: 1 }} onClick={() => setDate(today)} data-testid="field-date">
          {date === today ? `${t('fieldPage.today')} ${date.slice(5)}` : date}
        </Button>
        <Button size="large" icon={<RightOutlined />} onClick={() => setDate(addDays(date, 1))} aria-label={t('fieldPage.nextDay')} />
      </Space.Compact>
      {visits.isLoading ? (
        <Spin />
      ) : visits.error && !visits.data ? (
        <Alert type="error" title={(visits.error as Error).message} />
      ) : items.length === 0 ? (
        <Empty description={t('fieldPage.empty')} />
      ) : (
        items.map((v, i) => <FieldVisit key={v.id} server={v} queued={queued.filter((q) => q.meta.visitId === v.id)} sync={sync} index={i + 1} />)
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
        {t('fieldPage.laterPieces')}
      </Typography.Paragraph>
    </div>
  );
}

/** Offline / 待同步 n: what the phone still holds for the server, and a way to send it now. */
function SyncBar({ online, count, onSync }: { online: boolean; count: number; onSync: () => void }) {
  const { t } = useTranslation();
  if (online && count === 0) return null;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }} data-testid="field-sync">
      {!online && (
        <Tag color="orange" icon={<DisconnectOutlined />} style={{ fontSize: 14, padding: '2px 8px' }}>
          {t('fieldPage.offline.offline')}
        </Tag>
      )}
      {count > 0 && (
        <Badge color="orange" text={<span data-testid="field-pending">{t('fieldPage.offline.pending', { count })}</span>} />
      )}
      {count > 0 && online && (
        <Button size="small" icon={<CloudSyncOutlined />} onClick={onSync} style={{ marginLeft: 'auto' }}>
          {t('fieldPage.offline.syncNow')}
        </Button>
      )}
    </div>
  );
}

function FieldVisit({ server, queued, sync, index }: { server: Visit; queued: QueuedRequest[]; sync: FieldSync; index: number }) {
  const { t } = useTranslation();
  const v = overlay(server, queued);
  const next = v.status === 'cancelled' ? [] : nextSteps(v);
  const photoInput = useRef<HTMLInputElement>(null);

  // Every press and photo goes through the outbox: sent at once with a network, kept and sent later without one.
  const record = (step: VisitStep) => void sync.enqueue(fieldRequests.step(v, step));
  const addPhotos = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) void sync.enqueue(fieldRequests.photo(v, file));
    if (photoInput.current) photoInput.current.value = '';
  };
  const pendingSteps = new Set(queued.filter((q) => q.meta.kind === 'step' && q.state === 'pending').map((q) => (q.meta.kind === 'step' ? q.meta.step : null)));

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
          <Tag color={v.status === 'left' ? 'green' : v.status === 'cancelled' ? 'red' : 'blue'}>{t(`visits.status.${v.status}`)}</Tag>
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
      {v.kind === 'installation' && <InstallationAcceptance v={v} />}
      <StepTimes v={v} pending={pendingSteps} />
      <QueuedPhotos items={queued} />
      <OutboxProblems items={queued} server={server} sync={sync} />
      {v.status === 'cancelled' ? null : next.length === 0 ? (
        <Alert type="success" showIcon title={t('fieldPage.finished')} />
      ) : (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginTop: 8 }}>
          {next.map((s) => (
            <Button
              key={s}
              block
              className="ac-field-step"
              type={OPTIONAL_STEPS.includes(s) ? 'default' : 'primary'}
              onClick={() => record(s)}
              data-testid={`field-step-${v.id}-${s}`}
            >
              {t(`visits.step.${s}`)}
            </Button>
          ))}
        </div>
      )}
      {v.status !== 'cancelled' && (
        <>
          <input ref={photoInput} type="file" accept="image/*" capture="environment" multiple hidden onChange={(e) => addPhotos(e.target.files)} data-testid={`field-photo-input-${v.id}`} />
          <Button block size="large" icon={<CameraOutlined />} style={{ marginTop: 8 }} onClick={() => photoInput.current?.click()} data-testid={`field-photo-${v.id}`}>
            {t('fieldPage.offline.photo')}
          </Button>
        </>
      )}
    </Card>
  );
}

/** The steps recorded so far with their times. */
function StepTimes({ v, pending }: { v: Visit; pending: Set<VisitStep | null> }) {
  const { t } = useTranslation();
  const done = VISIT_STEP_LIST.filter((s) => v.steps[s]);
  if (done.length === 0) return <div className="ac-hint">{t('fieldPage.window', { time: `${zonedTime(FIELD_TZ, v.windowStart)}–${zonedTime(FIELD_TZ, v.windowEnd)}` })}</div>;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }} data-testid={`field-times-${v.id}`}>
      {done.map((s) => (
        <Tag key={s} color={s === 'arrived' && v.late ? 'red' : 'default'} icon={pending.has(s) ? <CloudSyncOutlined /> : undefined} style={{ fontSize: 13, padding: '2px 6px', ...(pending.has(s) ? { borderStyle: 'dashed' } : {}) }}>
          {t(`visits.status.${s}`)} {zonedDate(FIELD_TZ, v.steps[s]!) === zonedDate(FIELD_TZ, v.windowStart) ? '' : `${zonedDate(FIELD_TZ, v.steps[s]!).slice(5)} `}
          {zonedTime(FIELD_TZ, v.steps[s]!)}
        </Tag>
      ))}
    </div>
  );
}
