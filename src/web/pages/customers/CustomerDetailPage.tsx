import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Empty, Form, Result, Row, Skeleton, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { customerApi, ticketApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { Contact, CustomerDetail, TicketListItem, Unit } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PriorityTag, SpecialNeedsTag, StatusTag, TierTag } from '../../components/tags.js';
import { WarrantyStatusTag } from '../../components/warranty.js';
import { CustomerAccountsCard } from './CustomerAccountsCard.js';
import { CustomerFormFields, customerToValues, valuesToBody, type CustomerFormValues } from './CustomerForm.js';
import { CustomerMessagesCard } from './CustomerMessagesCard.js';

const dash = <span className="ac-muted">—</span>;

export default function CustomerDetailPage() {
  const { id: idParam = '' } = useParams();
  const { t } = useTranslation();
  const id = /^\d+$/.test(idParam) ? Number(idParam) : NaN;
  const customer = useQuery({ queryKey: qk.customer(id), queryFn: () => customerApi.get(id), enabled: Number.isFinite(id) });

  if (!Number.isFinite(id) || (customer.isError && isApiError(customer.error) && customer.error.status === 404)) {
    return (
      <Result
        status="404"
        title={t('customers.notFound')}
        extra={
          <Link to="/customers">
            <Button type="primary">{t('customers.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  if (customer.isError && !customer.data) {
    return <Result status="error" title={t('errors.loadFailed')} subTitle={customer.error.message} />;
  }
  if (!customer.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  return <CustomerView customer={customer.data} />;
}

function CustomerView({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const ticketParams = useMemo(() => ({ customerId: c.id, sort: 'created_desc' as const, limit: 20 }), [c.id]);
  const tickets = useInfiniteQuery({
    queryKey: qk.tickets(ticketParams),
    queryFn: ({ pageParam, signal }) => ticketApi.list({ ...ticketParams, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const ticketRows = useMemo(() => tickets.data?.pages.flatMap((p) => p.items) ?? [], [tickets.data]);

  return (
    <div>
      <PageHeader
        docTitle={c.name}
        back={
          <Button type="link" size="small" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }} onClick={() => navigate('/customers')}>
            {t('customers.backToList')}
          </Button>
        }
        title={
          <Space size={8} wrap>
            <span data-testid="customer-title">{c.name}</span>
            <TierTag tier={c.tier} />
            {c.specialNeeds && <SpecialNeedsTag note={c.specialNeedsNote} />}
          </Space>
        }
        subtitle={
          <span>
            {t(`customerKind.${c.kind}`)} · {t('customers.since', { date: c.createdAt.slice(0, 10) })}
          </span>
        }
        extra={
          <Space>
            <Link to={c.phone ? `/intake?phone=${encodeURIComponent(c.phone)}` : '/intake'}>
              <Button icon={<PhoneOutlined />}>{t('customers.newTicket')}</Button>
            </Link>
            <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-customer">
              {t('common.edit')}
            </Button>
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <div className="ac-stack">
            <Card title={t('customers.profile')} size="small">
              <Descriptions
                size="small"
                column={1}
                styles={{ label: { width: 96 } }}
                items={[
                  { key: 'company', label: t('customer.company'), children: c.company ?? dash },
                  { key: 'phone', label: t('customer.phone'), children: c.phone ?? dash },
                  { key: 'email', label: t('customer.email'), children: c.email ?? dash },
                  { key: 'address', label: t('customer.address'), children: c.address ?? dash },
                  { key: 'tier', label: t('customer.tier'), children: <TierTag tier={c.tier} /> },
                  {
                    key: 'special',
                    label: t('customer.specialNeeds'),
                    children: c.specialNeeds ? (c.specialNeedsNote ?? t('common.yes')) : t('common.no'),
                  },
                  { key: 'notes', label: t('customer.notes'), children: c.notes ? <span className="ac-pre">{c.notes}</span> : dash },
                  { key: 'updated', label: t('field.updatedAt'), children: <DateTime value={c.updatedAt} /> },
                ]}
              />
            </Card>
            <Card title={t('customer.contacts')} size="small">
              {c.contacts.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noContacts')} />
              ) : (
                <Table<Contact>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={c.contacts}
                  columns={[
                    {
                      title: t('customer.contactName'),
                      dataIndex: 'name',
                      render: (n: string, r) => (
                        <span>
                          {n}
                          {r.title && <Typography.Text type="secondary"> · {r.title}</Typography.Text>}
                        </span>
                      ),
                    },
                    { title: t('customer.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? dash },
                    { title: t('customer.email'), dataIndex: 'email', render: (v: string | null) => v ?? dash },
                  ]}
                />
              )}
            </Card>
            <CustomerMessagesCard customerId={c.id} />
            <CustomerAccountsCard customerId={c.id} phone={c.phone} email={c.email} />
          </div>
        </Col>
        <Col xs={24} xl={15}>
          <div className="ac-stack">
            <Card title={t('customers.products', { count: c.units.length })} size="small">
              <Table<Unit>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={c.units}
                scroll={{ x: 640 }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.noProducts')} /> }}
                columns={[
                  {
                    title: t('field.productModel'),
                    dataIndex: 'productModel',
                    render: (m: string, u) => (
                      <span>
                        <Typography.Text strong>{m}</Typography.Text>
                        {u.productName && <Typography.Text type="secondary"> · {u.productName}</Typography.Text>}
                      </span>
                    ),
                  },
                  { title: t('field.serialNumber'), dataIndex: 'serialNumber', render: (v: string | null) => v ?? dash },
                  { title: t('field.purchaseDate'), dataIndex: 'purchaseDate', width: 110, render: (v: string | null) => v ?? dash },
                  { title: t('customers.warrantyEnd'), dataIndex: 'warrantyEnd', width: 110, render: (v: string | null) => v ?? dash },
                  {
                    title: t('customers.warranty'),
                    key: 'warranty',
                    width: 100,
                    render: (_: unknown, u) => <WarrantyStatusTag warranty={u.warranty} />,
                  },
                ]}
              />
            </Card>
            <Card title={t('customers.tickets')} size="small">
              {tickets.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={tickets.error.message} />}
              <Table<TicketListItem>
                rowKey="number"
                size="small"
                pagination={false}
                loading={tickets.isLoading}
                dataSource={ticketRows}
                scroll={{ x: 700 }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.noTickets')} /> }}
                columns={[
                  {
                    title: t('field.number'),
                    dataIndex: 'number',
                    width: 140,
                    render: (n: string) => (
                      <Link to={`/tickets/${n}`} className="ac-number">
                        {n}
                      </Link>
                    ),
                  },
                  { title: t('field.title'), dataIndex: 'title', ellipsis: true },
                  { title: t('field.priority'), dataIndex: 'priority', width: 96, render: (p: TicketListItem['priority']) => <PriorityTag priority={p} /> },
                  { title: t('field.status'), dataIndex: 'status', width: 110, render: (s: TicketListItem['status']) => <StatusTag status={s} /> },
                  { title: t('field.createdAt'), dataIndex: 'createdAt', width: 120, render: (v: string) => <DateTime value={v} relative /> },
                ]}
              />
              {tickets.hasNextPage && (
                <div style={{ textAlign: 'center', marginTop: 12 }}>
                  <Button onClick={() => void tickets.fetchNextPage()} loading={tickets.isFetchingNextPage}>
                    {t('common.loadMore')}
                  </Button>
                </div>
              )}
            </Card>
          </div>
        </Col>
      </Row>
      <EditCustomerDrawer customer={c} open={editing} onClose={() => setEditing(false)} />
    </div>
  );
}

function EditCustomerDrawer({ customer, open, onClose }: { customer: CustomerDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerFormValues>();
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const baseline = useRef<CustomerDetail>(customer);

  useEffect(() => {
    if (open) {
      baseline.current = customer;
      form.resetFields();
      form.setFieldsValue(customerToValues(customer));
      setAlert(null);
    }
  }, [open]); // the user's input survives a reload of the customer underneath

  const onFinish = async (v: CustomerFormValues) => {
    setBusy(true);
    setAlert(null);
    try {
      // Send only what the user changed since opening the form, so saving again after a conflict doesn't undo
      // someone else's edits.
      const next = valuesToBody(v);
      const before = valuesToBody(customerToValues(baseline.current));
      const body = Object.fromEntries(
        Object.entries(next).filter(([k, val]) => JSON.stringify(val) !== JSON.stringify(before[k as keyof typeof before])),
      );
      if (Object.keys(body).length === 0) {
        onClose();
        return;
      }
      const res = await customerApi.patch(customer.id, { ...body, version: customer.version });
      queryClient.setQueryData<CustomerDetail>(qk.customer(customer.id), (old) => (old ? { ...old, ...res } : old));
      void queryClient.invalidateQueries({ queryKey: qk.customer(customer.id) });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void message.success(t('customers.saved'));
      onClose();
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') {
        void queryClient.invalidateQueries({ queryKey: qk.customer(customer.id) });
        setAlert(t('errors.staleVersionCustomer'));
        return;
      }
      const { applied, unplaced } = applyServerErrors(form, err);
      if (unplaced.length) setAlert(unplaced.map((u) => u.message).join(t('common.listSeparator')));
      else if (!applied) setAlert(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={760}
      forceRender
      title={t('customers.editTitle', { name: customer.name })}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="customer-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {alert && <Alert type="warning" showIcon title={alert} style={{ marginBottom: 16 }} />}
      <Form<CustomerFormValues> form={form} layout="vertical" onFinish={onFinish} scrollToFirstError>
        <CustomerFormFields form={form} />
      </Form>
    </Drawer>
  );
}
