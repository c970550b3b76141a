import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { CustomerServiceOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { applyServerErrors } from '../../components/formErrors.js';

interface LoginValues {
  username: string;
  password: string;
}

/** Only same-site paths are accepted as a post-login destination. */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/tickets';
  return next;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { status, login } = useAuth();
  const [form] = Form.useForm<LoginValues>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const next = safeNext(params.get('next'));

  useEffect(() => {
    document.title = `${t('auth.submit')} · ${t('app.name')}`;
  }, [t]);

  if (status === 'authenticated' && !submitting) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(next, { replace: true });
    } catch (err) {
      const { applied } = applyServerErrors(form, err);
      if (!applied) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="ac-login">
      <div className="ac-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="ac-login-card" styles={{ body: { padding: '36px 36px 24px' } }}>
        <div className="ac-login-brand">
          <span className="ac-brand-logo">
            <CustomerServiceOutlined />
          </span>
          <h1 data-testid="product-name">{t('app.name')}</h1>
          <Typography.Text type="secondary">{t('auth.subtitle')}</Typography.Text>
        </div>
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        <Form<LoginValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          onValuesChange={() => setError(null)}
          data-testid="login-form"
        >
          <Form.Item
            name="username"
            label={t('auth.username')}
            rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
          >
            <Input
              size="large"
              prefix={<UserOutlined className="ac-muted" />}
              autoComplete="username"
              autoFocus
              placeholder={t('auth.usernamePlaceholder')}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password
              size="large"
              prefix={<LockOutlined className="ac-muted" />}
              autoComplete="current-password"
              placeholder={t('auth.passwordPlaceholder')}
              data-testid="login-password"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button type="primary" htmlType="submit" size="large" block loading={submitting} data-testid="login-submit">
              {t('auth.submit')}
            </Button>
          </Form.Item>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('auth.footer')}
          </Typography.Text>
        </div>
      </Card>
    </div>
  );
}
