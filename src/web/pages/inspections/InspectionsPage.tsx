// 巡检计划 (/inspections): the plans with their next inspection, overdue ones first (filter due / overdue), a plan's
// occurrences in a drawer — move one date (the cycle stays), record one done — and the plan form (create, edit).
// Dispatchers and the leads keep plans; everyone on staff reads them, an engineer their own.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Modal, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { INSPECTION_MODES, type InspectionOccurrence } from '../../../shared/care.js';
import { careApi, careKeys, type InspectionPlan, type InspectionPlanDetail } from '../../api/care.js';
import { customerApi } from '../../api/endpoints.js';
import { unitApi } from '../../api/products.js';
import { useUsers } from '../../api/queries.js';
import { useCurrentUser } from '../../app/auth.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadError } from '../admin/SettingsList.js';

const PLANNERS = new Set(['dispatcher', 'supervisor', 'manager', 'director', 'admin']);
const STATE_COLOR: Record<string, string> = { scheduled: 'default', due: 'blue', overdue: 'red', done: 'green' };
const FILTERS = ['all', 'due', 'overdue'] as const;

export function OccurrenceState({ o }: { o: Pick<InspectionOccurrence, 'state'> }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[o.state]}>{t(`care.state.${o.state}`)}</Tag>;
}

