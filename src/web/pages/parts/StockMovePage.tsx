// /parts/move: one stock move (receive, transfer, reserve, release, consume, return, adjust). A refusal shows the
// server's translated reason (库存不足 … 可用 N) on the form and at its field, and keeps everything the user typed.
// One Idempotency-Key per attempt: a retry after a lost answer cannot move the stock twice.
import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { STOCK_MOVE_KINDS, type StockMoveKind } from '../../../shared/parts.js';
import { isApiError, newIdempotencyKey } from '../../api/client.js';
import { partsApi, partsKeys, type MoveInput, type MoveResult } from '../../api/parts.js';
import { useCurrentUser } from '../../app/auth.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { BackToParts, canDispatchStock, canManageParts, useLocationOptions, usePartName } from './common.js';

type Values = { kind: StockMoveKind; partId?: number; qty?: number; countedQty?: number; fromLocationId?: number; toLocationId?: number; ticketNumber?: string; reason?: string };

/** Which locations a kind asks for: from, to, or the counted one (adjust). */
const NEEDS: Record<StockMoveKind, { from: 'required' | 'optional' | null; to: boolean; ticket: 'required' | 'optional' | null }> = {
  receive: { from: null, to: true, ticket: null },
  transfer: { from: 'required', to: true, ticket: null },
  return: { from: 'optional', to: true, ticket: 'optional' },
  reserve: { from: 'required', to: false, ticket: 'required' },
  release: { from: 'required', to: false, ticket: 'required' },
  consume: { from: 'required', to: false, ticket: 'required' },
  adjust: { from: null, to: true, ticket: null },
};

export default function StockMovePage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const name = usePartName();
  const qc = useQueryClient();
  const [sp] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const kinds = STOCK_MOVE_KINDS.filter((k) => (k === 'receive' || k === 'adjust' ? canManageParts(user.role) : canDispatchStock(user.role) || user.role === 'engineer'));
  const kind = (Form.useWatch('kind', form) ?? (sp.get('kind') as StockMoveKind | null) ?? (kinds.includes('receive') ? 'receive' : 'transfer')) as StockMoveKind;
  const need = NEEDS[kind];
  const parts = useQuery({ queryKey: partsKeys.list({ limit: 200 }), queryFn: () => partsApi.list({ limit: 200 }) });
  const locations = useQuery({ queryKey: partsKeys.locations, queryFn: () => partsApi.locations() });
  const key = useRef<string>(newIdempotencyKey());
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MoveResult | null>(null);
  const required = (label: string) => [{ required: true, message: t('validation.required', { field: label }) }];

  const locationOptions = useLocationOptions(locations.data?.items);
  const ownVan = locations.data?.items.find((l) => l.kind === 'van' && l.owner?.id === user.id)?.id;
  const partOptions = useMemo(() => (parts.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${name(p)}` })), [parts.data, name]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: MoveInput = {
        kind: v.kind,
        partId: v.partId!,
        ...(v.kind === 'adjust' ? { countedQty: v.countedQty } : { qty: v.qty }),
        fromLocationId: need.from ? (v.fromLocationId ?? null) : null,
        toLocationId: need.to ? (v.toLocationId ?? null) : null,
        ticketNumber: need.ticket && v.ticketNumber?.trim() ? v.ticketNumber.trim() : null,
        reason: v.reason?.trim() || null,
      };
      return partsApi.move(body, key.current);
    },
    onSuccess: (res) => {
      setError(null);
      setDone(res);
      key.current = newIdempotencyKey();
      form.setFieldsValue({ qty: undefined, countedQty: undefined });
      void qc.invalidateQueries({ queryKey: partsKeys.all });
    },
    onError: (e) => {
      setDone(null);
      // A definite refusal changed nothing: the next attempt is a new move. After a lost answer, the same key retries.
      if (isApiError(e) && e.definitive) key.current = newIdempotencyKey();
      applyServerErrors(form, e, (f) => (f === 'fromLocationId' || f === 'toLocationId' || f === 'ticketNumber' || f === 'qty' || f === 'countedQty' || f === 'reason' ? [f] : null));
      setError(e.message);
    },
  });

  return (
    <div>
      <PageHeader
        back={<BackToParts />}
        title={t('parts.move.title')}
        subtitle={t('parts.move.subtitle')}
        testId="page-title"
      />
      <Card style={{ maxWidth: 720 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="move-error" />}
        {done && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="move-done"
            title={t('parts.move.done', { kind: t(`parts.kind.${done.move.kind}`), qty: done.move.qty })}
            description={done.balances.map((b) => t('parts.move.balance', { location: b.location.name, available: b.available, onHand: b.onHand })).join(t('common.listSeparator'))}
          />
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ kind, partId: Number(sp.get('partId')) || undefined, fromLocationId: user.role === 'engineer' ? ownVan : undefined }}
          onFinish={(v) => save.mutate({ ...v, kind })}
          onValuesChange={() => setDone(null)}
          data-testid="move-form"
        >
          <Form.Item name="kind" label={t('parts.field.kind')}>
            <Radio.Group optionType="button" buttonStyle="solid" options={kinds.map((k) => ({ value: k, label: t(`parts.kind.${k}`) }))} data-testid="move-kind" />
          </Form.Item>
          <Form.Item name="partId" label={t('parts.field.part')} rules={required(t('parts.field.part'))}>
            <Select showSearch optionFilterProp="label" options={partOptions} loading={parts.isLoading} placeholder={t('parts.move.pickPart')} data-testid="move-part" />
          </Form.Item>
          <Space wrap size={16} style={{ display: 'flex' }}>
            {need.from && (
              <Form.Item name="fromLocationId" label={t('parts.field.from')} rules={need.from === 'required' ? required(t('parts.field.from')) : []} style={{ minWidth: 260 }}>
                <Select allowClear options={locationOptions} data-testid="move-from" />
              </Form.Item>
            )}
            {need.to && (
              <Form.Item name="toLocationId" label={kind === 'adjust' ? t('parts.field.location') : t('parts.field.to')} rules={required(kind === 'adjust' ? t('parts.field.location') : t('parts.field.to'))} style={{ minWidth: 260 }}>
                <Select options={locationOptions} data-testid="move-to" />
              </Form.Item>
            )}
          </Space>
          {kind === 'adjust' ? (
            <Form.Item name="countedQty" label={t('parts.field.counted')} rules={required(t('parts.field.counted'))}>
              <InputNumber min={0} precision={0} style={{ width: 200 }} data-testid="move-counted" />
            </Form.Item>
          ) : (
            <Form.Item name="qty" label={t('parts.field.qty')} rules={required(t('parts.field.qty'))}>
              <InputNumber min={1} precision={0} style={{ width: 200 }} data-testid="move-qty" />
            </Form.Item>
          )}
          {need.ticket && (
            <Form.Item name="ticketNumber" label={t('parts.field.ticket')} rules={need.ticket === 'required' ? required(t('parts.field.ticket')) : []}>
              <Input maxLength={14} style={{ width: 260 }} placeholder="202611001" data-testid="move-ticket" />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('parts.field.reason')} rules={kind === 'adjust' ? required(t('parts.field.reason')) : []}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} data-testid="move-reason" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="move-submit">
            {t('parts.move.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
