// Register a unit, edit one, or replace a faulty one by a new unit (same owner; both serials are kept).
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { customerApi } from '../../api/endpoints.js';
import { productApi, unitApi, type UnitDetail } from '../../api/products.js';
import { applyServerErrors } from '../../components/formErrors.js';

type Values = {
  customerId?: number;
  productModel?: string;
  serialNumber: string;
  purchaseDate?: Dayjs | null;
  proofRef?: string;
  proofAttachmentId?: number | null;
  installDate?: Dayjs | null;
  acceptanceDate?: Dayjs | null;
  extendedMonths?: number;
  notes?: string;
  reason?: string;
};

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const parse = (s: string | null) => (s ? dayjs(s) : null);

function SearchSelect({ kind, ...rest }: { kind: 'customer' | 'model'; value?: unknown; onChange?: (v: unknown) => void; 'data-testid'?: string; disabled?: boolean }) {
  const [q, setQ] = useState('');
  const res = useQuery({
    queryKey: ['pick', kind, q],
    queryFn: async (): Promise<{ value: number | string; label: string }[]> =>
      kind === 'customer'
        ? (await customerApi.list({ q: q || undefined, limit: 20 })).items.map((c) => ({ value: c.id, label: `${c.name}${c.phone ? ` · ${c.phone}` : ''}` }))
        : (await productApi.list({ q: q || undefined, limit: 50 })).items.map((p) => ({ value: p.model, label: `${p.model} · ${p.name}` })),
  });
  return <Select showSearch={{ filterOption: false, onSearch: setQ }} options={res.data ?? []} loading={res.isFetching} {...(rest as object)} />;
}

export function UnitFormModal({ unit, replacing = false, onClose }: { unit: UnitDetail | null; replacing?: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const editing = unit !== null && !replacing;
  const initial: Partial<Values> = editing
    ? {
        customerId: unit.customer.id,
        productModel: unit.productModel,
        serialNumber: unit.serialNumber ?? '',
        purchaseDate: parse(unit.purchaseDate),
        proofRef: unit.proofRef ?? '',
        proofAttachmentId: unit.proofAttachmentId,
        installDate: parse(unit.installDate),
        acceptanceDate: parse(unit.acceptanceDate),
        extendedMonths: unit.extendedMonths,
        notes: unit.notes ?? '',
      }
    : replacing && unit
      ? { productModel: unit.productModel, purchaseDate: parse(unit.purchaseDate), proofRef: unit.proofRef ?? '', extendedMonths: 0 }
      : { extendedMonths: 0 };
  const submit = async (v: Values) => {
    const fields = {
      serialNumber: v.serialNumber,
      purchaseDate: day(v.purchaseDate),
      proofRef: v.proofRef?.trim() || null,
      installDate: day(v.installDate),
      acceptanceDate: day(v.acceptanceDate),
      extendedMonths: v.extendedMonths ?? 0,
      notes: v.notes?.trim() || null,
    };
    setSaving(true);
    try {
      let saved: UnitDetail;
      if (editing) saved = await unitApi.patch(unit.id, { ...fields, customerId: v.customerId, productModel: v.productModel, proofAttachmentId: v.proofAttachmentId ?? null, version: unit.version });
      else if (replacing && unit) saved = await unitApi.replace(unit.id, { ...fields, productModel: v.productModel, reason: v.reason?.trim() || undefined });
      else saved = await unitApi.create({ ...fields, customerId: v.customerId!, productModel: v.productModel! });
      void message.success(t(replacing ? 'units.replacedOk' : 'units.saved'));
      await qc.invalidateQueries({ queryKey: ['units'] });
      await qc.invalidateQueries({ queryKey: ['unit'] });
      onClose();
      if (!editing) void navigate(`/units/${saved.id}`);
    } catch (e) {
      const applied = applyServerErrors(form, e);
      if (!applied.applied) void message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, message: t('products.required') }];
  const title = replacing ? t('units.replaceTitle', { serial: unit?.serialNumber ?? '' }) : editing ? t('units.edit') : t('units.new');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="unit-form">
        {!replacing && (
          <Form.Item name="customerId" label={t('units.customer')} rules={required}>
            <SearchSelect kind="customer" data-testid="unit-customer" />
          </Form.Item>
        )}
        <Flex gap={12} wrap>
          <Form.Item name="productModel" label={t('units.model')} rules={replacing ? [] : required} style={{ flex: '1 1 240px' }}>
            <SearchSelect kind="model" data-testid="unit-model" />
          </Form.Item>
          <Form.Item name="serialNumber" label={replacing ? t('units.newSerial') : t('units.serial')} rules={required} style={{ flex: '1 1 200px' }}>
            <Input maxLength={100} data-testid="unit-serial" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="purchaseDate" label={t('units.purchaseDate')}>
            <DatePicker data-testid="unit-purchase" />
          </Form.Item>
          <Form.Item name="proofRef" label={t('units.proofRef')} extra={t('units.proofRefHint')} style={{ flex: '1 1 200px' }}>
            <Input maxLength={100} data-testid="unit-proof" />
          </Form.Item>
        </Flex>
        {editing && unit.proofCandidates.length > 0 && (
          <Form.Item name="proofAttachmentId" label={t('units.proofAttachment')}>
            <Select allowClear options={unit.proofCandidates.map((c) => ({ value: c.id, label: `${c.filename} · ${c.ticketNumber}` }))} data-testid="unit-proof-file" />
          </Form.Item>
        )}
        <Flex gap={12} wrap>
          <Form.Item name="installDate" label={t('units.installDate')}>
            <DatePicker data-testid="unit-install" />
          </Form.Item>
          <Form.Item name="acceptanceDate" label={t('units.acceptanceDate')} extra={t('units.acceptanceHint')}>
            <DatePicker data-testid="unit-acceptance" />
          </Form.Item>
          <Form.Item name="extendedMonths" label={t('units.extendedMonths')}>
            <InputNumber min={0} max={120} precision={0} data-testid="unit-extended" />
          </Form.Item>
        </Flex>
        {replacing ? (
          <Form.Item name="reason" label={t('units.replaceReason')}>
            <Input.TextArea maxLength={500} rows={2} data-testid="unit-replace-reason" />
          </Form.Item>
        ) : (
          <Form.Item name="notes" label={t('units.notes')}>
            <Input.TextArea maxLength={2000} rows={2} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
