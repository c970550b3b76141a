// The customer's messages on their page: language, channels and optional messages, as they chose or as staff set at
// their request (on the phone). Staff who may edit customers change them; others read.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Select, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MessageChannel } from '../../../shared/message-vocab.js';
import type { MessagePreferences } from '../../../shared/messages.js';
import { useCurrentUser } from '../../app/auth.js';
import { api } from '../../api/client.js';
import { applyServerErrors } from '../../components/formErrors.js';

const CHANNELS: MessageChannel[] = ['wechat', 'email', 'sms'];
const EDITORS = new Set(['agent', 'supervisor', 'dispatcher', 'manager', 'director', 'admin']);

interface Values {
  locale: 'zh-CN' | 'en';
  useDefault: boolean;
  channels: MessageChannel[];
  optOut: boolean;
}

export function CustomerMessagesCard({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['customer', customerId, 'message-preferences'];
  const url = `/customers/${customerId}/message-preferences`;
  const prefs = useQuery({ queryKey: key, queryFn: () => api.get<MessagePreferences>(url) });
  const canEdit = EDITORS.has(useCurrentUser().role);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const useDefault = Form.useWatch('useDefault', form);

  useEffect(() => {
    if (prefs.data) form.setFieldsValue({ locale: prefs.data.locale, useDefault: prefs.data.defaulted, channels: prefs.data.channels, optOut: prefs.data.optOut });
  }, [form, prefs.data]);

  const save = async () => {
    const v = form.getFieldsValue();
    setBusy(true);
    setError(null);
    try {
      await api.put<MessagePreferences>(url, { locale: v.locale, channels: v.useDefault ? null : v.channels, optOut: v.optOut });
      void message.success(t('admin.saved'));
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      if (applyServerErrors(form, err).applied === 0) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const p = prefs.data;
  const where = (c: MessageChannel) => (c === 'wechat' ? (p?.reachable.wechat ? t('customers.messages.bound') : t('customers.messages.notBound')) : (p?.reachable[c] ?? t('customers.messages.noAddress')));

  return (
    <Card title={t('customers.messages.title')} size="small" data-testid="customer-messages">
      {prefs.error ? <Alert type="error" showIcon title={prefs.error.message} /> : null}
      {p && (
        <Form form={form} layout="vertical" disabled={!canEdit}>
          <Form.Item name="locale" label={t('customers.messages.locale')} style={{ marginBottom: 12 }}>
            <Select options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} style={{ maxWidth: 200 }} aria-label={t('customers.messages.locale')} />
          </Form.Item>
          <Form.Item label={t('customers.messages.channels')} style={{ marginBottom: 12 }}>
            <Space orientation="vertical" size={4}>
              <Form.Item name="useDefault" valuePropName="checked" noStyle>
                <Checkbox>{t('customers.messages.useDefault')}</Checkbox>
              </Form.Item>
              <Form.Item name="channels" noStyle>
                <Checkbox.Group disabled={!canEdit || useDefault}>
                  <Space orientation="vertical" size={4}>
                    {CHANNELS.map((c) => (
                      <Checkbox key={c} value={c}>
                        {t(`messages.channel.${c}`)} <Typography.Text type="secondary">{where(c)}</Typography.Text>
                      </Checkbox>
                    ))}
                  </Space>
                </Checkbox.Group>
              </Form.Item>
            </Space>
          </Form.Item>
          <Space align="center" style={{ marginBottom: 12 }}>
            <Form.Item name="optOut" valuePropName="checked" noStyle>
              <Switch aria-label={t('customers.messages.optOut')} />
            </Form.Item>
            <span>{t('customers.messages.optOut')}</span>
            {p.optOut ? <Tag color="orange">{t('customers.messages.optedOut')}</Tag> : null}
          </Space>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          {canEdit && (
            <div>
              <Button onClick={() => void save()} loading={busy} data-testid="customer-messages-save">
                {t('common.save')}
              </Button>
            </div>
          )}
        </Form>
      )}
    </Card>
  );
}
