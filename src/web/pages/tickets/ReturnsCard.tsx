// 退换货 / 拉修 / 周转机 on the ticket page: the ticket's RMAs (each with its steps, RmaPanel), take-back repairs with
// their journey, and the loaners lent on this ticket; staff who write open them here.
import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Form, Modal, Select, Space, Tag, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { newIdempotencyKey } from '../../api/client.js';
import { qk } from '../../api/queries.js';
import { canWorkReturns, returnKeys, returnsApi, TAKE_BACK_STEPS, type Loan, type TakeBack } from '../../api/returns.js';
import type { Ticket } from '../../api/types.js';
import { visitKeys, visitsApi } from '../../api/visits.js';
import { formatDateTime } from '../../components/DateTime.js';
import { CreateRmaDialog } from '../returns/CreateRmaDialog.js';
import { RmaPanel } from '../returns/RmaPanel.js';
import { useAct, useFormSubmit } from '../returns/useAct.js';

export function ReturnsCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [lending, setLending] = useState(false);
  const rmas = useQuery({ queryKey: returnKeys.ticket(ticket.number), queryFn: () => returnsApi.forTicket(ticket.number) });
  const takeBacks = useQuery({ queryKey: returnKeys.takeBacks(ticket.number), queryFn: () => returnsApi.takeBacks(ticket.number) });
  const loans = useQuery({ queryKey: returnKeys.loans(`ticket:${ticket.number}`), queryFn: () => returnsApi.loans({ ticketNumber: ticket.number }) });
  const open = ticket.status !== 'closed' && ticket.status !== 'cancelled';
  const writer = canWorkReturns(me.role);
  const tbKey = useRef(newIdempotencyKey());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: returnKeys.all });
    void queryClient.invalidateQueries({ queryKey: qk.events(ticket.number) });
  };
  const act = useAct(refresh);
  const rmaItems = rmas.data?.items ?? [];
  const tbItems = takeBacks.data?.items ?? [];
  const loanItems = loans.data?.items ?? [];

  return (
    <Card
      size="small"
      title={
        <Space>
          <RollbackOutlined />
          {t('returns.card.title')}
        </Space>
      }
      extra={
        open &&
        writer && (
          <Space size={4} wrap>
            <Button size="small" type="primary" onClick={() => setCreating(true)} data-testid="rma-new">
              {t('returns.card.new')}
            </Button>
            <Button
              size="small"
              onClick={() =>
                void act(async () => {
                  await returnsApi.takeBack(ticket.number, {}, tbKey.current);
                  tbKey.current = newIdempotencyKey();
                })
              }
              data-testid="take-back-new"
            >
              {t('returns.takeBack.new')}
            </Button>
            <Button size="small" onClick={() => setLending(true)} data-testid="loan-new">
              {t('returns.loaners.lend')}
            </Button>
          </Space>
        )
      }
      data-testid="returns-card"
    >
      {rmaItems.length === 0 && tbItems.length === 0 && loanItems.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('returns.card.empty')} style={{ margin: 8 }} /> : null}
      {rmaItems.map((r) => (
        <RmaPanel key={r.id} rma={r} number={ticket.number} />
      ))}
      {tbItems.map((tb) => (
        <TakeBackLine key={tb.id} tb={tb} writer={writer} onStep={(step) => act(() => returnsApi.takeBackStep(tb.id, step, tb.version))} />
      ))}
      {loanItems.map((l) => (
        <LoanLine key={l.id} loan={l} writer={writer} onReturn={() => act(() => returnsApi.giveBack(l.id))} />
      ))}
      {creating && <CreateRmaDialog ticket={ticket} open={creating} onClose={() => setCreating(false)} />}
      {lending && <LendDialog ticket={ticket} takeBacks={tbItems} open={lending} onClose={() => setLending(false)} onDone={refresh} />}
    </Card>
  );
}

