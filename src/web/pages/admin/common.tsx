// Pieces shared by the settings pages: the read-only notice, "any" placeholders, durations, error text, saving.
import { useState, type ReactNode } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { Alert, App, Result, Tag, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useCurrentUser } from '../../app/auth.js';
import { canEditSettings, canViewAdminPage, type AdminPage } from '../../app/adminAccess.js';
import { isApiError } from '../../api/client.js';
import { applyServerErrors, type NamePath } from '../../components/formErrors.js';

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

/** Actions on table rows (a switch, a test send): which one is running, a message when it ends, then `queryKey` is reloaded. */
export function useRowActions(queryKey: QueryKey) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, fn: () => Promise<unknown>, ok: string) => {
    setBusy(key);
    try {
      await fn();
      void message.success(ok);
    } catch (err) {
      void message.error(errorText(err, t));
    } finally {
      setBusy(null);
      void queryClient.invalidateQueries({ queryKey });
    }
  };
  return { busy, run };
}

/**
 * Saving a settings dialog: validate, send, reload `queryKey`, close. A refusal lands on the fields it names and
 * anything else in `error`; the form keeps what the user typed either way. `mapField` places server fields the form
 * names differently; `reloadOnError` reloads anyway, so that an edit refused as stale shows the current row.
 */
export function useFormSave<V>(
  form: FormInstance<V>,
  queryKey: QueryKey,
  onDone: () => void,
  opts: { mapField?: (field: string) => NamePath | null | undefined; reloadOnError?: boolean } = {},
) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (send: (values: V) => Promise<unknown>) => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(values);
      void message.success(t('admin.saved'));
      void queryClient.invalidateQueries({ queryKey });
      onDone();
    } catch (err) {
      if (applyServerErrors(form, err, opts.mapField).applied === 0) setError(errorText(err, t));
      if (opts.reloadOnError) void queryClient.invalidateQueries({ queryKey });
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, save };
}
