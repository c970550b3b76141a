// /settlements (结算审核): the month's finished visits with what was charged, collected and used, approved or
// rejected one by one; and the month's settlement per engineer or per service provider, exportable to Excel / CSV.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, Modal, Segmented, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { yuan } from '../../api/parts.js';
import { isApiError, settlementApi, settlementKeys, type SettlementItem, type SettlementState } from '../../api/settlement.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { MonthlyCard } from './MonthlyCard.js';

const STATE_COLORS: Record<SettlementState, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

export default function SettlementPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(sp.get('month') ?? '') ? sp.get('month')! : dayjs().format('YYYY-MM');
  const stateParam = sp.get('state');
  const state = stateParam === 'pending' || stateParam === 'approved' || stateParam === 'rejected' ? stateParam : undefined;
  const tab = sp.get('tab') === 'monthly' ? 'monthly' : 'review';
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (value) next.set(key, value);
    else next.delete(key);
    setSp(next, { replace: true });
  };

  return (
    <div>
      <PageHeader
        title={t('settlement.title')}
        subtitle={t('settlement.subtitle')}
        testId="page-title"
        extra={
          <DatePicker
            picker="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            onChange={(d) => d && set('month', d.format('YYYY-MM'))}
            data-testid="settlement-month"
            aria-label={t('settlement.month')}
          />
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k === 'monthly' ? 'monthly' : undefined)}
        items={[
          { key: 'review', label: t('settlement.tab.review'), children: <ReviewCard month={month} state={state} onState={(s) => set('state', s)} /> },
          { key: 'monthly', label: t('settlement.tab.monthly'), children: <MonthlyCard month={month} /> },
        ]}
      />
    </div>
  );
}

