// A location's own low-stock threshold for one part (managers, directors, admins). Empty means "none of its own": a
// warehouse then uses the part's threshold, a van does not alert (vans are refilled by hand).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, InputNumber, Modal, Select } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { partsApi, partsKeys, type Part } from '../../api/parts.js';
import { applyServerErrors } from '../../components/formErrors.js';

type Values = { locationId?: number; threshold?: number | null };

export function ThresholdModal({ part, locationId, threshold, onClose }: { part: Part; locationId?: number; threshold?: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const locations = useQuery({ queryKey: partsKeys.locations, queryFn: () => partsApi.locations() });
  const options = (locations.data?.items ?? []).map((l) => ({ value: l.id, label: `${l.name}${l.owner ? ` · ${l.owner.name}` : ''} (${t(`parts.locationKind.${l.kind}`)})` }));

  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const row = await partsApi.setThreshold(part.id, v.locationId!, v.threshold ?? null);
      void message.success(t('parts.admin.thresholdSaved', { location: row.location.name }));
      await qc.invalidateQueries({ queryKey: partsKeys.all });
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('parts.admin.thresholdTitle', { code: part.code })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'threshold-save' } as ButtonProps}
      confirmLoading={saving}
      width={520}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="threshold-error" />}
      <Form<Values> form={form} layout="vertical" initialValues={{ locationId, threshold }} onFinish={submit} data-testid="threshold-form">
        <Form.Item name="locationId" label={t('parts.field.location')} rules={[{ required: true, message: t('validation.required', { field: t('parts.field.location') }) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} loading={locations.isLoading} disabled={locationId !== undefined} data-testid="threshold-location" />
        </Form.Item>
        <Form.Item name="threshold" label={t('parts.field.threshold')} extra={t('parts.admin.thresholdOwnHint', { partThreshold: part.lowStockThreshold })}>
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} placeholder={t('parts.admin.thresholdNone')} data-testid="threshold-value" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
