// 登记退换货 from a ticket: the type, the customer's units (or order lines when there is no unit on file), what the
// customer reports, and past the return window the reason to accept it anyway. One Idempotency-Key per dialog: a retry
// after a lost answer opens nothing twice. A refusal is shown at its field and everything typed stays.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client.js';
import { qk } from '../../api/queries.js';
import { unitApi } from '../../api/products.js';
import { RMA_KINDS, returnKeys, returnsApi, type RmaKind } from '../../api/returns.js';
import type { Ticket } from '../../api/types.js';
import { applyServerErrors } from '../../components/formErrors.js';

interface Values {
  kind: RmaKind;
  unitIds?: number[];
  lines?: { orderNumber?: string; productModel?: string; qty?: number; purchaseDate?: Dayjs }[];
  reason?: string;
  windowOverrideReason?: string;
}

export function CreateRmaDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [topError, setTopError] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const customerId = ticket.customer.id;
  const units = useQuery({ queryKey: ['units', 'customer', customerId], queryFn: () => unitApi.list({ customerId, limit: 100 }), enabled: open && !!customerId });
  const current = (units.data?.items ?? []).filter((u) => u.replacedById === null);

  // The ticket's own unit (its serial) is ticked to begin with.
  const own = current.find((u) => u.serialNumber === ticket.serialNumber && u.productModel === ticket.productModel)?.id;
  useEffect(() => {
    if (open && own !== undefined && !form.getFieldValue('unitIds')) form.setFieldsValue({ unitIds: [own] });
  }, [open, own, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const unitItems = (v.unitIds ?? []).map((unitId) => ({ unitId }));
    const lineItems = (v.lines ?? []).map((l) => ({ orderNumber: l.orderNumber, productModel: l.productModel, qty: l.qty ?? 1, purchaseDate: l.purchaseDate?.format('YYYY-MM-DD') }));
    if (unitItems.length + lineItems.length === 0) {
      setTopError(t('returns.create.needItem'));
      return;
    }
    setSaving(true);
    setTopError(null);
    try {
      const rma = await returnsApi.create(ticket.number, { kind: v.kind, items: [...unitItems, ...lineItems], reason: v.reason || undefined, windowOverrideReason: v.windowOverrideReason || undefined }, key.current);
      void message.success(t('returns.create.done', { id: rma.id }));
      void queryClient.invalidateQueries({ queryKey: returnKeys.all });
      void queryClient.invalidateQueries({ queryKey: qk.events(ticket.number) });
      key.current = newIdempotencyKey();
      form.resetFields();
      onClose();
    } catch (err) {
      // items.N.* → the unit list or the order line it came from.
      const { unplaced } = applyServerErrors(form, err, (field) => {
        const m = /^items\.(\d+)\.(\w+)$/.exec(field);
        if (!m) return undefined;
        const i = Number(m[1]);
        return i < unitItems.length ? ['unitIds'] : ['lines', i - unitItems.length, m[2]!];
      });
      setTopError(unplaced.length ? unplaced.map((u) => u.message).join('；') : err instanceof Error && !unplaced.length && !(err as { fields?: unknown }).fields ? err.message : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} width={640} title={t('returns.create.title')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okText={t('returns.create.submit')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'rma-create-submit' } as ButtonProps} destroyOnHidden={false}>
      {topError && <Alert type="error" showIcon message={topError} style={{ marginBottom: 12 }} data-testid="rma-create-error" />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'exchange' }} data-testid="rma-create-form">
        <Form.Item name="kind" label={t('returns.create.kind')}>
          <Radio.Group optionType="button" options={RMA_KINDS.map((k) => ({ value: k, label: t(`returns.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="unitIds" label={t('returns.create.units')} extra={t('returns.create.unitsHint')}>
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="rma-units">
            {current.map((u) => (
              <Checkbox key={u.id} value={u.id}>
                {u.productModel} · {u.serialNumber} {u.purchaseDate && <Typography.Text type="secondary">({u.purchaseDate})</Typography.Text>}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'orderNumber']} rules={[{ required: true, message: t('returns.create.orderNumber') }]}>
                    <Input placeholder={t('returns.create.orderNumber')} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'productModel']} rules={[{ required: true, message: t('returns.create.productModel') }]}>
                    <Input placeholder={t('returns.create.productModel')} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'qty']} initialValue={1}>
                    <InputNumber min={1} max={999} style={{ width: 70 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'purchaseDate']}>
                    <DatePicker placeholder={t('returns.create.purchaseDate')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add()} style={{ marginBottom: 12 }}>
                {t('returns.create.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="reason" label={t('returns.create.reason')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="rma-reason" />
        </Form.Item>
        <Form.Item name="windowOverrideReason" label={t('returns.create.override')} extra={t('returns.create.overrideHint')}>
          <Input maxLength={500} data-testid="rma-override" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
