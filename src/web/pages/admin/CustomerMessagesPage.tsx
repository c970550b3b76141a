// 客户消息: what customers are told and how — the templates per event, channel and language (with variables, a
// preview, back to the default), and the channels (e-mail on/off, the SMS provider and its keys, WeChat). Secrets are
// write-only: the page only says whether one is set.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Row, Segmented, Select, Space, Switch, Tabs, Tag, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/enums.js';
import { ESSENTIAL_MESSAGE_EVENTS, MESSAGE_CHANNELS, MESSAGE_EVENTS, SMS_PROVIDERS, type MessageChannel, type MessageEvent, type SmsProvider } from '../../../shared/message-vocab.js';
import type { MessageChannelSettings, MessageChannelSettingsBody, MessageTemplate } from '../../../shared/messages.js';
import { messagesApi, type TemplateKey } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { AdminGate, errorText } from './common.js';

export default function CustomerMessagesPage() {
  const { t } = useTranslation();
  return (
    <AdminGate page="customer-messages">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('nav.admin.customer-messages')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.messages.subtitle')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'templates', label: t('admin.messages.templatesTab'), children: <Templates /> },
          { key: 'channels', label: t('admin.messages.channelsTab'), children: <Channels /> },
        ]}
      />
    </AdminGate>
  );
}

// ---------------------------------------------------------------- templates

function Templates() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: qk.messageTemplates, queryFn: messagesApi.templates });
  const [event, setEvent] = useState<MessageEvent>('ticket_registered');
  const [channel, setChannel] = useState<MessageChannel>('email');
  const [locale, setLocale] = useState<Language>(i18n.language === 'en' ? 'en' : 'zh-CN');
  const current = useMemo(() => list.data?.items.find((i) => i.event === event && i.channel === channel && i.locale === locale) ?? null, [list.data, event, channel, locale]);

  return (
    <Row gutter={16} wrap={false}>
      <Col flex="280px">
        <Card size="small" title={t('admin.messages.events')} styles={{ body: { padding: 4 } }}>
          <nav aria-label={t('admin.messages.events')}>
            {MESSAGE_EVENTS.map((e) => {
              const customized = list.data?.items.some((i) => i.event === e && i.customized) ?? false;
              return (
                <button key={e} type="button" className={`ac-event-item${e === event ? ' ac-event-item-active' : ''}`} aria-current={e === event ? 'true' : undefined} onClick={() => setEvent(e)} data-testid={`tpl-event-${e}`}>
                  <span>{t(`messages.event.${e}`)}</span>
                  <Space size={4}>
                    {customized && <Tag color="blue" style={{ marginInlineEnd: 0 }}>{t('admin.messages.customized')}</Tag>}
                    {ESSENTIAL_MESSAGE_EVENTS.includes(e) ? null : <Tag style={{ marginInlineEnd: 0 }}>{t('admin.messages.optional')}</Tag>}
                  </Space>
                </button>
              );
            })}
          </nav>
        </Card>
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        <Space size={16} wrap style={{ marginBottom: 12 }}>
          <Segmented<MessageChannel> value={channel} onChange={setChannel} options={MESSAGE_CHANNELS.map((c) => ({ value: c, label: t(`messages.channel.${c}`) }))} aria-label={t('admin.messages.channel')} data-testid="tpl-channel" />
          <Segmented<Language> value={locale} onChange={setLocale} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} aria-label={t('admin.messages.locale')} data-testid="tpl-locale" />
        </Space>
        {list.error ? <Alert type="error" showIcon title={errorText(list.error, t)} /> : null}
        {current && <TemplateEditor key={`${event}/${channel}/${locale}`} template={current} />}
      </Col>
    </Row>
  );
}

interface TemplateForm {
  subject: string;
  body: string;
}

