// One RMA on the ticket page: its goods and return window, the checklist (while it waits for a decision), approval
// for supervisors and above, tracking numbers both ways, receipt, the outcome, completion. Each step shows only when
// the RMA's state allows it (the server says which: `actions`); a refusal is shown with what was typed kept.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { Alert, Button, Descriptions, Form, Input, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { qk } from '../../api/queries.js';
import { CHECKLIST_ITEMS, returnKeys, returnsApi, rmaStatusColor, type Rma } from '../../api/returns.js';
import { formatDateTime } from '../../components/DateTime.js';
import { applyServerErrors } from '../../components/formErrors.js';

export function RmaWindow({ w }: { w: Rma['window'] }) {
  const { t } = useTranslation();
  if (w.within === null) return <Typography.Text type="secondary">{t('returns.window.unknown')}</Typography.Text>;
  return w.within ? (
    <Tag color="green" data-testid="rma-window">{t('returns.window.within', { lastDay: w.lastDay, days: w.daysLeft })}</Tag>
  ) : (
    <Tag color="red" data-testid="rma-window">{t('returns.window.passed', { lastDay: w.lastDay })}</Tag>
  );
}

export function RmaPanel({ rma, number }: { rma: Rma; number: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const can = (a: string) => rma.actions.includes(a);

  /** Runs a step; on a refusal puts field errors on `form` (what was typed stays) and the message above. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const run = async (fn: () => Promise<unknown>, form?: FormInstance<any>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      form?.resetFields();
      void queryClient.invalidateQueries({ queryKey: returnKeys.all });
      void queryClient.invalidateQueries({ queryKey: qk.events(number) });
    } catch (err) {
      const placed = form ? applyServerErrors(form, err) : { applied: 0, unplaced: [] };
      if (placed.applied === 0) setError(err instanceof Error ? err.message : String(err));
      else if (placed.unplaced.length) setError(placed.unplaced.map((u) => u.message).join('；'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="ac-rma" data-testid={`rma-${rma.id}`} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}>
      <Space wrap size={6} style={{ marginBottom: 6 }}>
        <Typography.Text strong>RMA-{rma.id}</Typography.Text>
        <Tag>{t(`returns.kind.${rma.kind}`)}</Tag>
        <Tag color={rmaStatusColor[rma.status]} data-testid="rma-status">
          {t(`returns.status.${rma.status}`)}
        </Tag>
        <RmaWindow w={rma.window} />
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} data-testid="rma-error" closable onClose={() => setError(null)} />}
      <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 96 } }}>
        <Descriptions.Item label={t('returns.items')}>
          <div>
            {rma.items.map((i) => (
              <div key={i.id} data-testid={`rma-item-${i.id}`}>
                {i.productModel} · {i.serialNumber ?? `${i.orderNumber} ×${i.qty}`}
                {i.replacement && <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('returns.replacement', { serial: i.replacement.serialNumber })}</Tag>}
              </div>
            ))}
          </div>
        </Descriptions.Item>
        {rma.reason && <Descriptions.Item label={t('returns.create.reason')}>{rma.reason}</Descriptions.Item>}
        {rma.windowOverrideReason && <Descriptions.Item label={t('returns.window.override')}>{rma.windowOverrideReason}</Descriptions.Item>}
        {rma.decision && (
          <Descriptions.Item label={t(`returns.status.${rma.status === 'rejected' ? 'rejected' : 'approved'}`)}>
            {rma.decision.by?.name} · {formatDateTime(rma.decision.at)}
            {rma.decision.reason && ` · ${rma.decision.reason}`}
          </Descriptions.Item>
        )}
        {rma.inbound && <Descriptions.Item label={t('returns.ship.in')}><span data-testid="rma-inbound">{rma.inbound.carrier} {rma.inbound.trackingNumber}</span></Descriptions.Item>}
        {rma.received && <Descriptions.Item label={t('returns.time.received')}>{t('returns.receivedAt', { time: formatDateTime(rma.received.at), location: rma.received.location?.name ?? '' })}</Descriptions.Item>}
        {rma.outcome && (
          <Descriptions.Item label={t('returns.outcome.title')}>
            {rma.outcome.refundFen !== null ? t('returns.refundAmount', { amount: (rma.outcome.refundFen / 100).toFixed(2) }) : rma.kind === 'repair' ? t('returns.outcome.repaired') : rma.items.map((i) => i.replacement?.serialNumber).filter(Boolean).join('、')}
            {rma.outcome.note && ` · ${rma.outcome.note}`}
          </Descriptions.Item>
        )}
        {rma.outbound && <Descriptions.Item label={t('returns.ship.out')}><span data-testid="rma-outbound">{rma.outbound.carrier} {rma.outbound.trackingNumber}</span></Descriptions.Item>}
      </Descriptions>
      <Space wrap size={4} className="ac-hint" style={{ marginBottom: 6 }}>
        {Object.entries(rma.times).map(([k, v]) => (
          <span key={k}>
            {t(`returns.time.${k}`)} {formatDateTime(v)}
          </span>
        ))}
      </Space>
      {rma.status === 'requested' && <Checklist rma={rma} busy={busy} run={run} />}
      {(can('approve') || can('reject')) && <Decision rma={rma} busy={busy} run={run} />}
      {can('ship_in') && <Shipment rma={rma} direction="in" busy={busy} run={run} />}
      {can('receive') && (
        <Button size="small" type="primary" loading={busy} onClick={() => void run(() => returnsApi.receive(rma.id, rma.version))} data-testid="rma-receive" style={{ marginBottom: 6 }}>
          {t('returns.receive.button')}
        </Button>
      )}
      {can('outcome') && <Outcome rma={rma} busy={busy} run={run} />}
      {can('ship_out') && <Shipment rma={rma} direction="out" busy={busy} run={run} />}
      {can('complete') && (
        <Button size="small" type="primary" loading={busy} onClick={() => void run(() => returnsApi.complete(rma.id, rma.version))} data-testid="rma-complete">
          {t('returns.complete')}
        </Button>
      )}
    </div>
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Run = (fn: () => Promise<unknown>, form?: FormInstance<any>) => Promise<void>;

function Checklist({ rma, busy, run }: { rma: Rma; busy: boolean; run: Run }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const e = rma.eligibility;
  const writable = rma.actions.length > 0;
  const initial = Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, rma.checklist[k] === null ? 'unset' : rma.checklist[k] ? 'yes' : 'no']));
  const save = () =>
    run(async () => {
      const v = form.getFieldsValue() as Record<string, string>;
      const body: Record<string, unknown> = { version: rma.version, note: v.note ?? null };
      for (const k of CHECKLIST_ITEMS) body[k] = v[k] === 'unset' ? null : v[k] === 'yes';
      await returnsApi.checklist(rma.id, body);
    });
  return (
    <Form form={form} size="small" layout="horizontal" initialValues={{ ...initial, note: rma.checklistNote ?? '' }} key={rma.version} data-testid="rma-checklist" disabled={!writable}>
      <Typography.Text strong>{t('returns.checklist.title')}</Typography.Text>
      {CHECKLIST_ITEMS.map((k) => (
        <Form.Item key={k} name={k} label={t(`returns.check.${k}`)} style={{ marginBottom: 2 }} labelCol={{ flex: '96px' }}>
          <Radio.Group size="small" optionType="button" data-testid={`check-${k}`} options={[{ value: 'yes', label: t('returns.checklist.yes') }, { value: 'no', label: t('returns.checklist.no') }, { value: 'unset', label: t('returns.checklist.unset') }]} />
        </Form.Item>
      ))}
      <Form.Item name="note" label={t('returns.checklist.note')} labelCol={{ flex: '96px' }} style={{ marginBottom: 4 }}>
        <Input maxLength={500} />
      </Form.Item>
      <Space wrap style={{ marginBottom: 8 }}>
        {writable && (
          <Button size="small" onClick={() => void save()} loading={busy} data-testid="rma-checklist-save">
            {t('returns.checklist.save')}
          </Button>
        )}
        {e.eligible ? (
          <Tag color="green">{t('returns.checklist.eligible')}</Tag>
        ) : e.failed.length > 0 || e.windowPassed ? (
          <Tag color="red">{t('returns.checklist.notEligible', { items: [...e.failed.map((f) => t(`returns.check.${f}`)), ...(e.windowPassed ? [t('returns.window.label')] : [])].join('、') })}</Tag>
        ) : (
          <Tag color="gold">{t('returns.checklist.missing', { items: e.missing.map((f) => t(`returns.check.${f}`)).join('、') })}</Tag>
        )}
      </Space>
    </Form>
  );
}

function Decision({ rma, busy, run }: { rma: Rma; busy: boolean; run: Run }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  const decide = (decision: 'approve' | 'reject') => run(() => returnsApi.decide(rma.id, { decision, reason: form.getFieldValue('reason') || undefined, version: rma.version }), form);
  return (
    <Form form={form} size="small" layout="vertical" data-testid="rma-decision">
      <Form.Item name="reason" label={t('returns.decision.reason')} extra={`${t('returns.decision.approveHint')}；${t('returns.decision.rejectHint')}`} style={{ marginBottom: 6 }}>
        <Input maxLength={500} data-testid="rma-decision-reason" />
      </Form.Item>
      <Space style={{ marginBottom: 8 }}>
        <Button size="small" type="primary" loading={busy} onClick={() => void decide('approve')} data-testid="rma-approve">
          {t('returns.decision.approve')}
        </Button>
        <Button size="small" danger loading={busy} onClick={() => void decide('reject')} data-testid="rma-reject">
          {t('returns.decision.reject')}
        </Button>
      </Space>
    </Form>
  );
}

function Shipment({ rma, direction, busy, run }: { rma: Rma; direction: 'in' | 'out'; busy: boolean; run: Run }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ carrier: string; trackingNumber: string }>();
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) await run(() => returnsApi.ship(rma.id, { direction, ...v, version: rma.version }), form);
  };
  return (
    <Form form={form} size="small" layout="inline" data-testid={`rma-ship-${direction}`} style={{ marginBottom: 8, rowGap: 4 }}>
      <Typography.Text style={{ marginInlineEnd: 8 }}>{t(`returns.ship.${direction}`)}</Typography.Text>
      <Form.Item name="carrier" rules={[{ required: true, whitespace: true, message: t('returns.ship.carrier') }]}>
        <Input placeholder={t('returns.ship.carrier')} style={{ width: 110 }} data-testid={`rma-carrier-${direction}`} />
      </Form.Item>
      <Form.Item name="trackingNumber" rules={[{ required: true, whitespace: true, message: t('returns.ship.tracking') }]}>
        <Input placeholder={t('returns.ship.tracking')} style={{ width: 170 }} data-testid={`rma-tracking-${direction}`} />
      </Form.Item>
      <Button size="small" type="primary" loading={busy} onClick={() => void save()} data-testid={`rma-ship-${direction}-save`}>
        {t('returns.ship.save')}
      </Button>
    </Form>
  );
}

function Outcome({ rma, busy, run }: { rma: Rma; busy: boolean; run: Run }) {
  const { t } = useTranslation();
  // Named as the server names them (refundFen, replacements.N.serialNumber), so a refusal lands on its field; the
  // refund is typed in yuan and sent in fen.
  const [form] = Form.useForm<{ refundFen?: number; replacements?: { serialNumber?: string }[]; note?: string }>();
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body =
      rma.kind === 'return'
        ? { refundFen: v.refundFen === undefined || v.refundFen === null ? undefined : Math.round(v.refundFen * 100) }
        : rma.kind === 'exchange'
          ? { replacements: rma.items.map((i, n) => ({ itemId: i.id, serialNumber: (v.replacements?.[n]?.serialNumber ?? '').trim() })) }
          : {};
    await run(() => returnsApi.outcome(rma.id, { ...body, note: v.note || undefined, version: rma.version }), form);
  };
  return (
    <Form form={form} size="small" layout="vertical" data-testid="rma-outcome" style={{ marginBottom: 8 }}>
      <Typography.Text strong>{t('returns.outcome.title')}</Typography.Text>
      {rma.kind === 'return' && (
        <Form.Item name="refundFen" label={t('returns.outcome.refund')} style={{ marginBottom: 6 }}>
          <InputNumber min={0} precision={2} style={{ width: 160 }} data-testid="rma-refund" />
        </Form.Item>
      )}
      {rma.kind === 'exchange' &&
        rma.items.map((i, n) => (
          <Form.Item key={i.id} name={['replacements', n, 'serialNumber']} label={t('returns.outcome.serial', { old: i.serialNumber ?? i.orderNumber })} style={{ marginBottom: 6 }}>
            <Input maxLength={100} style={{ width: 220 }} data-testid={`rma-new-serial-${n}`} />
          </Form.Item>
        ))}
      <Form.Item name="note" label={t('returns.outcome.note')} style={{ marginBottom: 6 }}>
        <Input maxLength={1000} />
      </Form.Item>
      <Button size="small" type="primary" loading={busy} onClick={() => void save()} data-testid="rma-outcome-save">
        {t('returns.outcome.save')}
      </Button>
    </Form>
  );
}