function ReviewCard({ month, state, onState }: { month: string; state: SettlementState | undefined; onState: (s: string | undefined) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [rejecting, setRejecting] = useState<SettlementItem | null>(null);
  const params = { month, state };
  const query = useQuery({ queryKey: settlementKeys.list(params), queryFn: () => settlementApi.list(params) });
  const decide = useMutation({
    mutationFn: (v: { item: SettlementItem; decision: 'approved' | 'rejected'; note?: string }) => settlementApi.decide(v.item.visitId, { decision: v.decision, note: v.note, fingerprint: v.item.fingerprint }),
    onSuccess: (_r, v) => {
      message.success(t(v.decision === 'approved' ? 'settlement.approved_done' : 'settlement.rejected_done'));
      void qc.invalidateQueries({ queryKey: settlementKeys.all });
    },
    onError: (e) => {
      // Charges changed since the list was read: show the new figures.
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: settlementKeys.all });
    },
  });
  const items = query.data?.items ?? [];

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Segmented
          value={state ?? 'all'}
          onChange={(v) => onState(v === 'all' ? undefined : String(v))}
          options={(['all', 'pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`settlement.state.${s}`) }))}
          data-testid="settlement-state"
        />
        <Typography.Text type="secondary" data-testid="settlement-count">
          {t('settlement.count', { count: items.length })}
        </Typography.Text>
      </Flex>
      {query.error && <Alert type="error" showIcon message={(query.error as Error).message} style={{ marginBottom: 12 }} />}
      {decide.error && !rejecting && <Alert type="error" showIcon message={(decide.error as Error).message} style={{ marginBottom: 12 }} data-testid="settlement-error" closable onClose={() => decide.reset()} />}
      <Table<SettlementItem>
        rowKey="visitId"
        size="middle"
        loading={query.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('settlement.empty')} /> }}
        scroll={{ x: 1150 }}
        data-testid="settlement-table"
        onRow={(r) => ({ 'data-testid': `settlement-row-${r.visitId}` }) as never}
        columns={[
          { title: t('settlement.col.finished'), dataIndex: 'finishedAt', width: 130, render: (v: string) => <DateTime value={v} /> },
          {
            title: t('settlement.col.ticket'),
            width: 230,
            render: (_, r) => (
              <div style={{ minWidth: 0 }}>
                <Link to={`/tickets/${r.ticketNumber}`} className="ac-number">
                  {r.ticketNumber}
                </Link>
                <Typography.Text ellipsis={{ tooltip: r.ticketTitle }} style={{ display: 'block', maxWidth: 210 }}>
                  {r.customerName} · {r.ticketTitle}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('settlement.col.engineer'),
            width: 110,
            render: (_, r) => (
              <span>
                {r.engineer.name}
                {r.provider && (
                  <Tag color="purple" style={{ marginInlineStart: 6 }}>
                    {r.provider.name}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t('settlement.col.warranty'), dataIndex: 'warrantyStatus', width: 70, render: (w: SettlementItem['warrantyStatus']) => (w ? t(`settlement.warranty.${w}`) : '—') },
          { title: t('settlement.col.charged'), dataIndex: 'charged', width: 90, align: 'right', render: (v: number) => yuan(v) },
          {
            title: t('settlement.col.collected'),
            width: 120,
            align: 'right',
            render: (_, r) => (
              <div data-testid="settlement-collected">
                <span style={{ color: r.collected !== r.charged ? '#cf1322' : undefined }}>{yuan(r.collected)}</span>
                {r.paymentMethod && (
                  <div className="ac-muted" style={{ fontSize: 12 }}>
                    {t(`settlement.payment.${r.paymentMethod}`)} {r.receiptNumber}
                  </div>
                )}
              </div>
            ),
          },
          {
            title: t('settlement.col.parts'),
            width: 150,
            render: (_, r) =>
              r.parts.length === 0 ? (
                '—'
              ) : (
                <div data-testid="settlement-parts">
                  {r.parts.map((p) => (
                    <div key={p.partId}>
                      {p.code} ×{p.qty} <span className="ac-muted">{yuan(p.cost)}</span>
                    </div>
                  ))}
                </div>
              ),
          },
          {
            title: t('settlement.col.state'),
            width: 90,
            render: (_, r) => (
              <Tooltip title={r.review ? `${r.review.by.name}${r.review.note ? `：${r.review.note}` : ''}` : undefined}>
                <Tag color={STATE_COLORS[r.state]} data-testid="settlement-state-tag">
                  {t(`settlement.state.${r.state}`)}
                </Tag>
                {r.review?.stale && <div className="ac-muted" style={{ fontSize: 12 }}>{t('settlement.changed_since')}</div>}
              </Tooltip>
            ),
          },
          {
            title: t('settlement.col.actions'),
            width: 160,
            fixed: 'right',
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="primary" icon={<CheckOutlined />} disabled={r.state === 'approved'} loading={decide.isPending && decide.variables?.item.visitId === r.visitId} onClick={() => decide.mutate({ item: r, decision: 'approved' })} data-testid="settlement-approve">
                  {t('settlement.approve')}
                </Button>
                <Button size="small" danger icon={<CloseOutlined />} disabled={r.state === 'rejected'} onClick={() => setRejecting(r)} data-testid="settlement-reject">
                  {t('settlement.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <RejectDialog item={rejecting} onClose={() => setRejecting(null)} onReject={(item, note) => decide.mutateAsync({ item, decision: 'rejected', note })} />
    </Card>
  );
}

function RejectDialog({ item, onClose, onReject }: { item: SettlementItem | null; onClose: () => void; onReject: (item: SettlementItem, note: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    // An empty reason is shown at the field by the form itself; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { note } = values;
    setBusy(true);
    setError(null);
    try {
      await onReject(item!, note);
      form.resetFields();
      onClose();
    } catch (e) {
      // The reason stays in the field: nothing typed is lost on a refusal.
      if (isApiError(e) && e.fields?.note) form.setFields([{ name: 'note', errors: [e.fields.note] }]);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={item !== null} title={t('settlement.reject_title', { number: item?.ticketNumber ?? '' })} onCancel={onClose} onOk={submit} okText={t('settlement.reject')} okButtonProps={{ danger: true, loading: busy, 'data-testid': 'settlement-reject-ok' } as never} destroyOnHidden={false}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="note" label={t('settlement.reject_reason')} rules={[{ required: true, whitespace: true, message: t('settlement.reject_reason_required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="settlement-reject-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
