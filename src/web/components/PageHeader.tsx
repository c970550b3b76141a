import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Page title block; also sets the browser tab title to "<docTitle> · <product name>". */
export function PageHeader({
  title,
  docTitle,
  subtitle,
  extra,
  back,
  testId,
}: {
  title: ReactNode;
  /** Plain-text title for the browser tab (defaults to `title` when that is a string). */
  docTitle?: string;
  subtitle?: ReactNode;
  extra?: ReactNode;
  back?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const tabTitle = docTitle ?? (typeof title === 'string' ? title : undefined);
  useEffect(() => {
    document.title = tabTitle ? `${tabTitle} · ${t('app.name')}` : t('app.name');
  }, [tabTitle, t]);
  return (
    <div className="ac-page-header">
      <div style={{ minWidth: 0 }}>
        {back && <div style={{ marginBottom: 4 }}>{back}</div>}
        <h1 data-testid={testId}>{title}</h1>
        {subtitle && <div className="ac-page-subtitle">{subtitle}</div>}
      </div>
      {extra && <div>{extra}</div>}
    </div>
  );
}
