// 消息推送 (webhooks): send notifications to a group robot (DingTalk 钉钉, WeCom 企业微信, Feishu 飞书) or any HTTP
// endpoint as signed JSON. Secrets are write-only: the list only says whether one is set.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, LockOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { webhookApi } from '../../api/endpoints.js';
import { qk, useDepartments } from '../../api/queries.js';
import type { Webhook, WebhookCreateBody, WebhookKind } from '../../api/types.js';
import { NOTIFICATION_KINDS, WEBHOOK_KINDS } from '../../api/vocab.js';
import { DateTime } from '../../components/DateTime.js';
import { AdminGate, useCanEdit, useFormSave, useRowActions } from './common.js';
import { activeColumn, EditButton, SettingsList } from './SettingsList.js';

const KIND_COLORS: Record<WebhookKind, string> = { generic: 'default', dingtalk: 'blue', wecom: 'green', feishu: 'cyan' };

interface FormValues {
  name: string;
  url: string;
  kind: WebhookKind;
  secret?: string;
  clearSecret?: boolean;
  events: string[];
  active: boolean;
  /** 0 = company-wide (a Select cannot hold null). */
  departmentId: number;
}

export default function WebhooksPage() {
  return (
    <AdminGate page="webhooks">
      <Webhooks />
    </AdminGate>
  );
}

