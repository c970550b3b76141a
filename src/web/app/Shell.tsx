import { useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Avatar, Button, Divider, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import {
  AppstoreOutlined,
  BarcodeOutlined,
  BarChartOutlined,
  BookOutlined,
  CustomerServiceOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PhoneOutlined,
  ProfileOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
  CarOutlined,
  ScheduleOutlined,
  SafetyCertificateOutlined,
  HeartOutlined,
  RollbackOutlined,
  SwapOutlined,
  AccountBookOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth, useCurrentUser } from './auth.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { NotificationBell } from './notifications.js';
import { adminPages, canReadReports } from './adminAccess.js';
import { canReviewSettlement } from '../api/settlement.js';

const { Sider, Header, Content } = Layout;

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/admin/')) return pathname.split('/')[2] ?? 'tickets';
  if (pathname.startsWith('/intake')) return 'intake';
  if (pathname.startsWith('/customers')) return 'customers';
  if (pathname.startsWith('/units')) return 'units';
  if (pathname.startsWith('/products')) return 'products';
  if (pathname.startsWith('/kb')) return 'kb';
  if (pathname.startsWith('/parts')) return 'parts';
  if (pathname.startsWith('/reports/')) return pathname.split('/')[2] ?? 'satisfaction';
  if (pathname.startsWith('/dispatch')) return 'dispatch';
  if (pathname.startsWith('/inspections')) return 'inspections';
  if (pathname.startsWith('/care')) return 'care';
  if (pathname.startsWith('/returns')) return 'returns';
  if (pathname.startsWith('/loaners')) return 'loaners';
  if (pathname.startsWith('/settlements')) return 'settlements';
  if (pathname.startsWith('/account')) return 'account';
  return 'tickets';
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const settings = adminPages(user.role);
  const [openKeys, setOpenKeys] = useState<string[]>(location.pathname.startsWith('/admin/') ? ['settings'] : location.pathname.startsWith('/reports/') ? ['reports'] : []);

  const items = [
    { key: 'tickets', icon: <ProfileOutlined />, label: <Link to="/tickets">{t('nav.tickets')}</Link> },
    ...(user.role !== 'qa' ? [{ key: 'intake', icon: <PhoneOutlined />, label: <Link to="/intake">{t('nav.intake')}</Link> }] : []),
    { key: 'customers', icon: <TeamOutlined />, label: <Link to="/customers">{t('nav.customers')}</Link> },
    { key: 'units', icon: <BarcodeOutlined />, label: <Link to="/units" data-testid="nav-units">{t('nav.units')}</Link> },
    { key: 'products', icon: <AppstoreOutlined />, label: <Link to="/products" data-testid="nav-products">{t('nav.products')}</Link> },
    { key: 'kb', icon: <BookOutlined />, label: <Link to="/kb" data-testid="nav-kb">{t('nav.kb')}</Link> },
    { key: 'parts', icon: <InboxOutlined />, label: <Link to="/parts" data-testid="nav-parts">{t('nav.parts')}</Link> },
    ...(canReadReports(user.role)
      ? [
          {
            key: 'reports',
            icon: <BarChartOutlined />,
            label: <span data-testid="nav-reports">{t('nav.reports')}</span>,
            children: [
              {
                key: 'satisfaction',
                label: (
                  <Link to="/reports/satisfaction" data-testid="nav-satisfaction">
                    {t('nav.satisfaction')}
                  </Link>
                ),
              },
              {
                key: 'repeat-repairs',
                label: (
                  <Link to="/reports/repeat-repairs" data-testid="nav-repeat-repairs">
                    {t('nav.repeatRepairs')}
                  </Link>
                ),
              },
            ],
          },
        ]
      : []),
    ...(canReviewSettlement(user.role) ? [{ key: 'settlements', icon: <AccountBookOutlined />, label: <Link to="/settlements" data-testid="nav-settlements">{t('nav.settlement')}</Link> }] : []),
    { key: 'dispatch', icon: <ScheduleOutlined />, label: <Link to="/dispatch" data-testid="nav-dispatch">{t('nav.dispatch')}</Link> },
    { key: 'inspections', icon: <SafetyCertificateOutlined />, label: <Link to="/inspections" data-testid="nav-inspections">{t('nav.inspections')}</Link> },
    { key: 'care', icon: <HeartOutlined />, label: <Link to="/care" data-testid="nav-care">{t('nav.care')}</Link> },
    ...(user.role !== 'customer'
      ? [
          { key: 'returns', icon: <RollbackOutlined />, label: <Link to="/returns" data-testid="nav-returns">{t('nav.returns')}</Link> },
          { key: 'loaners', icon: <SwapOutlined />, label: <Link to="/loaners" data-testid="nav-loaners">{t('nav.loaners')}</Link> },
        ]
      : []),
    ...(user.role === 'engineer' ? [{ key: 'field', icon: <CarOutlined />, label: <Link to="/field" data-testid="nav-field">{t('nav.field')}</Link> }] : []),
    ...(settings.length
      ? [
          {
            key: 'settings',
            icon: <SettingOutlined />,
            label: <span data-testid="nav-settings">{t('nav.settings')}</span>,
            children: settings.map((p) => ({
              key: p,
              label: (
                <Link to={`/admin/${p}`} data-testid={`nav-${p}`}>
                  {t(`nav.admin.${p}`)}
                </Link>
              ),
            })),
          },
        ]
      : []),
  ];

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        width={216}
        collapsedWidth={64}
        collapsible
        collapsed={collapsed}
        trigger={null}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
      >
        <div className="ac-sider-inner">
          <div className="ac-brand" title={t('app.name')}>
            <span className="ac-brand-logo">
              <CustomerServiceOutlined />
            </span>
            {!collapsed && <span>{t('app.name')}</span>}
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selectedKey(location.pathname)]}
            {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
            items={items}
            data-testid="nav-menu"
          />
        </div>
      </Sider>
      <Layout>
        <Header className="ac-header">
          <Space>
            <Tooltip title={collapsed ? t('shell.expand') : t('shell.collapse')}>
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
                aria-label={collapsed ? t('shell.expand') : t('shell.collapse')}
              />
            </Tooltip>
          </Space>
          <Space size={16} className="ac-header-tools">
            <NotificationBell />
            <LanguageSwitch />
            <Divider orientation="vertical" className="ac-hide-narrow" />
            {/* One's own password and API tokens (pages/account). */}
            <Tooltip title={t('account.open')}>
              {/* Named by what it shows plus where it goes (a name that left out the shown text fails WCAG 2.5.3). */}
              <Link to="/account" className="ac-user-link" data-testid="account-link">
                <Space size={8} data-testid="current-user-box">
                  <Avatar size={28} icon={<UserOutlined />} style={{ background: '#1668dc' }} />
                  <span data-testid="current-user" className="ac-hide-narrow">
                    {user.displayName}
                  </span>
                  <Tag color="blue" style={{ marginInlineEnd: 0 }} className="ac-hide-narrow">
                    {t(`role.${user.role}`)}
                  </Tag>
                  {user.departmentName && (
                    <Typography.Text type="secondary" className="ac-nowrap ac-hide-narrow">
                      {user.departmentName}
                    </Typography.Text>
                  )}
                </Space>
                <span className="ac-sr-only">{t('account.open')}</span>
              </Link>
            </Tooltip>
            <Button icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout" aria-label={t('auth.logout')}>
              <span className="ac-hide-narrow">{t('auth.logout')}</span>
            </Button>
          </Space>
        </Header>
        <Content className="ac-content">{children}</Content>
      </Layout>
    </Layout>
  );
}
