// 上门服务 on the ticket page: the ticket's visits with engineer, window, state and late flag; 预约上门 for dispatchers
// and supervisors; 电话指导解决 (phone guidance instead of a visit: a check-back sub-task 2 h later) for staff.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { CarOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { qk } from '../../api/queries.js';
import type { Ticket } from '../../api/types.js';
import { canBookVisits, visitKeys, visitsApi, type Visit } from '../../api/visits.js';
import { formatDateTime } from '../../components/DateTime.js';
import { BookVisitDialog } from '../dispatch/BookVisitDialog.js';
import { FIELD_TZ, zonedTime } from '../dispatch/time.js';

const WRITERS = new Set(['agent', 'supervisor', 'engineer', 'dispatcher', 'manager', 'director', 'admin']);

export function VisitsCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [booking, setBooking] = useState(false);
  const [guiding, setGuiding] = useState(false);
  const visits = useQuery({ queryKey: visitKeys.ticket(ticket.number), queryFn: () => visitsApi.forTicket(ticket.number) });
  const items = visits.data?.items ?? [];
  const open = ticket.status !== 'closed' && ticket.status !== 'cancelled';

  return (
    <Card
      size="small"
      title={
        <Space>
          <CarOutlined />
          {t('visits.card.title')}
        </Space>
      }
      extra={
        open && (
          <Space size={4}>
            {WRITERS.has(me.role) && (
              <Button size="small" icon={<PhoneOutlined />} onClick={() => setGuiding(true)} data-testid="phone-guidance">
                {t('visits.phoneGuidance.button')}
              </Button>
            )}
            {canBookVisits(me.role) && (
              <Button size="small" type="primary" onClick={() => setBooking(true)} data-testid="book-visit">
                {t('visits.book')}
              </Button>
            )}
          </Space>
        )
      }
      data-testid="visits-card"
    >
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visits.card.empty')} style={{ margin: 8 }} />
      ) : (
        items.map((v) => <VisitLine key={v.id} v={v} />)
      )}
      {booking && <BookVisitDialog ticket={ticket} open={booking} onClose={() => setBooking(false)} />}
      <PhoneGuidanceDialog ticket={ticket} open={guiding} onClose={() => setGuiding(false)} />
    </Card>
  );
}

function VisitLine({ v }: { v: Visit }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={`ticket-visit-${v.id}`}>
      <Space wrap size={6}>
        <Typography.Text strong>{formatDateTime(v.windowStart)}–{zonedTime(FIELD_TZ, v.windowEnd)}</Typography.Text>
        <span>{v.engineer.name}</span>
        <Tag color={v.status === 'cancelled' ? 'default' : v.status === 'left' ? 'green' : 'blue'}>{t(`visits.status.${v.status}`)}</Tag>
        <Tag>{t(`visits.kind.${v.kind}`)}</Tag>
        {v.late && <Tag color="red">{t('visits.late')}</Tag>}
        {v.loanerNeeded && <Tag color="purple">{t('visits.loaner')}</Tag>}
      </Space>
      <div className="ac-hint">
        {v.address}
        {v.parts.length > 0 && ` · ${t('visits.f.parts')}: ${v.parts.join('、')}`}
      </div>
    </div>
  );
}

function PhoneGuidanceDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { note } = values;
    setSaving(true);
    try {
      const r = await visitsApi.phoneGuidance(ticket.number, note);
      void message.success(t('visits.phoneGuidance.done', { time: formatDateTime(r.dueAt) }));
      void queryClient.invalidateQueries({ queryKey: qk.subtasks(ticket.number) });
      void queryClient.invalidateQueries({ queryKey: qk.events(ticket.number) });
      form.resetFields();
      onClose();
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t('visits.phoneGuidance.title')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okText={t('common.confirm')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('visits.phoneGuidance.note')} extra={t('visits.phoneGuidance.hint')} rules={[{ required: true, whitespace: true, message: t('visits.required') }]}>
          <Input.TextArea rows={4} maxLength={1000} data-testid="phone-guidance-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
