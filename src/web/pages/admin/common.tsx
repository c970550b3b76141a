// Pieces shared by the settings pages: the read-only notice, "any" placeholders, durations, error text.
import type { ReactNode } from 'react';
import { Alert, Result, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useCurrentUser } from '../../app/auth.js';
import { canEditSettings, canViewAdminPage, type AdminPage } from '../../app/adminAccess.js';
import { isApiError } from '../../api/client.js';

/** Whether the signed-in user may change settings; managers and the director only read them. */
export function useCanEdit(): boolean {
  return canEditSettings(useCurrentUser().role);
}

export function ReadOnlyNotice() {
  const { t } = useTranslation();
  return <Alert type="info" showIcon title={t('admin.readOnly')} style={{ marginBottom: 16 }} data-testid="read-only" />;
}

/** Renders children only for users who may see this settings page. */
export function AdminGate({ page, children }: { page: AdminPage; children: ReactNode }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  if (!canViewAdminPage(user.role, page)) return <Result status="403" title={t('admin.forbidden')} />;
  return <>{children}</>;
}

export function AnyTag() {
  const { t } = useTranslation();
  return (
    <Tag variant="outlined" style={{ marginInlineEnd: 0, color: '#8c8c8c', borderStyle: 'dashed' }}>
      {t('admin.any')}
    </Tag>
  );
}

/** 30 → "30分钟", 240 → "4小时", 90 → "1.5小时", null → "—". */
export function formatMinutes(min: number | null | undefined, t: TFunction): string {
  if (min === null || min === undefined) return '—';
  if (min < 60) return t('admin.minutes', { n: min });
  const h = Math.round((min / 60) * 100) / 100;
  return t('admin.hours', { n: h });
}

export const minutesToHours = (m: number | null | undefined): number | null => (m === null || m === undefined ? null : Math.round((m / 60) * 100) / 100);
export const hoursToMinutes = (h: number | null | undefined): number | null => (h === null || h === undefined ? null : Math.round(h * 60));

export function errorText(err: unknown, t: TFunction): string {
  if (isApiError(err)) {
    if (err.code === 'stale_version') return t('admin.stale');
    if (err.fields && Object.keys(err.fields).length) return Object.entries(err.fields).map(([f, m]) => `${f}: ${m}`).join(t('common.listSeparator'));
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
