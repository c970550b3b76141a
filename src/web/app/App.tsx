import { useMemo } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router/dom';
import { isApiError } from '../api/client.js';
import { AuthProvider } from './auth.js';
import { router } from './router.js';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // 4xx answers won't change by asking again.
        retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

const queryClient = makeQueryClient();

function Providers() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? enUSLocale : zhCNLocale;
  const theme = useMemo(
    () => ({
      token: {
        colorPrimary: '#1668dc',
        borderRadius: 6,
        colorBgLayout: '#f5f7fa',
      },
      components: {
        Layout: { siderBg: '#0f1b2d', headerBg: '#ffffff', headerHeight: 56 },
        Menu: { darkItemBg: '#0f1b2d', darkSubMenuItemBg: '#0b1522' },
      },
    }),
    [],
  );
  return (
    <ConfigProvider locale={locale} theme={theme}>
      <AntApp>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Providers />
    </QueryClientProvider>
  );
}