function TemplateEditor({ template }: { template: MessageTemplate }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TemplateForm>();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ subject: string; body: string } | null>(null);
  const key: TemplateKey = { event: template.event, channel: template.channel, locale: template.locale };
  const hasSubject = template.channel !== 'sms';

  useEffect(() => {
    form.setFieldsValue({ subject: template.subject, body: template.body });
  }, [form, template]);

  const call = async (what: string, fn: (v: TemplateForm) => Promise<void>) => {
    let values: TemplateForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(what);
    setError(null);
    try {
      await fn(values);
    } catch (err) {
      // The form keeps what was typed; the server's message lands on the field it names.
      if (applyServerErrors(form, err).applied === 0) setError(errorText(err, t));
    } finally {
      setBusy(null);
    }
  };

  const insert = (name: string) => {
    const body = form.getFieldValue('body') ?? '';
    form.setFieldsValue({ body: `${body}{{${name}}}` });
  };

  return (
    <Card size="small" data-testid="tpl-editor">
      <Space size={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t(`messages.event.${template.event}`)}</Typography.Text>
        {template.essential ? <Tag color="green">{t('admin.messages.essential')}</Tag> : <Tag>{t('admin.messages.optionalHint')}</Tag>}
        {template.customized ? <Tag color="blue">{t('admin.messages.customized')}</Tag> : <Tag>{t('admin.messages.builtIn')}</Tag>}
      </Space>
      <Form form={form} layout="vertical">
        {hasSubject && (
          <Form.Item name="subject" label={t(template.channel === 'email' ? 'admin.messages.subject' : 'admin.messages.firstLine')} rules={template.channel === 'email' ? [{ required: true, whitespace: true, message: t('validation.required', { field: t('admin.messages.subject') }) }] : []}>
            <Input maxLength={300} data-testid="tpl-subject" />
          </Form.Item>
        )}
        <Form.Item name="body" label={t('admin.messages.body')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('admin.messages.body') }) }]} extra={template.channel === 'sms' ? t('admin.messages.smsHint') : template.essential ? undefined : t('admin.messages.unsubscribeHint')}>
          <Input.TextArea autoSize={{ minRows: template.channel === 'email' ? 7 : 3, maxRows: 16 }} maxLength={4000} data-testid="tpl-body" />
        </Form.Item>
      </Form>
      <div style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
          {t('admin.messages.variables')}
        </Typography.Text>
        <Space size={[4, 4]} wrap>
          {template.variables.map((v) => (
            <Button key={v} size="small" onClick={() => insert(v)} data-testid={`tpl-var-${v}`}>
              {`{{${v}}}`} · {t(`admin.messages.var.${v}`)}
            </Button>
          ))}
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="tpl-error" />}
      <Space wrap>
        <Button
          type="primary"
          loading={busy === 'save'}
          data-testid="tpl-save"
          onClick={() =>
            void call('save', async (v) => {
              await messagesApi.saveTemplate(key, { subject: v.subject ?? '', body: v.body });
              void message.success(t('admin.saved'));
              await queryClient.invalidateQueries({ queryKey: qk.messageTemplates });
            })
          }
        >
          {t('common.save')}
        </Button>
        <Button loading={busy === 'preview'} data-testid="tpl-preview" onClick={() => void call('preview', async (v) => setPreview(await messagesApi.preview(key, { subject: v.subject ?? '', body: v.body })))}>
          {t('admin.messages.preview')}
        </Button>
        <Button
          disabled={!template.customized}
          loading={busy === 'reset'}
          data-testid="tpl-reset"
          onClick={() =>
            void call('reset', async () => {
              const back = await messagesApi.resetTemplate(key);
              form.setFieldsValue({ subject: back.subject, body: back.body });
              void message.success(t('admin.messages.resetDone'));
              await queryClient.invalidateQueries({ queryKey: qk.messageTemplates });
            })
          }
        >
          {t('admin.messages.reset')}
        </Button>
      </Space>
      {preview && (
        <Card size="small" type="inner" title={t('admin.messages.previewTitle')} style={{ marginTop: 16 }} data-testid="tpl-preview-box">
          {hasSubject && preview.subject && (
            <Typography.Paragraph strong style={{ marginBottom: 8 }}>
              {preview.subject}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, overflowWrap: 'anywhere' }}>{preview.body}</Typography.Paragraph>
        </Card>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------- channels

interface ChannelsForm {
  emailEnabled: boolean;
  sms: { provider: SmsProvider; endpoint: string; accessKeyId: string; secret: string; signName: string; appId: string; region: string; templateCodes: Partial<Record<MessageEvent, string>> };
  wechat: { enabled: boolean; apiBase: string; appId: string; secret: string; templateIds: Partial<Record<MessageEvent, string>> };
}

function Channels() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: qk.messageChannels, queryFn: messagesApi.channels });
  const [form] = Form.useForm<ChannelsForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const provider = Form.useWatch(['sms', 'provider'], form);
  const wechatOn = Form.useWatch(['wechat', 'enabled'], form);
  const data: MessageChannelSettings | undefined = settings.data;

  useEffect(() => {
    if (!data) return;
    form.setFieldsValue({
      emailEnabled: data.email.enabled,
      sms: { ...data.sms, secret: '' },
      wechat: { ...data.wechat, secret: '' },
    });
  }, [form, data]);

  const save = async () => {
    let v: ChannelsForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    const body: MessageChannelSettingsBody = {
      email: { enabled: v.emailEnabled },
      sms: { ...v.sms, templateCodes: cleanCodes(v.sms.templateCodes) },
      wechat: { ...v.wechat, templateIds: cleanCodes(v.wechat.templateIds) },
    };
    try {
      await messagesApi.saveChannels(body);
      void message.success(t('admin.saved'));
      await queryClient.invalidateQueries({ queryKey: qk.messageChannels });
    } catch (err) {
      if (applyServerErrors(form, err).applied === 0) setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (settings.error) return <Alert type="error" showIcon title={errorText(settings.error, t)} />;
  if (!data) return null;
  const secretExtra = (set: boolean) =>
    set ? (
      <span>
        <LockOutlined /> {t('admin.messages.secretSet')}
      </span>
    ) : (
      t('admin.messages.secretNone')
    );

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 980 }} data-testid="channels-form">
      <Card size="small" title={t('messages.channel.email')} style={{ marginBottom: 16 }}>
        <Space align="center" size={12} wrap>
          <Form.Item name="emailEnabled" valuePropName="checked" noStyle>
            <Switch aria-label={t('admin.messages.emailEnabled')} data-testid="ch-email-enabled" />
          </Form.Item>
          <span>{t('admin.messages.emailEnabled')}</span>
          {data.email.smtpConfigured ? <Tag color="green">{t('admin.messages.smtpOk', { from: data.email.from })}</Tag> : <Tag color="orange">{t('admin.messages.smtpMissing')}</Tag>}
        </Space>
      </Card>

      <Card size="small" title={t('messages.channel.sms')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name={['sms', 'provider']} label={t('admin.messages.provider')}>
              <Select options={SMS_PROVIDERS.map((p) => ({ value: p, label: t(`admin.messages.providers.${p}`) }))} data-testid="ch-sms-provider" />
            </Form.Item>
          </Col>
          {provider !== 'none' && (
            <>
              <Col xs={24} md={16}>
                <Form.Item name={['sms', 'endpoint']} label={t('admin.messages.endpoint')} extra={provider === 'generic' ? t('admin.messages.genericHint') : t('admin.messages.endpointHint')}>
                  <Input maxLength={500} placeholder="https://" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={['sms', 'accessKeyId']} label={t(provider === 'tencent' ? 'admin.messages.secretId' : 'admin.messages.accessKeyId')}>
                  <Input maxLength={200} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={['sms', 'secret']} label={t(provider === 'tencent' ? 'admin.messages.secretKey' : 'admin.messages.secret')} extra={secretExtra(data.sms.secret.set)}>
                  <Input.Password maxLength={500} autoComplete="new-password" placeholder={data.sms.secret.set ? t('admin.messages.keepSecret') : ''} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={['sms', 'signName']} label={t('admin.messages.signName')}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              {provider === 'tencent' && (
                <Col xs={24} md={8}>
                  <Form.Item name={['sms', 'appId']} label="SmsSdkAppId">
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
              )}
              {provider !== 'generic' && (
                <Col xs={24} md={8}>
                  <Form.Item name={['sms', 'region']} label={t('admin.messages.region')}>
                    <Input maxLength={50} placeholder={provider === 'tencent' ? 'ap-guangzhou' : 'cn-hangzhou'} />
                  </Form.Item>
                </Col>
              )}
            </>
          )}
        </Row>
        {(provider === 'aliyun' || provider === 'tencent') && <CodesPerEvent prefix={['sms', 'templateCodes']} title={t('admin.messages.templateCodes')} hint={t(`admin.messages.codesHint.${provider}`)} />}
      </Card>

      <Card size="small" title={t('messages.channel.wechat')} style={{ marginBottom: 16 }}>
        <Space align="center" size={12} style={{ marginBottom: 12 }}>
          <Form.Item name={['wechat', 'enabled']} valuePropName="checked" noStyle>
            <Switch aria-label={t('admin.messages.wechatEnabled')} data-testid="ch-wechat-enabled" />
          </Form.Item>
          <span>{t('admin.messages.wechatEnabled')}</span>
        </Space>
        {wechatOn && (
          <>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item name={['wechat', 'appId']} label="AppID">
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={['wechat', 'secret']} label="AppSecret" extra={secretExtra(data.wechat.secret.set)}>
                  <Input.Password maxLength={500} autoComplete="new-password" placeholder={data.wechat.secret.set ? t('admin.messages.keepSecret') : ''} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name={['wechat', 'apiBase']} label={t('admin.messages.endpoint')} extra={t('admin.messages.endpointHint')}>
                  <Input maxLength={500} placeholder="https://api.weixin.qq.com" />
                </Form.Item>
              </Col>
            </Row>
            <CodesPerEvent prefix={['wechat', 'templateIds']} title={t('admin.messages.wechatTemplates')} hint={t('admin.messages.wechatHint')} />
          </>
        )}
      </Card>

      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="channels-error" />}
      <Button type="primary" loading={busy} onClick={() => void save()} data-testid="channels-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

function CodesPerEvent({ prefix, title, hint }: { prefix: [string, string]; title: string; hint: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Text strong>{title}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {hint}
      </Typography.Paragraph>
      <Row gutter={16}>
        {MESSAGE_EVENTS.map((e) => (
          <Col xs={24} md={8} key={e}>
            <Form.Item name={[...prefix, e]} label={t(`messages.event.${e}`)} style={{ marginBottom: 12 }}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </>
  );
}

/** Empty boxes are left out: an event without a code is not sent on that channel. */
function cleanCodes(m: Partial<Record<MessageEvent, string>> | undefined): Partial<Record<MessageEvent, string>> {
  return Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
}
