// 周转机 (/loaners): the pool of loaner units with each one's state and open loan, the loans past their due date, and
// for dispatchers and the leads adding a unit, sending one to repair, back to the pool or retiring it.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Row, Segmented, Space, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { canManageLoaners, canWorkReturns, LOANER_STATES, returnKeys, returnsApi, type Loan, type Loaner } from '../../api/returns.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useAct, useFormSubmit } from './useAct.js';

const STATE_COLOR: Record<string, string> = { available: 'green', lent: 'orange', in_repair: 'blue', retired: 'default' };

export default function LoanersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [state, setState] = useState<string>('');
  const pool = useQuery({ queryKey: [...returnKeys.loaners, state], queryFn: () => returnsApi.loaners(state || undefined) });
  const overdue = useQuery({ queryKey: returnKeys.loans('overdue'), queryFn: () => returnsApi.loans({ overdue: 'true' }) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: returnKeys.all });
  const act = useAct(refresh);
  const manager = canManageLoaners(me.role);

  return (
    <>
      <PageHeader title={t('returns.loaners.title')} subtitle={t('returns.loaners.subtitle')} testId="page-title" />
      <Row gutter={16}>
        <Col xs={24} xl={manager ? 17 : 24}>
          <Card title={t('returns.loaners.overdueList')} size="small" style={{ marginBottom: 16 }} data-testid="overdue-loans">
            {(overdue.data?.items ?? []).length === 0 ? (
              <Alert type="success" showIcon message={t('returns.loaners.noOverdue')} />
            ) : (
              <Table<Loan>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={overdue.data?.items}
                columns={[
                  { title: t('returns.loaners.serial'), render: (_, l) => `${l.productModel} · ${l.loanerSerial}` },
                  { title: t('returns.loaners.ticket'), dataIndex: 'ticketNumber', render: (n: string) => <Link to={`/tickets/${n}`}>{n}</Link> },
                  { title: t('returns.loaners.customer'), render: (_, l) => l.customer.name },
                  { title: t('returns.loaners.due'), dataIndex: 'dueDate', render: (d: string) => <Tag color="red">{d}</Tag> },
                ]}
              />
            )}
          </Card>
          <Card size="small" title={t('returns.loaners.title')}>
            <Segmented
              style={{ marginBottom: 12 }}
              value={state}
              onChange={(v) => setState(String(v))}
              options={[{ value: '', label: t('returns.list.all') }, ...LOANER_STATES.map((s) => ({ value: s, label: t(`returns.loaners.states.${s}`) }))]}
              data-testid="loaner-filter"
            />
            <Table<Loaner>
              rowKey="id"
              size="middle"
              loading={pool.isLoading}
              pagination={false}
              dataSource={pool.data?.items}
              locale={{ emptyText: t('returns.loaners.empty') }}
              data-testid="loaners-table"
              columns={[
                { title: t('returns.loaners.serial'), dataIndex: 'serialNumber', width: 150 },
                { title: t('returns.loaners.model'), dataIndex: 'productModel', width: 170 },
                { title: t('returns.loaners.state'), dataIndex: 'state', width: 100, render: (s: string) => <Tag color={STATE_COLOR[s]}>{t(`returns.loaners.states.${s}`)}</Tag> },
                {
                  title: t('returns.loaners.loan'),
                  render: (_, l) =>
                    l.loan ? (
                      <Space size={4} wrap>
                        <Link to={`/tickets/${l.loan.ticketNumber}`}>{l.loan.ticketNumber}</Link>
                        <span>{l.loan.customer.name}</span>
                        <span className="ac-hint">
                          <DateTime value={l.loan.lentAt} /> → {l.loan.dueDate}
                        </span>
                        {l.loan.overdue && <Tag color="red">{t('returns.loaners.overdue')}</Tag>}
                      </Space>
                    ) : (
                      '—'
                    ),
                },
                {
                  title: '',
                  width: 200,
                  render: (_, l) => (
                    <Space size={4}>
                      {l.loan && canWorkReturns(me.role) && (
                        <Button size="small" onClick={() => void act(() => returnsApi.giveBack(l.loan!.id))} data-testid={`loaner-return-${l.serialNumber}`}>
                          {t('returns.loaners.return')}
                        </Button>
                      )}
                      {manager && l.state === 'available' && (
                        <Button size="small" onClick={() => void act(() => returnsApi.loanerState(l.id, 'in_repair', l.version))}>
                          {t('returns.loaners.toRepair')}
                        </Button>
                      )}
                      {manager && l.state === 'in_repair' && (
                        <Button size="small" onClick={() => void act(() => returnsApi.loanerState(l.id, 'available', l.version))}>
                          {t('returns.loaners.toPool')}
                        </Button>
                      )}
                      {manager && (l.state === 'available' || l.state === 'in_repair') && (
                        <Button size="small" danger onClick={() => void act(() => returnsApi.loanerState(l.id, 'retired', l.version))}>
                          {t('returns.loaners.retire')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        {manager && (
          <Col xs={24} xl={7}>
            <AddLoaner onDone={refresh} />
          </Col>
        )}
      </Row>
    </>
  );
}

function AddLoaner({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ serialNumber: string; productModel: string; note?: string }>();
  const { submit, saving, error } = useFormSubmit(form, async (v) => {
    await returnsApi.addLoaner(v);
    form.resetFields();
    onDone();
  });
  return (
    <Card size="small" title={t('returns.loaners.add')} data-testid="loaner-add">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="serialNumber" label={t('returns.loaners.serial')} rules={[{ required: true, whitespace: true, message: t('returns.loaners.serial') }]}>
          <Input maxLength={100} data-testid="loaner-serial" />
        </Form.Item>
        <Form.Item name="productModel" label={t('returns.loaners.model')} rules={[{ required: true, whitespace: true, message: t('returns.loaners.model') }]}>
          <Input maxLength={100} data-testid="loaner-model" />
        </Form.Item>
        <Form.Item name="note" label={t('returns.loaners.note')}>
          <Input maxLength={500} />
        </Form.Item>
        <Button type="primary" onClick={() => void submit()} loading={saving} data-testid="loaner-add-submit">
          {t('returns.loaners.add')}
        </Button>
      </Form>
    </Card>
  );
}
