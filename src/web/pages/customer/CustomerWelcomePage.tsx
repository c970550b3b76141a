import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { Button, Card, Typography } from 'antd';
import { CustomerServiceOutlined, LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth, useCurrentUser } from '../../app/auth.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';

/**
 * What a customer sees when they sign in to the staff console, at every path: the console is the service team's
 * workbench, not theirs, so it offers them no staff control at all and points them to the customer portal.
 */
export default function CustomerWelcomePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();

  useEffect(() => {
    document.title = `${t('customerWelcome.title')} · ${t('app.name')}`;
  }, [t]);

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="ac-login" data-testid="customer-welcome">
      <div className="ac-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="ac-login-card ac-customer-welcome" styles={{ body: { padding: '32px 28px 24px' } }}>
        <div className="ac-login-brand">
          <span className="ac-brand-logo">
            <CustomerServiceOutlined />
          </span>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
        </div>
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 20 }}>
          {t('customerWelcome.greeting', { name: user.displayName })}
        </Typography.Title>
        <Typography.Paragraph>{t('customerWelcome.notHere')}</Typography.Paragraph>
        <Typography.Paragraph>{t('customerWelcome.portal')}</Typography.Paragraph>
        {/* A full page load: the portal is its own application under /portal, with the same session cookie. */}
        <Button block size="large" type="primary" href="/portal/" data-testid="open-portal" style={{ marginBottom: 12 }}>
          {t('customerWelcome.open')}
        </Button>
        <Button block size="large" icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout">
          {t('auth.logout')}
        </Button>
      </Card>
    </div>
  );
}
