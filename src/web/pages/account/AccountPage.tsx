// 账号与令牌: the signed-in user's own password and API tokens (for integrations: Authorization: Bearer). A new
// token's secret is shown once, here, and never again; the list shows names and dates only.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Popconfirm, Row, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { authApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { ApiToken, TokenCreated } from '../../api/types.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { errorText } from '../admin/common.js';
import { LoadError } from '../admin/SettingsList.js';

const MIN_PASSWORD = 10;
const EXPIRY_CHOICES = [30, 90, 365, 0] as const;

export default function AccountPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <div>
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} testId="page-title" />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={t('account.me')} style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('auth.username')}>{user.username}</Descriptions.Item>
              <Descriptions.Item label={t('account.displayName')}>{user.displayName}</Descriptions.Item>
              <Descriptions.Item label={t('account.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
              {user.departmentName && <Descriptions.Item label={t('account.department')}>{user.departmentName}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <PasswordCard />
        </Col>
        <Col xs={24} xl={15}>
          <TokensCard />
        </Col>
      </Row>
    </div>
  );
}

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

function PasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    let v: PasswordValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      void message.success(t('account.passwordChanged'));
      // Every token was revoked with the change.
      void queryClient.invalidateQueries({ queryKey: qk.apiTokens });
    } catch (err) {
      if (applyServerErrors(form, err).applied === 0) setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('account.password')}>
      <Typography.Paragraph type="secondary">{t('account.passwordHint', { n: MIN_PASSWORD })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={() => void submit()}>
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('account.currentRequired') }]}>
          <Input.Password maxLength={200} autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          rules={[
            { required: true, message: t('account.newRequired') },
            { min: MIN_PASSWORD, message: t('admin.users.passwordMin', { n: MIN_PASSWORD }) },
          ]}
        >
          <Input.Password maxLength={200} autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label={t('account.repeatPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('account.repeatRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.repeatMismatch')))),
            }),
          ]}
        >
          <Input.Password maxLength={200} autoComplete="new-password" data-testid="repeat-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password">
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

interface TokenValues {
  name: string;
  days: number;
}

function TokensCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: qk.apiTokens, queryFn: authApi.tokens });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<number | null>(null);

  const revoke = async (tok: ApiToken) => {
    setRevoking(tok.id);
    try {
      await authApi.revokeToken(tok.id);
      void message.success(t('account.tokens.revoked', { name: tok.name }));
    } catch (err) {
      void message.error(errorText(err, t));
    } finally {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: qk.apiTokens });
    }
  };

  const columns: ColumnsType<ApiToken> = [
    {
      title: t('account.tokens.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (name: string) => (
        <Typography.Text strong>
          <KeyOutlined style={{ marginInlineEnd: 6 }} />
          {name}
        </Typography.Text>
      ),
    },
    { title: t('account.tokens.created'), dataIndex: 'createdAt', width: 150, render: (v: string) => <DateTime value={v} /> },
    {
      title: t('account.tokens.lastUsed'),
      dataIndex: 'lastUsedAt',
      width: 130,
      render: (v: string | null) => (v ? <DateTime value={v} relative /> : <span className="ac-muted">{t('account.tokens.never')}</span>),
    },
    {
      title: t('account.tokens.expires'),
      dataIndex: 'expiresAt',
      width: 170,
      render: (v: string | null, tok) =>
        tok.expired ? (
          <Tag color="error" style={{ marginInlineEnd: 0 }}>
            {t('account.tokens.expired')}
          </Tag>
        ) : v ? (
          <DateTime value={v} />
        ) : (
          <span className="ac-muted">{t('account.tokens.noExpiry')}</span>
        ),
    },
    {
      title: '',
      key: 'actions',
      width: 64,
      render: (_: unknown, tok) => (
        <Popconfirm
          title={t('account.tokens.revokeConfirm', { name: tok.name })}
          description={t('account.tokens.revokeHint')}
          okText={t('account.tokens.revoke')}
          okButtonProps={{ danger: true, 'data-testid': 'token-revoke-ok' } as Record<`data-${string}`, string> & { danger: boolean }}
          cancelText={t('common.cancel')}
          onConfirm={() => void revoke(tok)}
        >
          <Button type="text" danger icon={<DeleteOutlined />} loading={revoking === tok.id} aria-label={t('account.tokens.revoke')} data-testid={`token-revoke-${tok.id}`} />
        </Popconfirm>
      ),
    },
  ];

  return (
    <Card
      title={t('account.tokens.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-new">
          {t('account.tokens.new')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('account.tokens.hint')}</Typography.Paragraph>
      {created && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setCreated(null) }}
          style={{ marginBottom: 16 }}
          title={t('account.tokens.createdTitle', { name: created.name })}
          description={
            <div>
              <div style={{ marginBottom: 8 }}>{t('account.tokens.createdHint')}</div>
              <Typography.Text code copyable={{ text: created.token }} style={{ wordBreak: 'break-all' }} data-testid="token-secret">
                {created.token}
              </Typography.Text>
            </div>
          }
        />
      )}
      <LoadError error={tokens.error} />
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={tokens.data?.items ?? []}
        loading={tokens.isLoading}
        pagination={false}
        locale={{ emptyText: t('account.tokens.empty') }}
        data-testid="token-table"
      />
      {creating && (
        <NewTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(tok) => {
            setCreating(false);
            setCreated(tok);
            void queryClient.invalidateQueries({ queryKey: qk.apiTokens });
          }}
        />
      )}
    </Card>
  );
}

function NewTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (t: TokenCreated) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TokenValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let v: TokenValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await authApi.createToken({ name: v.name.trim(), ...(v.days ? { expiresInDays: v.days } : {}) }));
    } catch (err) {
      if (applyServerErrors(form, err, (f) => (f === 'expiresInDays' || f === 'expiresAt' ? ['days'] : undefined)).applied === 0) setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('account.tokens.new')}
      okText={t('account.tokens.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'token-create' } as Record<`data-${string}`, string>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: '', days: 90 }} requiredMark={false}>
        <Form.Item name="name" label={t('account.tokens.name')} extra={t('account.tokens.nameHint')} rules={[{ required: true, whitespace: true, message: t('account.tokens.nameRequired') }]}>
          <Input maxLength={100} data-testid="token-name" />
        </Form.Item>
        <Form.Item name="days" label={t('account.tokens.expiry')}>
          <Select
            data-testid="token-expiry"
            options={EXPIRY_CHOICES.map((d) => ({ value: d, label: d ? t('account.tokens.days', { n: d }) : t('account.tokens.noExpiry') }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
