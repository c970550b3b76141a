// 改约上门: where a dragged visit lands (another engineer, another day) or a clicked one is moved to, with the time,
// and the reason (mandatory, told to the customer). A conflict is refused in place; a short travel gap asks to confirm.
import { useEffect, useState } from 'react';
import { Alert, App, Checkbox, Descriptions, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { visitsApi, type BoardEngineer, type BoardVisit } from '../../api/visits.js';
import { DURATIONS, scheduleRefusal, START_TIMES, type ScheduleRefusal } from './schedule-errors.js';
import { zonedDate, zonedInstant, zonedTime } from './time.js';

export interface MoveTarget {
  visit: BoardVisit;
  engineerId: number;
  date: string;
}

export function RescheduleDialog({ target, engineers, timeZone, onClose, onDone }: { target: MoveTarget | null; engineers: BoardEngineer[]; timeZone: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ engineerId: number; start: string; duration: number; reason: string; force: boolean }>();
  const [refusal, setRefusal] = useState<ScheduleRefusal | null>(null);
  const [saving, setSaving] = useState(false);
  const v = target?.visit;

  useEffect(() => {
    if (!target) return;
    setRefusal(null);
    const minutes = Math.round((Date.parse(target.visit.windowEnd) - Date.parse(target.visit.windowStart)) / 60_000);
    form.setFieldsValue({ engineerId: target.engineerId, start: zonedTime(timeZone, target.visit.windowStart), duration: minutes, reason: '', force: false });
  }, [target, form, timeZone]);

  const submit = async () => {
    if (!target || !v) return;
    // A missing reason is shown on the field; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const s = zonedInstant(timeZone, target.date, values.start);
      await visitsApi.reschedule(v.id, {
        engineerId: values.engineerId,
        windowStart: s,
        windowEnd: new Date(Date.parse(s) + values.duration * 60_000).toISOString(),
        reason: values.reason,
        force: values.force,
        forceReason: values.force ? values.reason : undefined,
        version: v.version,
      });
      void message.success(t('visits.rescheduled'));
      onDone();
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') setRefusal({ kind: 'other', message: t('visits.stale') });
      else setRefusal(scheduleRefusal(err));
    } finally {
      setSaving(false);
    }
  };

  const durations = v ? [...new Set([...DURATIONS, Math.round((Date.parse(v.windowEnd) - Date.parse(v.windowStart)) / 60_000)])].sort((a, b) => a - b) : DURATIONS;
  return (
    <Modal open={target !== null} title={t('visits.reschedule.title')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okText={t('common.confirm')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'reschedule-submit' } as Record<string, string>} destroyOnHidden>
      {v && target && (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('visits.card.title')}>
              {v.ticketNumber} · {v.customerName} · {v.address}
            </Descriptions.Item>
            <Descriptions.Item label={t('visits.reschedule.from')}>
              {v.engineer.name} · {zonedDate(timeZone, v.windowStart)} {zonedTime(timeZone, v.windowStart)}–{zonedTime(timeZone, v.windowEnd)}
            </Descriptions.Item>
            <Descriptions.Item label={t('visits.reschedule.to')}>
              <span data-testid="reschedule-to-date">{target.date}</span>
            </Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" onValuesChange={(changed) => !('force' in changed) && !('reason' in changed) && setRefusal(null)}>
            <Form.Item name="engineerId" label={t('visits.f.engineer')}>
              <Select options={engineers.map((e) => ({ value: e.id, label: e.name }))} data-testid="reschedule-engineer" />
            </Form.Item>
            <div style={{ display: 'flex', gap: 8 }}>
              <Form.Item name="start" label={t('visits.f.start')} style={{ flex: 1 }}>
                <Select options={START_TIMES.map((x) => ({ value: x, label: x }))} data-testid="reschedule-start" />
              </Form.Item>
              <Form.Item name="duration" label={t('visits.f.duration')} style={{ flex: 1 }}>
                <Select options={durations.map((m) => ({ value: m, label: t('visits.hours', { h: Math.round((m / 60) * 100) / 100 }) }))} />
              </Form.Item>
            </div>
            <Form.Item name="reason" label={t('visits.f.reason')} extra={t('visits.reschedule.reasonHint')} rules={[{ required: true, whitespace: true, message: t('visits.required') }]}>
              <Input.TextArea rows={2} maxLength={500} data-testid="reschedule-reason" />
            </Form.Item>
            {refusal && (
              <Alert
                type={refusal.kind === 'gap' ? 'warning' : 'error'}
                showIcon
                data-testid="reschedule-refusal"
                title={refusal.kind === 'gap' ? t('visits.force.title') : refusal.kind === 'overlap' ? t('visits.conflict') : refusal.message}
                description={refusal.kind === 'other' ? undefined : refusal.message}
                style={{ marginBottom: 8 }}
              />
            )}
            {refusal?.kind === 'gap' && (
              <Form.Item name="force" valuePropName="checked" style={{ marginBottom: 0 }}>
                <Checkbox data-testid="reschedule-force">{t('visits.force.confirm')}</Checkbox>
              </Form.Item>
            )}
          </Form>
        </>
      )}
    </Modal>
  );
}
