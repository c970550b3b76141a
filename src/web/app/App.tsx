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
      // Ant Design's defaults draw secondary text (#8c8c8c), placeholders (#bfbfbf), links (#1677ff on the grey
      // layout), the status colours as text and the badge below WCAG AA contrast (4.5:1). These keep every pair at
      // 4.5:1 or more on white and on the layout grey; the e2e suite checks the pages with axe-core.
      token: {
        colorPrimary: '#1668dc',
        // The derived hover shade (#3c8ae8) puts a primary button's white text at 3.5:1 under the pointer: darker.
        colorPrimaryHover: '#0f5bc4',
        colorLink: '#1668dc',
        borderRadius: 6,
        colorBgLayout: '#f5f7fa',
        colorTextTertiary: '#666666',
        colorTextDescription: '#666666',
        colorTextPlaceholder: '#707070',
        colorError: '#d9363e',
        colorErrorText: '#cf1322',
        colorWarningText: '#ad4e00',
        colorSuccessText: '#237804',
      },
      components: {
        Layout: { siderBg: '#0f1b2d', headerBg: '#ffffff', headerHeight: 56 },
        Menu: { darkItemBg: '#0f1b2d', darkSubMenuItemBg: '#0b1522' },
        Badge: { colorError: '#cf1322' },
        // Status tags write their text in the status colour on its light background; preset colours in shade 7.
        Tag: {
          colorSuccess: '#237804',
          colorInfo: '#0958d9',
          colorWarning: '#ad4e00',
          colorError: '#cf1322',
          cyan7: '#006d75',
          orange7: '#ad4e00',
          gold7: '#874d00',
          lime7: '#3f6600',
          green7: '#237804',
          volcano7: '#ad2102',
        },
        // The unchecked track carries the switch's white label.
        Switch: { colorTextQuaternary: '#737373', colorTextTertiary: '#595959' },
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
