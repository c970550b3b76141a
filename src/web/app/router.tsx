import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth, useCurrentUser } from './auth.js';
import { Shell } from './Shell.js';

const LoginPage = lazy(() => import('../pages/login/LoginPage.js'));
const TicketQueuePage = lazy(() => import('../pages/tickets/TicketQueuePage.js'));
const TicketDetailPage = lazy(() => import('../pages/tickets/TicketDetailPage.js'));
const IntakePage = lazy(() => import('../pages/intake/IntakePage.js'));
const CustomerListPage = lazy(() => import('../pages/customers/CustomerListPage.js'));
const CustomerDetailPage = lazy(() => import('../pages/customers/CustomerDetailPage.js'));
const CustomerNewPage = lazy(() => import('../pages/customers/CustomerNewPage.js'));
const ProductsPage = lazy(() => import('../pages/products/ProductsPage.js'));
const UnitListPage = lazy(() => import('../pages/units/UnitListPage.js'));
const UnitDetailPage = lazy(() => import('../pages/units/UnitDetailPage.js'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage.js'));
const NotificationsPage = lazy(() => import('../pages/notifications/NotificationsPage.js'));
const NotificationSettingsPage = lazy(() => import('../pages/notifications/NotificationSettingsPage.js'));
const CustomerWelcomePage = lazy(() => import('../pages/customer/CustomerWelcomePage.js'));
const SlaPoliciesPage = lazy(() => import('../pages/admin/SlaPoliciesPage.js'));
const CalendarsPage = lazy(() => import('../pages/admin/CalendarsPage.js'));
const RoutingRulesPage = lazy(() => import('../pages/admin/RoutingRulesPage.js'));
const WebhooksPage = lazy(() => import('../pages/admin/WebhooksPage.js'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage.js'));
const CategoriesPage = lazy(() => import('../pages/admin/CategoriesPage.js'));
const CustomerMessagesPage = lazy(() => import('../pages/admin/CustomerMessagesPage.js'));
const SurveyFormPage = lazy(() => import('../pages/admin/SurveyFormPage.js'));
const SatisfactionPage = lazy(() => import('../pages/reports/SatisfactionPage.js'));
const AccountPage = lazy(() => import('../pages/account/AccountPage.js'));
const KbListPage = lazy(() => import('../pages/kb/KbListPage.js'));
const KbArticlePage = lazy(() => import('../pages/kb/KbArticlePage.js'));
const KbEditorPage = lazy(() => import('../pages/kb/KbEditorPage.js'));
const PartsListPage = lazy(() => import('../pages/parts/PartsListPage.js'));
const PartDetailPage = lazy(() => import('../pages/parts/PartDetailPage.js'));
const SettlementPage = lazy(() => import('../pages/settlement/SettlementPage.js'));
const StockMovePage = lazy(() => import('../pages/parts/StockMovePage.js'));
const VanStockPage = lazy(() => import('../pages/parts/VanStockPage.js'));
const LocationsPage = lazy(() => import('../pages/parts/LocationsPage.js'));
const DispatchPage = lazy(() => import('../pages/dispatch/DispatchPage.js'));
const InspectionsPage = lazy(() => import('../pages/inspections/InspectionsPage.js'));
const CareContactsPage = lazy(() => import('../pages/care/CareContactsPage.js'));
const RepeatRepairsPage = lazy(() => import('../pages/reports/RepeatRepairsPage.js'));
const ReturnsListPage = lazy(() => import('../pages/returns/ReturnsListPage.js'));
const LoanersPage = lazy(() => import('../pages/returns/LoanersPage.js'));
const FieldPage = lazy(() => import('../pages/field/FieldPage.js'));

export function FullPageSpin() {
  return (
    <div style={{ height: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

function SessionError() {
  const { t } = useTranslation();
  const { error, retry } = useAuth();
  return (
    <Result
      status="warning"
      title={t('errors.sessionCheckFailed')}
      subTitle={error?.message}
      extra={
        <Button type="primary" onClick={retry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}

/** Routes below need a session; without one, go to /login and come back afterwards. */
function RequireAuth({ bare = false }: { bare?: boolean }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') return <SessionError />;
  if (status === 'anonymous') {
    const next = location.pathname + location.search;
    const search = next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
    return <Navigate to={`/login${search}`} replace />;
  }
  // The console is the staff's: a customer gets, at every path, the page that sends them to the portal — no menu, no
  // queue, no staff control (the server refuses them those anyway).
  if (user?.role === 'customer') {
    return (
      <Page>
        <CustomerWelcomePage />
      </Page>
    );
  }
  // The engineer's phone page has no menu around it: the whole 390 px width is the day's visits.
  if (bare) {
    return (
      <Page>
        <Outlet />
      </Page>
    );
  }
  return (
    <Shell>
      <Page>
        <Outlet />
      </Page>
    </Shell>
  );
}

function LoginRoute() {
  const { status } = useAuth();
  if (status === 'loading') return <FullPageSpin />;
  return (
    <Page>
      <LoginPage />
    </Page>
  );
}

/** Phone intake registers tickets: QA reads and inspects, it never registers (the server refuses it too). */
function IntakeRoute() {
  const user = useCurrentUser();
  if (user.role === 'qa') return <Navigate to="/tickets" replace />;
  return <IntakePage />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  { path: '/field', element: <RequireAuth bare />, children: [{ index: true, element: <FieldPage /> }] },
  {
    path: '/',
    element: <RequireAuth />,
    children: [
      { index: true, element: <Navigate to="/tickets" replace /> },
      { path: 'tickets', element: <TicketQueuePage /> },
      { path: 'tickets/:number', element: <TicketDetailPage /> },
      { path: 'intake', element: <IntakeRoute /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'settings/notifications', element: <NotificationSettingsPage /> },
      { path: 'customers', element: <CustomerListPage /> },
      { path: 'customers/new', element: <CustomerNewPage /> },
      { path: 'customers/:id', element: <CustomerDetailPage /> },
      { path: 'products', element: <ProductsPage /> },
      { path: 'units', element: <UnitListPage /> },
      { path: 'units/:id', element: <UnitDetailPage /> },
      { path: 'admin', element: <Navigate to="/admin/sla-policies" replace /> },
      { path: 'admin/sla-policies', element: <SlaPoliciesPage /> },
      { path: 'admin/calendars', element: <CalendarsPage /> },
      { path: 'admin/routing', element: <RoutingRulesPage /> },
      { path: 'admin/webhooks', element: <WebhooksPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/categories', element: <CategoriesPage /> },
      { path: 'admin/customer-messages', element: <CustomerMessagesPage /> },
      { path: 'admin/survey', element: <SurveyFormPage /> },
      { path: 'reports', element: <Navigate to="/reports/satisfaction" replace /> },
      { path: 'reports/satisfaction', element: <SatisfactionPage /> },
      { path: 'reports/repeat-repairs', element: <RepeatRepairsPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'kb', element: <KbListPage /> },
      { path: 'kb/new', element: <KbEditorPage /> },
      { path: 'kb/:id', element: <KbArticlePage /> },
      { path: 'kb/:id/edit', element: <KbEditorPage /> },
      { path: 'parts', element: <PartsListPage /> },
      { path: 'settlements', element: <SettlementPage /> },
      { path: 'parts/move', element: <StockMovePage /> },
      { path: 'parts/van', element: <VanStockPage /> },
      { path: 'parts/locations', element: <LocationsPage /> },
      { path: 'parts/:id', element: <PartDetailPage /> },
      { path: 'dispatch', element: <DispatchPage /> },
      { path: 'inspections', element: <InspectionsPage /> },
      { path: 'care', element: <CareContactsPage /> },
      { path: 'returns', element: <ReturnsListPage /> },
      { path: 'loaners', element: <LoanersPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
