// 分派规则: which department a new ticket goes to (first matching rule by order) and how a person there is chosen —
// round robin, fewest open tickets, or skills matching the problem.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Col, Form, Input, InputNumber, Modal, Row, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { CHANNELS, CUSTOMER_TIERS, type Channel, type CustomerTier } from '../../../shared/enums.js';
import { routingApi } from '../../api/endpoints.js';
import { categoryPath, qk, useCategories, useDepartments } from '../../api/queries.js';
import type { RoutingRuleCreateBody, RoutingRuleView, RoutingStrategy } from '../../api/types.js';
import { CategoryTreeSelect, DepartmentSelect, EnumSelect } from '../../components/selects.js';
import { AdminGate, AnyTag, useCanEdit, useFormSave, useRowActions } from './common.js';
import { ServiceDeskSettings } from './ServiceDeskSettings.js';
import { activeColumn, editColumn, SettingsList } from './SettingsList.js';

export const STRATEGIES: RoutingStrategy[] = ['least_loaded', 'round_robin', 'skill', 'none'];
const STRATEGY_COLORS: Record<RoutingStrategy, string> = { none: 'default', round_robin: 'blue', least_loaded: 'green', skill: 'purple' };

interface FormValues {
  name: string;
  sort: number;
  categoryPrefix?: string | null;
  productLine?: string;
  customerTier?: CustomerTier | null;
  channel?: Channel | null;
  departmentId?: number;
  strategy: RoutingStrategy;
  active: boolean;
}

export default function RoutingRulesPage() {
  return (
    <AdminGate page="routing">
      <RoutingRules />
    </AdminGate>
  );
}

function RoutingRules() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const rules = useQuery({ queryKey: qk.routingRules, queryFn: routingApi.rules });
  const departments = useDepartments();
  const categories = useCategories();
  const [editing, setEditing] = useState<RoutingRuleView | 'new' | null>(null);
  const actions = useRowActions(qk.routingRules);
  const rows = [...(rules.data?.items ?? [])].sort((a, b) => a.sort - b.sort || a.id - b.id);

  const columns: ColumnsType<RoutingRuleView> = [
    { title: t('admin.routing.sort'), dataIndex: 'sort', width: 72, align: 'right', render: (n: number) => <span className="ac-tabular">{n}</span> },
    {
      title: t('admin.routing.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={6} wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {!r.active && <Tag style={{ marginInlineEnd: 0 }}>{t('admin.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('admin.routing.when'),
      key: 'when',
      render: (_: unknown, r) => {
        const tags = [
          r.categoryPrefix && (
            <Tag key="c" color="geekblue" style={{ marginInlineEnd: 0 }}>
              {t('field.category')}：{categoryPath(r.categoryPrefix, categories.byCode)}
            </Tag>
          ),
          r.productLine && (
            <Tag key="l" color="blue" style={{ marginInlineEnd: 0 }}>
              {t('admin.productLine')}：{r.productLine}
            </Tag>
          ),
          r.customerTier && (
            <Tag key="t" color="gold" style={{ marginInlineEnd: 0 }}>
              {t(`tier.${r.customerTier}`)}
            </Tag>
          ),
          r.channel && (
            <Tag key="ch" color="cyan" style={{ marginInlineEnd: 0 }}>
              {t(`channel.${r.channel}`)}
            </Tag>
          ),
        ].filter(Boolean);
        return tags.length ? <Space size={4} wrap>{tags}</Space> : <AnyTag />;
      },
    },
    { title: t('admin.routing.department'), dataIndex: 'departmentId', width: 130, render: (id: number) => departments.byId.get(id)?.name ?? `#${id}` },
    {
      title: t('admin.routing.strategy'),
      dataIndex: 'strategy',
      width: 140,
      render: (s: RoutingStrategy) => (
        <Tooltip title={t(`admin.routing.strategyHint.${s}`)}>
          <Tag color={STRATEGY_COLORS[s]} style={{ marginInlineEnd: 0 }}>
            {t(`admin.routing.strategies.${s}`)}
          </Tag>
        </Tooltip>
      ),
    },
    activeColumn<RoutingRuleView>(t, { canEdit, actions, id: (r) => r.id, toggle: (r, active) => routingApi.patch(r.id, { active, version: r.version }) }),
    ...editColumn<RoutingRuleView>(canEdit, { width: 56, onEdit: setEditing, testId: (r) => `rule-edit-${r.id}` }),
  ];

  return (
    <SettingsList
      title={t('nav.admin.routing')}
      subtitle={t('admin.routing.subtitle')}
      onRefresh={() => void rules.refetch()}
      newButton={{ label: t('admin.routing.new'), testId: 'rule-new', onClick: () => setEditing('new') }}
      intro={<Alert type="info" showIcon title={t('admin.routing.howItWorks')} style={{ marginBottom: 16 }} />}
      error={rules.error}
      dialog={editing && <RuleModal rule={editing === 'new' ? null : editing} nextSort={(rows[rows.length - 1]?.sort ?? 0) + 10} onClose={() => setEditing(null)} />}
    >
      <Table<RoutingRuleView> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={rules.isLoading} pagination={false} scroll={{ x: 900 }} data-testid="rule-table" />
      <ServiceDeskSettings />
    </SettingsList>
  );
}

