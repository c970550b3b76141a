import { Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/enums.js';
import { useAuth } from '../app/auth.js';
import { changeLanguage, currentLanguage } from '../app/i18n.js';

/** 中文 / English switch; re-fetches everything so server-translated names and messages follow. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { refresh } = useAuth();
  const value = (i18n.language === 'en' ? 'en' : 'zh-CN') satisfies Language;
  return (
    <Segmented<Language>
      size="small"
      data-testid="lang-switch"
      aria-label={t('language.label')}
      value={value}
      options={[
        { value: 'zh-CN', label: <span data-testid="lang-zh-CN">{t('language.zhCN')}</span> },
        { value: 'en', label: <span data-testid="lang-en">{t('language.en')}</span> },
      ]}
      onChange={(next) => {
        if (next === currentLanguage()) return;
        void changeLanguage(next).then(() => Promise.all([queryClient.invalidateQueries(), refresh()]));
      }}
    />
  );
}
