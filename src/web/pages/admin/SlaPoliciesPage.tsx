// 时效策略: which promise applies to which tickets (priority, customer tier, product line, service type; blank =
// any — the most specific active policy wins), its working-time calendar, the six targets each with its unit (working
// minutes / hours, working days, clock time), warning and escalation.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, Divider, Drawer, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_TIERS, PRIORITIES, SERVICE_TYPES, SLA_CLOCK_NAMES, SLA_UNITS, type CustomerTier, type Priority, type ServiceType, type SlaClockName, type SlaUnit } from '../../../shared/enums.js';
import { slaApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { SlaPolicyCreateBody, SlaPolicyView } from '../../api/types.js';
import { EnumSelect } from '../../components/selects.js';
import { formatTarget } from '../../components/sla/clocks.js';
import { AdminGate, AnyTag, formatMinutes, hoursToMinutes, minutesToHours, useCanEdit, useFormSave, useRowActions } from './common.js';
import { activeColumn, editColumn, SettingsList } from './SettingsList.js';

type TargetForm = { amount: number | null; unit: SlaUnit };

interface FormValues {
  name: string;
  priority?: Priority | null;
  customerTier?: CustomerTier | null;
  productLine?: string;
  serviceType?: ServiceType | null;
  calendarId?: number;
  /** Per clock: an empty amount = not tracked. */
  targets: Record<SlaClockName, TargetForm>;
  warnPercent: number;
  escalateAfterHours: number | null;
  managerAckHours: number | null;
  active: boolean;
}

function toForm(p: SlaPolicyView | null, defaultCalendar?: number): FormValues {
  const targets = Object.fromEntries(
    SLA_CLOCK_NAMES.map((c) => [c, p?.targets[c] ? { amount: p.targets[c].amount, unit: p.targets[c].unit } : { amount: null, unit: 'working_hours' }]),
  ) as Record<SlaClockName, TargetForm>;
  return {
    name: p?.name ?? '',
    priority: p?.priority ?? null,
    customerTier: p?.customerTier ?? null,
    productLine: p?.productLine ?? '',
    serviceType: p?.serviceType ?? null,
    calendarId: p?.calendarId ?? defaultCalendar,
    targets,
    warnPercent: p?.warnPercent ?? 80,
    escalateAfterHours: p ? minutesToHours(p.escalateAfterMinutes) : 0,
    managerAckHours: p ? minutesToHours(p.managerAckMinutes) : 4,
    active: p?.active ?? true,
  };
}

function toBody(v: FormValues): SlaPolicyCreateBody {
  const targets = Object.fromEntries(
    SLA_CLOCK_NAMES.map((c) => {
      const f = v.targets?.[c];
      return [c, f && f.amount !== null && f.amount !== undefined ? { amount: f.amount, unit: f.unit } : null];
    }),
  ) as NonNullable<SlaPolicyCreateBody['targets']>;
  return {
    name: v.name.trim(),
    priority: v.priority ?? null,
    customerTier: v.customerTier ?? null,
    productLine: v.productLine?.trim() ? v.productLine.trim() : null,
    serviceType: v.serviceType ?? null,
    calendarId: v.calendarId!,
    targets,
    warnPercent: v.warnPercent,
    escalateAfterMinutes: hoursToMinutes(v.escalateAfterHours) ?? 0,
    managerAckMinutes: Math.max(1, hoursToMinutes(v.managerAckHours) ?? 240),
    active: v.active,
  };
}

export default function SlaPoliciesPage() {
  return (
    <AdminGate page="sla-policies">
      <SlaPolicies />
    </AdminGate>
  );
}

function SlaPolicies() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const policies = useQuery({ queryKey: qk.slaPolicies, queryFn: slaApi.policies });
  const calendars = useQuery({ queryKey: qk.calendars, queryFn: slaApi.calendars });
  const calendarName = (id: number) => calendars.data?.items.find((c) => c.id === id)?.name ?? `#${id}`;
  const [editing, setEditing] = useState<SlaPolicyView | 'new' | null>(null);
  const actions = useRowActions(qk.slaPolicies);

  const rows = [...(policies.data?.items ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || a.id - b.id);
  const columns: ColumnsType<SlaPolicyView> = [
    {
      title: t('admin.sla.name'),
      dataIndex: 'name',
      width: 170,
      render: (name: string, p) => (
        <Space size={6} wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {!p.active && <Tag style={{ marginInlineEnd: 0 }}>{t('admin.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('admin.sla.appliesTo'),
      key: 'scope',
      width: 150,
      render: (_: unknown, p) => {
        const tags = [
          p.priority && (
            <Tag key="p" color="red" style={{ marginInlineEnd: 0 }}>
              {p.priority} {t(`priority.${p.priority}`)}
            </Tag>
          ),
          p.customerTier && (
            <Tag key="t" color="gold" style={{ marginInlineEnd: 0 }}>
              {t(`tier.${p.customerTier}`)}
            </Tag>
          ),
          p.productLine && (
            <Tag key="l" color="blue" style={{ marginInlineEnd: 0 }}>
              {p.productLine}
            </Tag>
          ),
          p.serviceType && (
            <Tag key="s" color="cyan" style={{ marginInlineEnd: 0 }}>
              {t(`serviceType.${p.serviceType}`)}
            </Tag>
          ),
        ].filter(Boolean);
        return tags.length ? <Space size={4} wrap>{tags}</Space> : <AnyTag />;
      },
    },
    { title: t('admin.sla.calendar'), dataIndex: 'calendarId', width: 130, render: (id: number) => calendarName(id) },
    {
      title: t('admin.sla.targets'),
      key: 'targets',
      width: 300,
      render: (_: unknown, p) => (
        <div className="ac-targets">
          {SLA_CLOCK_NAMES.map((clock) => (
            <div key={clock} className={p.targets[clock] === null ? 'ac-target ac-target-off' : 'ac-target'} data-testid={`policy-${p.id}-target-${clock}`}>
              <span className="ac-target-label">{t(`sla.clock.${clock}`)}</span>
              <span className="ac-target-value ac-tabular">{formatTarget(p.targets[clock], t)}</span>
            </div>
          ))}
        </div>
      ),
    },
    { title: t('admin.sla.warnPercent'), dataIndex: 'warnPercent', width: 76, align: 'right', render: (n: number) => `${n}%` },
    {
      title: t('admin.sla.escalation'),
      key: 'escalation',
      width: 160,
      render: (_: unknown, p) => (
        <div className="ac-hint" style={{ fontSize: 12 }}>
          <div>{t('admin.sla.escalateAfterShort', { time: p.escalateAfterMinutes === 0 ? t('admin.immediately') : formatMinutes(p.escalateAfterMinutes, t) })}</div>
          <div>{t('admin.sla.managerAckShort', { time: formatMinutes(p.managerAckMinutes, t) })}</div>
        </div>
      ),
    },
    activeColumn<SlaPolicyView>(t, { canEdit, actions, id: (p) => p.id, toggle: (p, active) => slaApi.patchPolicy(p.id, { active, version: p.version }) }),
    ...editColumn<SlaPolicyView>(canEdit, { width: 52, onEdit: setEditing, testId: (p) => `policy-edit-${p.id}` }),
  ];

  return (
    <SettingsList
      title={t('nav.admin.sla-policies')}
      subtitle={t('admin.sla.subtitle')}
      onRefresh={() => void policies.refetch()}
      newButton={{ label: t('admin.sla.new'), testId: 'policy-new', onClick: () => setEditing('new') }}
      intro={<Alert type="info" showIcon title={t('admin.sla.howItWorks')} style={{ marginBottom: 16 }} />}
      error={policies.error}
      dialog={
        editing && (
          <PolicyDrawer
            policy={editing === 'new' ? null : editing}
            defaultCalendar={calendars.data?.items[0]?.id}
            calendars={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            onClose={() => setEditing(null)}
          />
        )
      }
    >
      <Table<SlaPolicyView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={policies.isLoading}
        pagination={false}
        scroll={{ x: 1100 }}
        data-testid="policy-table"
      />
    </SettingsList>
  );
}

/** The form holds hours and nested targets; the server names minutes, and targets as `targets.<clock>.amount`. */
function formField(f: string): (string | number)[] | undefined {
  const [head, clock, part] = f.split('.');
  if (head === 'targets' && (SLA_CLOCK_NAMES as readonly string[]).includes(clock)) return ['targets', clock, part === 'unit' ? 'unit' : 'amount'];
  if (f === 'escalateAfterMinutes') return ['escalateAfterHours'];
  if (f === 'managerAckMinutes') return ['managerAckHours'];
  return undefined;
}

function PolicyDrawer({
  policy,
  calendars,
  defaultCalendar,
  onClose,
}: {
  policy: SlaPolicyView | null;
  calendars: { value: number; label: string }[];
  defaultCalendar?: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  // A refused edit may be stale: reload so the next try carries the current version.
  const { busy, error, save: send } = useFormSave(form, qk.slaPolicies, onClose, { mapField: formField, reloadOnError: !!policy });

  useEffect(() => {
    form.setFieldsValue(toForm(policy, defaultCalendar));
  }, [form, policy, defaultCalendar]);

  const save = () =>
    send((v) => {
      const body = toBody(v);
      return policy ? slaApi.patchPolicy(policy.id, { ...body, version: policy.version }) : slaApi.createPolicy(body);
    });

  const unitOptions = SLA_UNITS.map((u) => ({ value: u, label: t(`sla.unitName.${u}`) }));
  const target = (clock: SlaClockName) => (
    <Form.Item label={t(`sla.clock.${clock}`)} style={{ marginBottom: 12 }} required={false}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item name={['targets', clock, 'amount']} noStyle>
          <InputNumber<number> min={0} max={525600} precision={0} style={{ width: '30%' }} placeholder="—" aria-label={`${t(`sla.clock.${clock}`)} ${t('admin.sla.amount')}`} data-testid={`policy-${clock}-amount`} />
        </Form.Item>
        <Form.Item name={['targets', clock, 'unit']} noStyle>
          <Select options={unitOptions} style={{ width: '70%' }} aria-label={`${t(`sla.clock.${clock}`)} ${t('admin.sla.unit')}`} data-testid={`policy-${clock}-unit`} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );

  return (
    <Drawer
      open
      size={600}
      title={policy ? t('admin.sla.editTitle', { name: policy.name }) : t('admin.sla.new')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="policy-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('admin.sla.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('admin.sla.name') }) }]}>
          <Input maxLength={100} data-testid="policy-name" />
        </Form.Item>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('admin.sla.conditions')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('admin.sla.conditionsHint')}
        </Typography.Paragraph>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="priority" label={t('field.priority')}>
              <EnumSelect values={PRIORITIES} ns="priority" withValue allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="customerTier" label={t('customer.tier')}>
              <EnumSelect values={CUSTOMER_TIERS} ns="tier" allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="productLine" label={t('admin.productLine')}>
              <Input maxLength={50} placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="serviceType" label={t('field.serviceType')}>
              <EnumSelect values={SERVICE_TYPES} ns="serviceType" allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="calendarId" label={t('admin.sla.calendar')} rules={[{ required: true, message: t('validation.required', { field: t('admin.sla.calendar') }) }]}>
          <Select options={calendars} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('admin.sla.targets')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('admin.sla.targetsHint')}
        </Typography.Paragraph>
        <Row gutter={12}>
          {SLA_CLOCK_NAMES.map((clock) => (
            <Col span={12} key={clock}>
              {target(clock)}
            </Col>
          ))}
        </Row>
        <Divider titlePlacement="start" plain>
          {t('admin.sla.warningAndEscalation')}
        </Divider>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="warnPercent" label={t('admin.sla.warnPercent')} extra={t('admin.sla.warnPercentHint')} rules={[{ required: true, message: t('validation.required', { field: t('admin.sla.warnPercent') }) }]}>
              <InputNumber<number> min={1} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="active" label={t('admin.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="escalateAfterHours" label={t('admin.sla.escalateAfter')} extra={t('admin.sla.escalateAfterHint')}>
              <InputNumber<number> min={0} max={8760} step={0.5} suffix={t('admin.hourUnit')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="managerAckHours"
              label={t('admin.sla.managerAck')}
              extra={t('admin.sla.managerAckHint')}
              rules={[{ required: true, type: 'number', min: 0.02, message: t('admin.sla.managerAckRequired') }]}
            >
              <InputNumber<number> min={0.02} max={8760} step={0.5} suffix={t('admin.hourUnit')} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}