export default function InspectionsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const state = (FILTERS as readonly string[]).includes(params.get('state') ?? '') ? params.get('state')! : 'all';
  const plans = useQuery({ queryKey: careKeys.plans(state), queryFn: () => careApi.plans(state) });
  const [open, setOpen] = useState<number | null>(null);
  const [editing, setEditing] = useState<InspectionPlanDetail | 'new' | null>(null);
  const planner = PLANNERS.has(user.role);

  const columns: ColumnsType<InspectionPlan> = [
    { title: t('care.plans.title'), dataIndex: 'title', render: (v: string, p) => <a onClick={() => setOpen(p.id)} data-testid={`plan-${p.id}`}>{v}</a> },
    { title: t('care.plans.customer'), render: (_, p) => <Link to={`/customers/${p.customer.id}`}>{p.customer.name}</Link> },
    { title: t('care.plans.unit'), render: (_, p) => (p.unit ? <Link to={`/units/${p.unit.id}`}>{`${p.unit.productModel} ${p.unit.serialNumber ?? ''}`}</Link> : t('care.plans.wholeCustomer')) },
    { title: t('care.plans.mode'), render: (_, p) => t(`care.mode.${p.mode}`) },
    { title: t('care.plans.interval'), render: (_, p) => t('care.plans.intervalMonths', { n: p.intervalMonths }) },
    { title: t('care.plans.engineers'), render: (_, p) => p.engineers.map((e) => e.name).join('、') },
    { title: t('care.plans.next'), render: (_, p) => (p.next ? <span data-testid={`plan-next-${p.id}`}>{p.next.dueDate}{p.next.moved ? ` (${t('care.plans.moved')})` : ''}</span> : '—') },
    { title: t('care.plans.state'), render: (_, p) => (p.next ? <OccurrenceState o={p.next} /> : null) },
    { title: t('care.plans.ticket'), render: (_, p) => (p.next?.ticketNumber ? <Link to={`/tickets/${p.next.ticketNumber}`}>{p.next.ticketNumber}</Link> : '—') },
  ];

  return (
    <div>
      <PageHeader
        title={t('care.plans.title')}
        testId="page-title"
        extra={
          planner && (
            <Button type="primary" onClick={() => setEditing('new')} data-testid="plan-new">
              {t('care.plans.new')}
            </Button>
          )
        }
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={state}
        onChange={(v) => setParams(v === 'all' ? {} : { state: String(v) }, { replace: true })}
        options={FILTERS.map((f) => ({ value: f, label: t(`care.plans.filter${f[0].toUpperCase()}${f.slice(1)}`) }))}
        data-testid="plan-filter"
      />
      {plans.error ? (
        <LoadError error={plans.error} />
      ) : (
        <Table<InspectionPlan> rowKey="id" loading={plans.isLoading} dataSource={plans.data?.items ?? []} columns={columns} pagination={false} locale={{ emptyText: t('care.plans.empty') }} data-testid="plans-table" />
      )}
      {open !== null && <PlanDrawer id={open} planner={planner} onClose={() => setOpen(null)} onEdit={(p) => setEditing(p)} />}
      {editing && <PlanForm plan={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function PlanDrawer({ id, planner, onClose, onEdit }: { id: number; planner: boolean; onClose: () => void; onEdit: (p: InspectionPlanDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const plan = useQuery({ queryKey: careKeys.plan(id), queryFn: () => careApi.plan(id) });
  const [moving, setMoving] = useState<InspectionOccurrence | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['inspection-plans'] });
  const complete = (o: InspectionOccurrence) =>
    careApi
      .complete(o.id)
      .then(refresh)
      .catch((err: Error) => void message.error(err.message));
  const p = plan.data;
  const columns: ColumnsType<InspectionOccurrence> = [
    { title: '#', render: (_, o) => t('care.plans.seq', { n: o.seq + 1 }) },
    { title: t('care.plans.cycleDate'), dataIndex: 'cycleDate' },
    { title: t('care.plans.dueDate'), render: (_, o) => <span data-testid={`occ-due-${o.seq}`}>{o.dueDate}{o.moved && <Tag style={{ marginLeft: 6 }}>{t('care.plans.moved')}</Tag>}</span> },
    { title: t('care.plans.state'), render: (_, o) => <OccurrenceState o={o} /> },
    { title: t('care.plans.ticket'), render: (_, o) => (o.ticketNumber ? <Link to={`/tickets/${o.ticketNumber}`}>{o.ticketNumber}</Link> : '—') },
    {
      title: '',
      render: (_, o) =>
        o.state !== 'done' && (
          <Space>
            {planner && (
              <Button size="small" onClick={() => setMoving(o)} data-testid={`occ-move-${o.seq}`}>
                {t('care.plans.move')}
              </Button>
            )}
            <Button size="small" onClick={() => void complete(o)} data-testid={`occ-complete-${o.seq}`}>
              {t('care.plans.complete')}
            </Button>
          </Space>
        ),
    },
  ];
  return (
    <Drawer open width={760} onClose={onClose} title={p?.title} extra={planner && p && <Button onClick={() => onEdit(p)}>{t('care.plans.edit')}</Button>} data-testid="plan-drawer">
      {p && (
        <>
          <Typography.Paragraph>
            {p.customer.name} · {t(`care.mode.${p.mode}`)} · {t('care.plans.intervalMonths', { n: p.intervalMonths })} · {p.engineers.map((e) => e.name).join('、')}
          </Typography.Paragraph>
          <Table<InspectionOccurrence> rowKey="id" size="small" dataSource={p.occurrences} columns={columns} pagination={false} data-testid="occurrences" />
        </>
      )}
      {moving && <MoveDialog o={moving} onClose={() => setMoving(null)} onMoved={refresh} />}
    </Drawer>
  );
}

function MoveDialog({ o, onClose, onMoved }: { o: InspectionOccurrence; onClose: () => void; onMoved: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ dueDate: dayjs.Dayjs; reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await careApi.move(o.id, v.dueDate.format('YYYY-MM-DD'), v.reason);
      onMoved();
      onClose();
    } catch (err) {
      applyServerErrors(form, err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('care.plans.moveTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'move-ok' } as Record<string, string>}>
      <Form form={form} layout="vertical" initialValues={{ dueDate: dayjs(o.dueDate) }}>
        <Form.Item name="dueDate" label={t('care.plans.dueDate')} rules={[{ required: true }]}>
          <DatePicker data-testid="move-date" />
        </Form.Item>
        <Form.Item name="reason" label={t('care.plans.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="move-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface PlanValues {
  title: string;
  customerId: number;
  unitId?: number | null;
  intervalMonths: number;
  mode: (typeof INSPECTION_MODES)[number];
  engineerIds: number[];
  leadDays: number;
  remindDays: number;
  firstDate: dayjs.Dayjs;
  active: boolean;
}

function PlanForm({ plan, onClose }: { plan: InspectionPlanDetail | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PlanValues>();
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const customerId = Form.useWatch('customerId', form);
  const customers = useQuery({ queryKey: ['customers', 'pick', search], queryFn: () => customerApi.list({ q: search || undefined, limit: 20 } as never) });
  const units = useQuery({ queryKey: ['units', 'of', customerId], queryFn: () => unitApi.list({ customerId, limit: 100 }), enabled: !!customerId });
  const engineers = useUsers({ role: 'engineer' });
  const customerOptions = [...(plan ? [{ value: plan.customer.id, label: plan.customer.name }] : []), ...(customers.data?.items ?? []).filter((c) => c.id !== plan?.customer.id).map((c) => ({ value: c.id, label: `${c.name}${c.phone ? ` · ${c.phone}` : ''}` }))];
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    const body = { ...v, unitId: v.unitId ?? null, firstDate: v.firstDate.format('YYYY-MM-DD') };
    try {
      if (plan) await careApi.updatePlan(plan.id, { ...body, version: plan.version });
      else await careApi.createPlan(body);
      void queryClient.invalidateQueries({ queryKey: ['inspection-plans'] });
      onClose();
    } catch (err) {
      applyServerErrors(form, err);
    } finally {
      setBusy(false);
    }
  };
  const initial: Partial<PlanValues> = plan
    ? { title: plan.title, customerId: plan.customer.id, unitId: plan.unit?.id ?? null, intervalMonths: plan.intervalMonths, mode: plan.mode, engineerIds: plan.engineers.map((e) => e.id), leadDays: plan.leadDays, remindDays: plan.remindDays, firstDate: dayjs(plan.firstDate), active: plan.active }
    : { intervalMonths: 6, mode: 'remote', leadDays: 7, remindDays: 3, firstDate: dayjs().add(1, 'month'), active: true, engineerIds: [] };
  return (
    <Modal open width={560} title={t(plan ? 'care.plans.edit' : 'care.plans.new')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'plan-save' } as Record<string, string>}>
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="title" label={t('care.plans.title')} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="plan-title" />
        </Form.Item>
        <Form.Item name="customerId" label={t('care.plans.customer')} rules={[{ required: true }]}>
          <Select showSearch={{ filterOption: false, onSearch: setSearch }} options={customerOptions} onChange={() => form.setFieldValue('unitId', null)} data-testid="plan-customer" />
        </Form.Item>
        <Form.Item name="unitId" label={t('care.plans.unit')}>
          <Select allowClear placeholder={t('care.plans.wholeCustomer')} options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.productModel} ${u.serialNumber ?? ''}` }))} data-testid="plan-unit" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="mode" label={t('care.plans.mode')} rules={[{ required: true }]}>
            <Select style={{ width: 120 }} options={INSPECTION_MODES.map((m) => ({ value: m, label: t(`care.mode.${m}`) }))} data-testid="plan-mode" />
          </Form.Item>
          <Form.Item name="intervalMonths" label={t('care.plans.interval')} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} />
          </Form.Item>
          <Form.Item name="firstDate" label={t('care.plans.firstDate')} rules={[{ required: true }]}>
            <DatePicker data-testid="plan-first-date" />
          </Form.Item>
        </Space>
        <Form.Item name="engineerIds" label={t('care.plans.engineers')} rules={[{ required: true }]}>
          <Select mode="multiple" placeholder={t('care.plans.engineerPick')} options={engineers.items.filter((u) => u.active).map((u) => ({ value: u.id, label: u.displayName }))} data-testid="plan-engineers" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="leadDays" label={t('care.plans.leadDays')} rules={[{ required: true }]}>
            <InputNumber min={0} max={90} />
          </Form.Item>
          <Form.Item name="remindDays" label={t('care.plans.remindDays')} rules={[{ required: true }]}>
            <InputNumber min={0} max={90} />
          </Form.Item>
          <Form.Item name="active" label={t('care.plans.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
