// The portal's pages: ONE line per page. To add a page, add its line here (lazy, so it is its own chunk and the first
// load stays small), its texts in `src/portal/<cap>/locales.ts`, and nothing else. See docs/architecture.md.
//   access: 'public'  — anyone (help articles, a survey or an unsubscribe link);
//           'account' — a customer signed in with their account (a visitor on a one-ticket link is told so);
//           'ticket'  — an account or a one-ticket link session (the page itself shows that ticket only).
//   nav:    a header link (label = i18n key, order left to right); `everyone: true` shows it when signed out too.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PortalRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  access: 'public' | 'account' | 'ticket';
  nav?: { label: string; order: number; everyone?: boolean };
}

export const PORTAL_ROUTES: PortalRoute[] = [
  { path: '/', page: lazy(() => import('./shell/HomePage.js')), access: 'public' },
  { path: '/kb', page: lazy(() => import('./kb/KbSearchPage.js')), access: 'public', nav: { label: 'kb.nav', order: 40, everyone: true } },
  { path: '/kb/:id', page: lazy(() => import('./kb/KbArticlePage.js')), access: 'public' },
  { path: '/assist', page: lazy(() => import('./assist/AssistPage.js')), access: 'public', nav: { label: 'assist.nav', order: 45, everyone: true } },
  { path: '/unsubscribe/:token', page: lazy(() => import('./messages/UnsubscribePage.js')), access: 'public' },
  { path: '/messages', page: lazy(() => import('./messages/PreferencesPage.js')), access: 'account', nav: { label: 'messages.nav', order: 90 } },
  { path: '/survey/:token', page: lazy(() => import('./survey/SurveyPage.js')), access: 'public' },
  { path: '/signin', page: lazy(() => import('./signin/SignInPage.js')), access: 'public' },
  { path: '/t/:token', page: lazy(() => import('./signin/LinkPage.js')), access: 'public' },
  { path: '/tickets', page: lazy(() => import('./tickets/TicketsPage.js')), access: 'account', nav: { label: 'tickets.nav', order: 10 } },
  { path: '/tickets/:number', page: lazy(() => import('./tickets/TicketPage.js')), access: 'ticket' },
  { path: '/new', page: lazy(() => import('./tickets/NewRequestPage.js')), access: 'account', nav: { label: 'request.nav', order: 20 } },
  { path: '/units', page: lazy(() => import('./units/UnitsPage.js')), access: 'account', nav: { label: 'units.nav', order: 30 } },
];