function RuleModal({ rule, nextSort, onClose }: { rule: RoutingRuleView | null; nextSort: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  // A refused edit may be stale: reload so the next try carries the current version.
  const { busy, error, save: send } = useFormSave(form, qk.routingRules, onClose, { reloadOnError: !!rule });

  useEffect(() => {
    form.setFieldsValue({
      name: rule?.name ?? '',
      sort: rule?.sort ?? nextSort,
      categoryPrefix: rule?.categoryPrefix ?? null,
      productLine: rule?.productLine ?? '',
      customerTier: rule?.customerTier ?? null,
      channel: rule?.channel ?? null,
      departmentId: rule?.departmentId,
      strategy: rule?.strategy ?? 'least_loaded',
      active: rule?.active ?? true,
    });
  }, [form, rule, nextSort]);

  const save = () =>
    send((v) => {
      const body: RoutingRuleCreateBody = {
        name: v.name.trim(),
        sort: v.sort,
        categoryPrefix: v.categoryPrefix ?? null,
        productLine: v.productLine?.trim() ? v.productLine.trim() : null,
        customerTier: v.customerTier ?? null,
        channel: v.channel ?? null,
        departmentId: v.departmentId!,
        strategy: v.strategy,
        active: v.active,
      };
      return rule ? routingApi.patch(rule.id, { ...body, version: rule.version }) : routingApi.create(body);
    });

  const strategy = Form.useWatch('strategy', form);
  return (
    <Modal
      open
      width={640}
      title={rule ? t('admin.routing.editTitle', { name: rule.name }) : t('admin.routing.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void save()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'rule-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Row gutter={12}>
          <Col span={17}>
            <Form.Item name="name" label={t('admin.routing.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('admin.routing.name') }) }]}>
              <Input maxLength={100} placeholder={t('admin.routing.namePlaceholder')} data-testid="rule-name" />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item name="sort" label={t('admin.routing.sort')} rules={[{ required: true, message: t('validation.required', { field: t('admin.routing.sort') }) }]}>
              <InputNumber<number> min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text type="secondary">{t('admin.routing.conditionsHint')}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          <Col span={12}>
            <Form.Item name="categoryPrefix" label={t('field.category')} extra={t('admin.routing.categoryHint')}>
              <CategoryTreeSelect allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="productLine" label={t('admin.productLine')}>
              <Input maxLength={50} placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="customerTier" label={t('customer.tier')}>
              <EnumSelect values={CUSTOMER_TIERS} ns="tier" allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="channel" label={t('field.channel')}>
              <EnumSelect values={CHANNELS} ns="channel" allowClear placeholder={t('admin.any')} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="departmentId" label={t('admin.routing.department')} rules={[{ required: true, message: t('validation.required', { field: t('admin.routing.department') }) }]}>
              <DepartmentSelect data-testid="rule-department" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="strategy" label={t('admin.routing.strategy')} extra={strategy ? t(`admin.routing.strategyHint.${strategy}`) : undefined}>
              <EnumSelect values={STRATEGIES} ns="admin.routing.strategies" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="active" label={t('admin.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
