// A location's own low-stock threshold for one part (managers, directors, admins). Empty means "none of its own": a
// warehouse then uses the part's threshold, a van does not alert (vans are refilled by hand).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { partsApi, partsKeys, type Part } from '../../api/parts.js';
import { FormDialog } from '../../components/FormDialog.js';
import { useLocationOptions } from './common.js';

type Values = { locationId?: number; threshold?: number | null };

export function ThresholdModal({ part, locationId, threshold, onClose }: { part: Part; locationId?: number; threshold?: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const locations = useQuery({ queryKey: partsKeys.locations, queryFn: () => partsApi.locations() });
  const options = useLocationOptions(locations.data?.items);

  const submit = async (v: Values) => {
    const row = await partsApi.setThreshold(part.id, v.locationId!, v.threshold ?? null);
    void message.success(t('parts.admin.thresholdSaved', { location: row.location.name }));
    await qc.invalidateQueries({ queryKey: partsKeys.all });
  };

  return (
    <FormDialog<Values> title={t('parts.admin.thresholdTitle', { code: part.code })} form={form} testId="threshold-form" initialValues={{ locationId, threshold }} width={520} onSave={submit} onClose={onClose}>
      <Form.Item name="locationId" label={t('parts.field.location')} rules={[{ required: true, message: t('validation.required', { field: t('parts.field.location') }) }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={options} loading={locations.isLoading} disabled={locationId !== undefined} data-testid="threshold-location" />
      </Form.Item>
      <Form.Item name="threshold" label={t('parts.field.threshold')} extra={t('parts.admin.thresholdOwnHint', { partThreshold: part.lowStockThreshold })}>
        <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} placeholder={t('parts.admin.thresholdNone')} data-testid="threshold-value" />
      </Form.Item>
    </FormDialog>
  );
}
