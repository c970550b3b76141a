// Add or edit a spare part (managers, directors, admins): code, names zh / en, unit, the product models it fits, cost
// and list price typed in yuan (sent in fen), the warehouses' low-stock threshold and whether it is in use. A refusal
// (code taken, an unknown model, a bad code) is shown at its field and in the dialog; what was typed stays.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { UOMS, type Uom } from '../../../shared/parts.js';
import { partsApi, partsKeys, toFen, type Part } from '../../api/parts.js';
import { productApi } from '../../api/products.js';
import { FormDialog } from '../../components/FormDialog.js';

type Values = { code: string; nameZh: string; nameEn?: string; uom: Uom; productModels: string[]; unitCost?: number | null; listPrice?: number | null; lowStockThreshold?: number | null; active: boolean };

export function PartFormModal({ part, onClose, onSaved }: { part: Part | null; onClose: () => void; onSaved?: (p: Part) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  // The catalog's models to choose from; the server refuses any other (a typo would hide the part from its product).
  const products = useQuery({ queryKey: ['products', { limit: 200 }], queryFn: () => productApi.list({ limit: 200 }) });
  const modelOptions = (products.data?.items ?? []).map((p) => ({ value: p.model, label: `${p.model} · ${p.name}` }));
  const required = (field: string) => [{ required: true, message: t('validation.required', { field }) }];
  const initial: Partial<Values> = part
    ? { ...part, nameEn: part.nameEn ?? '', unitCost: part.unitCost / 100, listPrice: part.listPrice / 100 }
    : { uom: 'piece', productModels: [], lowStockThreshold: 0, active: true };

  const submit = async (v: Values) => {
    const body = {
      code: v.code.trim(),
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn?.trim() || null,
      uom: v.uom,
      productModels: v.productModels ?? [],
      unitCost: toFen(v.unitCost ?? 0),
      listPrice: toFen(v.listPrice ?? 0),
      lowStockThreshold: v.lowStockThreshold ?? 0,
      active: v.active,
    };
    const saved = part ? await partsApi.update(part.id, body) : await partsApi.create(body);
    void message.success(t('parts.admin.saved', { code: saved.code }));
    await qc.invalidateQueries({ queryKey: partsKeys.all });
    onSaved?.(saved);
  };

  return (
    <FormDialog<Values>
      title={part ? t('parts.admin.editPart', { code: part.code }) : t('parts.admin.newPart')}
      form={form}
      testId="part-form"
      initialValues={initial}
      width={680}
      onSave={submit}
      onClose={onClose}
    >
      <Flex gap={12} wrap>
        <Form.Item name="code" label={t('parts.field.code')} rules={required(t('parts.field.code'))} extra={t('parts.admin.codeHint')} style={{ flex: '1 1 200px' }}>
          <Input maxLength={40} data-testid="part-code" />
        </Form.Item>
        <Form.Item name="uom" label={t('parts.field.uom')} style={{ flex: '0 0 120px' }}>
          <Select options={UOMS.map((u) => ({ value: u, label: t(`parts.uom.${u}`) }))} data-testid="part-uom" />
        </Form.Item>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item name="nameZh" label={t('parts.field.nameZh')} rules={required(t('parts.field.nameZh'))} style={{ flex: '1 1 260px' }}>
          <Input maxLength={200} data-testid="part-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('parts.field.nameEn')} style={{ flex: '1 1 260px' }}>
          <Input maxLength={200} data-testid="part-name-en" />
        </Form.Item>
      </Flex>
      <Form.Item name="productModels" label={t('parts.field.models')}>
        <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={modelOptions} loading={products.isLoading} placeholder={t('parts.admin.pickModels')} data-testid="part-models" />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="unitCost" label={t('parts.field.unitCost')} extra={t('parts.admin.yuanHint')}>
          <InputNumber min={0} max={1_000_000} precision={2} prefix="¥" style={{ width: 160 }} data-testid="part-cost" />
        </Form.Item>
        <Form.Item name="listPrice" label={t('parts.field.listPrice')}>
          <InputNumber min={0} max={1_000_000} precision={2} prefix="¥" style={{ width: 160 }} data-testid="part-price" />
        </Form.Item>
        <Form.Item name="lowStockThreshold" label={t('parts.field.threshold')} extra={t('parts.admin.thresholdHint')}>
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 140 }} data-testid="part-threshold" />
        </Form.Item>
      </Flex>
      <Form.Item name="active" valuePropName="checked" extra={t('parts.admin.activeHint')}>
        <Checkbox data-testid="part-active">{t('parts.admin.active')}</Checkbox>
      </Form.Item>
    </FormDialog>
  );
}
