// What the engineer sees of the outbox on a visit: photos waiting to be sent, and the items the server refused because
// the visit changed meanwhile — what the phone kept beside what the server has, each to send again or to discard.
import { useEffect, useState } from 'react';
import { Alert, Button, Popconfirm, Space, Tag } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../../../api/visits.js';
import { FIELD_TZ, zonedTime } from '../../dispatch/time.js';
import type { QueuedRequest } from './outbox.js';
import type { FieldSync } from './sync.js';

function Thumb({ blob, alt }: { blob: Blob; alt: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url ? <img src={url} alt={alt} style={{ width: 56, height: 56, objectFit: 'cover', borderRadius: 4 }} /> : null;
}

/** Photos of this visit still in the outbox (taken offline, or sending). */
export function QueuedPhotos({ items }: { items: QueuedRequest[] }) {
  const { t } = useTranslation();
  const photos = items.filter((i) => i.meta.kind === 'photo' && i.state === 'pending');
  if (photos.length === 0) return null;
  return (
    <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', alignItems: 'center', margin: '6px 0' }} data-testid="field-queued-photos">
      {photos.map((p) => {
        const part = p.body.kind === 'form' ? p.body.parts.find((x) => 'blob' in x) : undefined;
        return part && 'blob' in part ? <Thumb key={p.id} blob={part.blob} alt={part.filename} /> : null;
      })}
      <Tag icon={<CameraOutlined />}>{t('fieldPage.offline.photosQueued', { count: photos.length })}</Tag>
    </div>
  );
}

/** What a queued item was, in the engineer's words. */
function describe(t: (k: string, o?: Record<string, unknown>) => string, item: QueuedRequest): string {
  const time = zonedTime(FIELD_TZ, item.meta.at);
  if (item.meta.kind === 'step') return t('fieldPage.offline.keptStep', { step: t(`visits.step.${item.meta.step}`), time });
  if (item.meta.kind === 'photo') return t('fieldPage.offline.keptPhoto', { name: item.meta.filename, time });
  if (item.meta.kind === 'signature') return t('fieldPage.offline.keptSignature', { time });
  if (item.meta.kind === 'parts') return t('fieldPage.offline.keptParts', { parts: item.meta.label, time });
  return `${item.meta.label} ${time}`;
}

/** The server's side of a conflict: the visit's state now, with the cancellation reason. */
function serverSide(t: (k: string, o?: Record<string, unknown>) => string, v: Visit): string {
  const status = t(`visits.status.${v.status}`);
  return v.status === 'cancelled' && v.cancelReason ? `${status}（${v.cancelReason}）` : status;
}

export function OutboxProblems({ items, server, sync }: { items: QueuedRequest[]; server: Visit; sync: FieldSync }) {
  const { t } = useTranslation();
  const problems = items.filter((i) => i.state !== 'pending');
  if (problems.length === 0) return null;
  const held = items.filter((i) => i.state === 'pending' && problems.some((p) => p.group === i.group && p.seq < i.seq)).length;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ margin: '8px 0' }}
      data-testid={`field-conflict-${server.id}`}
      title={t('fieldPage.offline.conflictTitle')}
      description={
        <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
          {problems.map((p) => (
            <div key={p.id} data-testid="field-conflict-item">
              <div>{t('fieldPage.offline.kept', { what: describe(t, p) })}</div>
              <div>{t('fieldPage.offline.server', { state: serverSide(t, server) })}</div>
              {/* A 409's own text ("changed by someone else, reload") says less than the server's side above. */}
              {p.state === 'rejected' && p.problem?.message && <div className="ac-hint">{p.problem.message}</div>}
              <Space style={{ marginTop: 4 }}>
                <Button size="large" onClick={() => void sync.retry(p.id, p.version !== undefined ? server.version : undefined)} data-testid="field-conflict-retry">
                  {t('fieldPage.offline.retry')}
                </Button>
                <Popconfirm title={t('fieldPage.offline.discardConfirm')} okText={t('fieldPage.offline.discard')} cancelText={t('common.cancel')} onConfirm={() => void sync.discard(p.id)}>
                  <Button size="large" danger data-testid="field-conflict-discard">
                    {t('fieldPage.offline.discard')}
                  </Button>
                </Popconfirm>
              </Space>
            </div>
          ))}
          {held > 0 && <div className="ac-hint">{t('fieldPage.offline.held', { count: held })}</div>}
        </div>
      }
    />
  );
}