function TakeBackLine({ tb, writer, onStep }: { tb: TakeBack; writer: boolean; onStep: (step: string) => void }) {
  const { t } = useTranslation();
  const next = TAKE_BACK_STEPS[TAKE_BACK_STEPS.indexOf(tb.status) + 1];
  return (
    <div style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={`take-back-${tb.id}`}>
      <Space wrap size={6}>
        <Typography.Text strong>{t('returns.takeBack.title')}</Typography.Text>
        <span>{tb.serialNumber}</span>
        <Tag color={tb.status === 'returned' ? 'green' : 'cyan'} data-testid="take-back-status">
          {t(`returns.takeBack.step.${tb.status}`)}
        </Tag>
        {writer && next && (
          <Button size="small" onClick={() => onStep(next)} data-testid="take-back-next">
            {t('returns.takeBack.next', { step: t(`returns.takeBack.step.${next}`) })}
          </Button>
        )}
      </Space>
      <div className="ac-hint">
        {tb.steps
          .filter((s) => s.at)
          .map((s) => `${t(`returns.takeBack.step.${s.step}`)} ${formatDateTime(s.at)} ${s.by?.name ?? ''}`)
          .join(' · ')}
      </div>
    </div>
  );
}

function LoanLine({ loan, writer, onReturn }: { loan: Loan; writer: boolean; onReturn: () => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={`loan-${loan.id}`}>
      <Space wrap size={6}>
        <Typography.Text strong>{t('returns.loaners.loaner')}</Typography.Text>
        <span>
          {loan.productModel} · {loan.loanerSerial}
        </span>
        {loan.returnedAt ? <Tag color="green">{t('returns.loaners.returned')}</Tag> : <Tag color={loan.overdue ? 'red' : 'orange'}>{loan.overdue ? t('returns.loaners.overdue') : t('returns.loaners.states.lent')}</Tag>}
        <span className="ac-hint">
          {t('returns.loaners.due')} {loan.dueDate}
        </span>
        {writer && !loan.returnedAt && (
          <Button size="small" onClick={onReturn} data-testid="loan-return">
            {t('returns.loaners.return')}
          </Button>
        )}
      </Space>
    </div>
  );
}

function LendDialog({ ticket, takeBacks, open, onClose, onDone }: { ticket: Ticket; takeBacks: TakeBack[]; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ loanerId: number; dueDate: Dayjs; visitId?: number; takeBackId?: number }>();
  const key = useRef(newIdempotencyKey());
  const pool = useQuery({ queryKey: [...returnKeys.loaners, 'available'], queryFn: () => returnsApi.loaners('available'), enabled: open });
  const visits = useQuery({ queryKey: visitKeys.ticket(ticket.number), queryFn: () => visitsApi.forTicket(ticket.number), enabled: open });
  const { submit, saving, error } = useFormSubmit(form, async (v) => {
    await returnsApi.lend(ticket.number, { loanerId: v.loanerId, dueDate: v.dueDate.format('YYYY-MM-DD'), visitId: v.visitId, takeBackId: v.takeBackId }, key.current);
    key.current = newIdempotencyKey();
    onDone();
    onClose();
  });
  return (
    <Modal open={open} title={t('returns.loaners.lend')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okText={t('common.confirm')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'loan-submit' } as ButtonProps}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="loan-error" />}
      <Form form={form} layout="vertical" initialValues={{ dueDate: dayjs().add(7, 'day'), visitId: (visits.data?.items ?? []).find((x) => x.loanerNeeded)?.id }}>
        <Form.Item name="loanerId" label={t('returns.loaners.loaner')} rules={[{ required: true, message: t('returns.loaners.loaner') }]}>
          <Select data-testid="loan-loaner" options={(pool.data?.items ?? []).map((l) => ({ value: l.id, label: `${l.productModel} · ${l.serialNumber}` }))} />
        </Form.Item>
        <Form.Item name="dueDate" label={t('returns.loaners.due')} rules={[{ required: true, message: t('returns.loaners.due') }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="visitId" label={t('returns.loaners.visit')}>
          <Select allowClear options={(visits.data?.items ?? []).filter((x) => x.loanerNeeded).map((x) => ({ value: x.id, label: `#${x.id} ${formatDateTime(x.windowStart)} ${x.engineer.name}` }))} />
        </Form.Item>
        <Form.Item name="takeBackId" label={t('returns.loaners.takeBack')}>
          <Select allowClear options={takeBacks.map((tb) => ({ value: tb.id, label: `${tb.serialNumber ?? ''} ${t(`returns.takeBack.step.${tb.status}`)}` }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
