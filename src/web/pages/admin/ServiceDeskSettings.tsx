// 客服主管: which department is the service desk (its supervisors see and assign every ticket, get a copy of every
// assignment and review solutions; seed 001) and who reviews solutions. Shown on the routing page; admins edit it.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { REVIEW_BY, type ReviewBy } from '../../../shared/enums.js';
import { directoryApi } from '../../api/endpoints.js';
import { DepartmentSelect } from '../../components/selects.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { useCanEdit } from './common.js';

const SETTINGS_KEY = ['admin', 'settings'] as const;

interface Values {
  serviceDeskDepartmentId: number | null;
  reviewBy: ReviewBy;
}

export function ServiceDeskSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: directoryApi.settings });
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (settings.data) form.setFieldsValue({ serviceDeskDepartmentId: settings.data.serviceDeskDepartmentId, reviewBy: settings.data.reviewBy });
  }, [settings.data, form]);

  const save = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const next = await directoryApi.patchSettings({ serviceDeskDepartmentId: v.serviceDeskDepartmentId ?? null, reviewBy: v.reviewBy });
      queryClient.setQueryData(SETTINGS_KEY, next);
      void message.success(t('admin.saved'));
    } catch (err) {
      const placed = applyServerErrors(form, err);
      if (placed.applied === 0) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('admin.desk.title')} data-testid="service-desk-settings" style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('admin.desk.intro')}</Typography.Paragraph>
      {settings.error && <Alert type="error" showIcon title={String(settings.error)} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" disabled={!canEdit || settings.isLoading} onFinish={(v) => void save(v)} requiredMark={false} style={{ maxWidth: 640 }}>
        <Form.Item name="serviceDeskDepartmentId" label={t('admin.desk.department')} extra={t('admin.desk.departmentHint')}>
          <DepartmentSelect allowClear style={{ width: 280 }} data-testid="desk-department" />
        </Form.Item>
        <Form.Item name="reviewBy" label={t('admin.desk.reviewBy')}>
          <Radio.Group options={REVIEW_BY.map((r) => ({ value: r, label: <span data-testid={`review-by-${r}`}>{t(`admin.desk.reviewByOption.${r}`)}</span> }))} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {canEdit && (
          <Button type="primary" htmlType="submit" loading={busy} data-testid="desk-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
