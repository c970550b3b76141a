// 预约上门: the booking dialog opened from a ticket. The form on the left, the ranked engineers with their reasons and
// free slots on the right (a click fills engineer, day and time); an overlap is refused in place, a short travel gap
// asks to confirm with a reason.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { customerApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { Ticket } from '../../api/types.js';
import { visitKeys, visitsApi, type SuggestParams, type Suggestion } from '../../api/visits.js';
import { DURATIONS, scheduleRefusal, START_TIMES, type ScheduleRefusal } from './schedule-errors.js';
import { addDays, FIELD_TZ, zonedDate, zonedInstant, zonedTime } from './time.js';

interface Values {
  engineerId?: number;
  kind: 'repair' | 'installation' | 'inspection';
  date: Dayjs;
  start: string;
  duration: number;
  address: string;
  area?: string;
  contactName?: string;
  contactPhone?: string;
  parts: string[];
  loanerNeeded: boolean;
  note?: string;
  forceReason?: string;
}

export function BookVisitDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [refusal, setRefusal] = useState<ScheduleRefusal | null>(null);
  const [saving, setSaving] = useState(false);
  const customer = useQuery({ queryKey: qk.customer(ticket.customer.id), queryFn: () => customerApi.get(ticket.customer.id), enabled: open });

  useEffect(() => {
    if (!open) return;
    setRefusal(null);
    form.resetFields();
  }, [open, form]);
  useEffect(() => {
    if (open && customer.data && !form.getFieldValue('address')) form.setFieldsValue({ address: customer.data.address ?? '' });
  }, [open, customer.data, form]);

  const date = Form.useWatch('date', form);
  const start = Form.useWatch('start', form);
  const duration = Form.useWatch('duration', form);
  const area = Form.useWatch('area', form);
  const parts = Form.useWatch('parts', form);
  const day = date ? date.format('YYYY-MM-DD') : zonedDate(FIELD_TZ, Date.now());
  const window = useMemo(() => {
    if (!start || !duration) return null;
    const s = zonedInstant(FIELD_TZ, day, start);
    return { windowStart: s, windowEnd: new Date(Date.parse(s) + duration * 60_000).toISOString() };
  }, [day, start, duration]);
  const params: SuggestParams = { from: day, days: 7, durationMinutes: duration ?? 120, ...(window ?? {}), area: area?.trim() || undefined, parts: (parts ?? []).length > 0 };
  const suggestions = useQuery({ queryKey: visitKeys.suggest(ticket.number, params), queryFn: () => visitsApi.suggest(ticket.number, params), enabled: open });

  const useSlot = (engineerId: number, slot: { start: string; end: string } | null) => {
    setRefusal(null);
    if (!slot) return form.setFieldsValue({ engineerId });
    form.setFieldsValue({ engineerId, date: dayjs(zonedDate(FIELD_TZ, slot.start)), start: zonedTime(FIELD_TZ, slot.start), duration: Math.round((Date.parse(slot.end) - Date.parse(slot.start)) / 60_000) });
  };

  const submit = async (v: Values, force = false) => {
    setSaving(true);
    try {
      const s = zonedInstant(FIELD_TZ, v.date.format('YYYY-MM-DD'), v.start);
      await visitsApi.book(ticket.number, {
        engineerId: v.engineerId!,
        kind: v.kind,
        windowStart: s,
        windowEnd: new Date(Date.parse(s) + v.duration * 60_000).toISOString(),
        address: v.address,
        area: v.area || undefined,
        contactName: v.contactName || undefined,
        contactPhone: v.contactPhone || undefined,
        parts: v.parts ?? [],
        loanerNeeded: v.loanerNeeded,
        note: v.note || undefined,
        force,
        forceReason: force ? v.forceReason : undefined,
      });
      void message.success(t('visits.booked'));
      void queryClient.invalidateQueries({ queryKey: visitKeys.all });
      void queryClient.invalidateQueries({ queryKey: qk.events(ticket.number) });
      onClose();
    } catch (err) {
      setRefusal(scheduleRefusal(err));
    } finally {
      setSaving(false);
    }
  };

  const confirmForce = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (!v.forceReason?.trim()) {
      form.setFields([{ name: 'forceReason', errors: [t('visits.required')] }]);
      return;
    }
    await submit(v, true);
  };

  const items = suggestions.data?.items ?? [];
  return (
    <Modal
      open={open}
      width={1120}
      title={t('visits.bookTitle', { number: ticket.number })}
      onCancel={onClose}
      okText={t('visits.book')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void form.validateFields().then((v) => submit(v), () => undefined)}
      okButtonProps={{ 'data-testid': 'visit-book-submit' } as Record<string, string>}
      destroyOnHidden
    >
      <Row gutter={16}>
        <Col span={11}>
          <Form
            form={form}
            layout="vertical"
            size="middle"
            initialValues={{ kind: 'repair', date: dayjs(addDays(zonedDate(FIELD_TZ, Date.now()), 1)), start: '14:00', duration: 120, parts: [], loanerNeeded: false, contactName: ticket.customer.name, contactPhone: ticket.customer.phone ?? '' }}
            onValuesChange={() => refusal?.kind !== 'gap' && setRefusal(null)}
          >
            <Row gutter={8}>
              <Col span={14}>
                <Form.Item name="engineerId" label={t('visits.f.engineer')} rules={[{ required: true, message: t('visits.required') }]}>
                  <Select data-testid="visit-engineer" options={items.map((s) => ({ value: s.engineer.id, label: `${s.engineer.name}${s.engineer.area ? ` · ${s.engineer.area}` : ''}` }))} />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item name="kind" label={t('visits.f.kind')}>
                  <Select options={(['repair', 'installation', 'inspection'] as const).map((k) => ({ value: k, label: t(`visits.kind.${k}`) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col span={10}>
                <Form.Item name="date" label={t('visits.f.date')} rules={[{ required: true, message: t('visits.required') }]}>
                  <DatePicker style={{ width: '100%' }} allowClear={false} data-testid="visit-date" />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item name="start" label={t('visits.f.start')}>
                  <Select data-testid="visit-start" options={START_TIMES.map((x) => ({ value: x, label: x }))} />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item name="duration" label={t('visits.f.duration')}>
                  <Select options={DURATIONS.map((m) => ({ value: m, label: t('visits.hours', { h: m / 60 }) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="address" label={t('visits.f.address')} rules={[{ required: true, whitespace: true, message: t('visits.required') }]}>
              <Input data-testid="visit-address" maxLength={300} />
            </Form.Item>
            <Row gutter={8}>
              <Col span={8}>
                <Form.Item name="area" label={t('visits.f.area')}>
                  <Input placeholder={t('visits.areaHint')} maxLength={40} data-testid="visit-area" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="contactName" label={t('visits.f.contactName')}>
                  <Input maxLength={80} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="contactPhone" label={t('visits.f.contactPhone')}>
                  <Input maxLength={40} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="parts" label={t('visits.f.parts')} extra={t('visits.partsHint')}>
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
            </Form.Item>
            <Space size={24} align="center">
              <Form.Item name="loanerNeeded" label={t('visits.f.loaner')} valuePropName="checked" style={{ marginBottom: 8 }}>
                <Switch />
              </Form.Item>
            </Space>
            <Form.Item name="note" label={t('visits.f.note')} style={{ marginBottom: 8 }}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            {refusal && (
              <Alert
                type={refusal.kind === 'gap' ? 'warning' : 'error'}
                showIcon
                data-testid="visit-refusal"
                title={refusal.kind === 'gap' ? t('visits.force.title') : refusal.kind === 'overlap' ? t('visits.conflict') : refusal.message}
                description={
                  refusal.kind === 'other' ? undefined : (
                    <>
                      <div>{refusal.message}</div>
                      {refusal.kind === 'gap' && (
                        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                          <Form.Item name="forceReason" noStyle>
                            <Input placeholder={t('visits.force.reason')} maxLength={500} data-testid="visit-force-reason" />
                          </Form.Item>
                          <Button onClick={() => void confirmForce()} loading={saving} data-testid="visit-force">
                            {t('visits.force.confirm')}
                          </Button>
                        </Space.Compact>
                      )}
                    </>
                  )
                }
              />
            )}
          </Form>
        </Col>
        <Col span={13}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('visits.suggestions.title')}
            {suggestions.data?.productLine && <Tag style={{ marginInlineStart: 8 }}>{suggestions.data.productLine}</Tag>}
          </Typography.Title>
          {suggestions.isLoading ? (
            <Spin />
          ) : suggestions.error ? (
            <Alert type="error" title={(suggestions.error as Error).message} />
          ) : items.length === 0 ? (
            <Empty description={t('visits.suggestions.empty')} />
          ) : (
            <div style={{ maxHeight: 560, overflowY: 'auto', paddingInlineEnd: 4 }} data-testid="visit-suggestions">
              {items.map((s) => (
                <SuggestionCard key={s.engineer.id} s={s} onUse={useSlot} />
              ))}
            </div>
          )}
        </Col>
      </Row>
    </Modal>
  );
}

function SuggestionCard({ s, onUse }: { s: Suggestion; onUse: (engineerId: number, slot: { start: string; end: string } | null) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid={`suggestion-${s.engineer.id}`}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
        <div>
          <Typography.Text strong>{s.engineer.name}</Typography.Text>
          {s.engineer.area && <Tag style={{ marginInlineStart: 8 }}>{s.engineer.area}</Tag>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('visits.suggestions.score', { score: s.score })}
          </Typography.Text>
        </div>
        <Button size="small" type="primary" ghost onClick={() => onUse(s.engineer.id, s.slot)} data-testid={`suggestion-pick-${s.engineer.id}`}>
          {t('visits.suggestions.pick')}
        </Button>
      </Space>
      <div style={{ marginTop: 4 }}>
        {s.reasons.map((r) => (
          <Tag key={r.code} color={r.weight > 0 ? 'green' : r.weight < 0 ? 'red' : 'default'} style={{ marginBottom: 4, whiteSpace: 'normal' }}>
            {r.text}
          </Tag>
        ))}
      </div>
      {s.freeSlots.length > 0 && (
        <div style={{ marginTop: 2 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>
            {t('visits.freeSlots')}
          </Typography.Text>
          {s.freeSlots.slice(0, 6).map((slot) => (
            <Tag.CheckableTag key={slot.start} checked={false} onChange={() => onUse(s.engineer.id, slot)} style={{ border: '1px solid #d9d9d9', marginBottom: 4 }}>
              {zonedDate(FIELD_TZ, slot.start).slice(5)} {zonedTime(FIELD_TZ, slot.start)}
            </Tag.CheckableTag>
          ))}
        </div>
      )}
    </Card>
  );
}
