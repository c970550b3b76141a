// The customer's portal accounts (issue 15): who may sign in to the customer portal for this customer, with which
// phone number or e-mail address; staff who edit customers create, invite and disable them here (QA reads).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { MailOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CustomerAccount } from '../../../shared/portal.js';
import { api } from '../../api/client.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { applyServerErrors } from '../../components/formErrors.js';

/** The roles the server lets edit customers (domain/access.ts customer.write). */
const WRITERS = new Set(['agent', 'supervisor', 'dispatcher', 'manager', 'director', 'admin']);
const dash = <span className="ac-muted">—</span>;

export function CustomerAccountsCard({ customerId, phone, email }: { customerId: number; phone: string | null; email: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const canWrite = WRITERS.has(user.role);
  const qc = useQueryClient();
  const key = ['customer-accounts', customerId] as const;
  const accounts = useQuery({ queryKey: key, queryFn: () => api.get<{ items: CustomerAccount[] }>(`/customers/${customerId}/accounts`) });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ phone?: string; email?: string; invite: boolean }>();
  const [formError, setFormError] = useState<string | null>(null);

  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const create = useMutation({
    mutationFn: (v: { phone?: string; email?: string; invite: boolean }) =>
      api.post<CustomerAccount>(`/customers/${customerId}/accounts`, { phone: v.phone?.trim() || null, email: v.email?.trim() || null, invite: v.invite }),
    onSuccess: () => {
      setCreating(false);
      void refresh();
      void message.success(t('accounts.created'));
    },
    onError: (e) => {
      const { unplaced } = applyServerErrors(form, e);
      setFormError(unplaced.length || !(e as { fields?: object }).fields ? (e as Error).message : null);
    },
  });
  const setActive = useMutation({
    mutationFn: (v: { id: number; active: boolean }) => api.patch<CustomerAccount>(`/customers/${customerId}/accounts/${v.id}`, { active: v.active }),
    onSuccess: (a) => {
      void refresh();
      void message.success(a.active ? t('accounts.enabled') : t('accounts.disabled'));
    },
    onError: (e) => void message.error((e as Error).message),
  });
  const invite = useMutation({
    mutationFn: (id: number) => api.post<{ sent: boolean; channel: string | null }>(`/customers/${customerId}/accounts/${id}/invite`),
    onSuccess: (r) => void (r.sent ? message.success(t('accounts.invited')) : message.warning(t('accounts.notSent'))),
    onError: (e) => void message.error((e as Error).message),
  });

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({ phone: phone ?? undefined, email: email ?? undefined, invite: true });
    setFormError(null);
    setCreating(true);
  };

  return (
    <Card
      title={t('accounts.title')}
      size="small"
      data-testid="customer-accounts"
      extra={
        canWrite ? (
          <Button size="small" icon={<PlusOutlined />} onClick={openCreate} data-testid="account-create">
            {t('accounts.create')}
          </Button>
        ) : null
      }
    >
      {accounts.isError ? <Alert type="error" showIcon message={accounts.error.message} /> : null}
      {accounts.data && accounts.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.none')} />
      ) : (
        <Table<CustomerAccount>
          rowKey="id"
          size="small"
          pagination={false}
          loading={accounts.isLoading}
          dataSource={accounts.data?.items ?? []}
          columns={[
            { title: t('accounts.name'), dataIndex: 'displayName' },
            { title: t('customer.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? dash },
            { title: t('customer.email'), dataIndex: 'email', render: (v: string | null) => v ?? dash },
            {
              title: t('accounts.state'),
              dataIndex: 'active',
              render: (v: boolean) => (v ? <Tag color="green">{t('accounts.active')}</Tag> : <Tag>{t('accounts.inactive')}</Tag>),
            },
            { title: t('accounts.since'), dataIndex: 'createdAt', render: (v: string) => <DateTime value={v} /> },
            ...(canWrite
              ? [
                  {
                    title: t('accounts.actions'),
                    key: 'actions',
                    render: (_: unknown, a: CustomerAccount) => (
                      <Space size={4} wrap>
                        {a.active ? (
                          <Button size="small" icon={<MailOutlined />} loading={invite.isPending && invite.variables === a.id} onClick={() => invite.mutate(a.id)} data-testid="account-invite">
                            {t('accounts.invite')}
                          </Button>
                        ) : null}
                        {a.active ? (
                          <Popconfirm title={t('accounts.disableConfirm')} onConfirm={() => setActive.mutate({ id: a.id, active: false })} okText={t('accounts.disable')} cancelText={t('common.cancel')}>
                            <Button size="small" danger data-testid="account-disable">
                              {t('accounts.disable')}
                            </Button>
                          </Popconfirm>
                        ) : (
                          <Button size="small" onClick={() => setActive.mutate({ id: a.id, active: true })} data-testid="account-enable">
                            {t('accounts.enable')}
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Modal
        open={creating}
        title={t('accounts.createTitle')}
        okText={t('accounts.create')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <p className="ac-muted">{t('accounts.createHelp')}</p>
        {formError ? <Alert type="error" showIcon message={formError} style={{ marginBottom: 12 }} /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="account-form">
          <Form.Item name="phone" label={t('customer.phone')}>
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
          <Form.Item name="email" label={t('customer.email')}>
            <Input inputMode="email" autoComplete="off" />
          </Form.Item>
          <Form.Item name="invite" valuePropName="checked">
            <Checkbox>{t('accounts.inviteNow')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