function Webhooks() {
  const { t } = useTranslation();
  const hooks = useQuery({ queryKey: qk.webhooks, queryFn: webhookApi.list });
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const canEdit = useCanEdit();
  const actions = useRowActions(qk.webhooks);
  const { busy, run } = actions;
  const departmentsById = useDepartments().byId;

  const columns: ColumnsType<Webhook> = [
    {
      title: t('admin.hooks.name'),
      dataIndex: 'name',
      width: 180,
      render: (name: string, h) => (
        <Space size={6} wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {!h.active && <Tag style={{ marginInlineEnd: 0 }}>{t('admin.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('admin.hooks.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: WebhookKind) => (
        <Tag color={KIND_COLORS[k]} style={{ marginInlineEnd: 0 }}>
          {t(`admin.hooks.kinds.${k}`)}
        </Tag>
      ),
    },
    {
      title: t('admin.hooks.scope'),
      dataIndex: 'departmentId',
      width: 130,
      render: (id: number | null) => (id === null ? t('admin.hooks.companyWide') : (departmentsById.get(id)?.name ?? `#${id}`)),
    },
    {
      title: t('admin.hooks.url'),
      dataIndex: 'url',
      ellipsis: { showTitle: false },
      render: (url: string) => (
        <Tooltip title={url}>
          <Typography.Text className="ac-number" style={{ fontSize: 12 }}>
            {url}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('admin.hooks.events'),
      dataIndex: 'events',
      width: 240,
      render: (events: string[]) =>
        events.includes('*') ? (
          <Tag color="purple" style={{ marginInlineEnd: 0 }}>
            {t('admin.hooks.allEvents')}
          </Tag>
        ) : (
          <Space size={4} wrap>
            {events.map((e) => (
              <Tag key={e} style={{ marginInlineEnd: 0 }}>
                {t(`notify.kind.${e}`, { defaultValue: e })}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      title: t('admin.hooks.secret'),
      dataIndex: 'hasSecret',
      width: 90,
      render: (has: boolean) =>
        has ? (
          <Tag icon={<LockOutlined />} color="success" style={{ marginInlineEnd: 0 }}>
            {t('admin.hooks.secretSet')}
          </Tag>
        ) : (
          <span className="ac-muted">{t('admin.hooks.secretNone')}</span>
        ),
    },
    { title: t('field.updatedAt'), dataIndex: 'updatedAt', width: 110, render: (v: string) => <DateTime value={v} relative /> },
    activeColumn<Webhook>(t, { canEdit, actions, id: (h) => h.id, toggle: (h, active) => webhookApi.patch(h.id, { active }) }),
    {
      title: '',
      key: 'actions',
      width: 130,
      render: (_: unknown, h) => (
        <Space size={0}>
          <Tooltip title={t('admin.hooks.test')}>
            <Button
              type="text"
              icon={<SendOutlined />}
              loading={busy === `test-${h.id}`}
              onClick={() => void run(`test-${h.id}`, () => webhookApi.test(h.id), t('admin.hooks.testQueued'))}
              aria-label={t('admin.hooks.test')}
              data-testid={`hook-test-${h.id}`}
            />
          </Tooltip>
          <EditButton onClick={() => setEditing(h)} testId={`hook-edit-${h.id}`} />
          <Popconfirm
            title={t('admin.hooks.deleteConfirm', { name: h.name })}
            description={t('admin.hooks.deleteHint')}
            okText={t('common.remove')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => void run(`delete-${h.id}`, () => webhookApi.remove(h.id), t('admin.hooks.deleted'))}
          >
            <Button type="text" danger icon={<DeleteOutlined />} loading={busy === `delete-${h.id}`} aria-label={t('common.remove')} />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <SettingsList
      title={t('nav.admin.webhooks')}
      subtitle={t('admin.hooks.subtitle')}
      onRefresh={() => void hooks.refetch()}
      newButton={{ label: t('admin.hooks.new'), testId: 'hook-new', onClick: () => setEditing('new') }}
      error={hooks.error}
      dialog={editing && <WebhookModal hook={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    >
      <Table<Webhook>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={hooks.data?.items ?? []}
        loading={hooks.isLoading}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('admin.hooks.empty')}</Typography.Text> }}
        data-testid="hook-table"
      />
    </SettingsList>
  );
}

function WebhookModal({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const { busy, error, save } = useFormSave(form, qk.webhooks, onClose);
  const kind = Form.useWatch('kind', form);
  const departments = useDepartments();
  const clearSecret = Form.useWatch('clearSecret', form);

  useEffect(() => {
    form.setFieldsValue({
      name: hook?.name ?? '',
      url: hook?.url ?? '',
      kind: hook?.kind ?? 'dingtalk',
      secret: '',
      clearSecret: false,
      events: hook?.events ?? ['*'],
      active: hook?.active ?? true,
      departmentId: hook?.departmentId ?? 0,
    });
  }, [form, hook]);

  const send = (v: FormValues) => {
    const secret = v.secret?.trim();
    const body: WebhookCreateBody = {
      name: v.name.trim(),
      url: v.url.trim(),
      kind: v.kind,
      events: v.events.includes('*') ? ['*'] : v.events,
      active: v.active,
      departmentId: v.departmentId || null,
    };
    // Secrets are write-only: leaving the box empty keeps the current one.
    if (secret) body.secret = secret;
    else if (hook && v.clearSecret) body.secret = null;
    return hook ? webhookApi.patch(hook.id, body) : webhookApi.create(body);
  };

  const eventOptions = [
    { value: '*', label: t('admin.hooks.allEvents') },
    ...NOTIFICATION_KINDS.map((k) => ({ value: k, label: t(`notify.kind.${k}`) })),
  ];

  return (
    <Modal
      open
      width={600}
      title={hook ? t('admin.hooks.editTitle', { name: hook.name }) : t('admin.hooks.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void save(send)}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'hook-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('admin.hooks.name')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('admin.hooks.name') }) }]}>
          <Input maxLength={100} placeholder={t('admin.hooks.namePlaceholder')} data-testid="hook-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.hooks.kind')}>
          <Select options={WEBHOOK_KINDS.map((k) => ({ value: k, label: t(`admin.hooks.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('admin.hooks.scope')} extra={t('admin.hooks.scopeHint')}>
          <Select
            options={[{ value: 0, label: t('admin.hooks.companyWide') }, ...departments.items.map((d) => ({ value: d.id, label: d.name }))]}
            data-testid="hook-department"
          />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('admin.hooks.url')}
          extra={kind ? t(`admin.hooks.urlHint.${kind}`) : undefined}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('admin.hooks.url') }) },
            { pattern: /^https?:\/\/\S+$/i, message: t('admin.hooks.urlInvalid') },
          ]}
        >
          <Input maxLength={2000} placeholder="https://" data-testid="hook-url" />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t('admin.hooks.secret')}
          extra={kind ? t(`admin.hooks.secretHint.${kind}`) : undefined}
        >
          <Input.Password
            maxLength={200}
            autoComplete="new-password"
            disabled={!!clearSecret}
            placeholder={hook?.hasSecret ? t('admin.hooks.secretKeep') : t('admin.hooks.secretOptional')}
          />
        </Form.Item>
        {hook?.hasSecret && (
          <Form.Item name="clearSecret" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>{t('admin.hooks.secretClear')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="events" label={t('admin.hooks.events')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.required', { field: t('admin.hooks.events') }) }]}>
          <Select
            mode="multiple"
            options={eventOptions}
            onChange={(v: string[]) => {
              // "all events" and single kinds exclude each other: the last choice wins.
              const last = v[v.length - 1];
              if (last === '*') form.setFieldValue('events', ['*']);
              else if (v.includes('*')) form.setFieldValue('events', v.filter((x) => x !== '*'));
            }}
          />
        </Form.Item>
        <Form.Item name="active" label={t('admin.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
