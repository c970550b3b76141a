import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Radio, Row, Space, Spin, Tag, Typography } from 'antd';
import { PhoneOutlined, UserAddOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CHANNELS, FAULT_CLASSES, IMPACTS, PRIORITIES, SERVICE_TYPES, URGENCIES, type Channel, type FaultClass, type Impact, type Priority, type ServiceType, type Urgency } from '../../../shared/enums.js';
// The server's own rule (pure), so the form proposes exactly what the server will derive.
import { derivePriority } from '../../../server/domain/priority.js';
import { isApiError, newIdempotencyKey } from '../../api/client.js';
import { customerApi, ticketApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { TicketCreateBody, Unit } from '../../api/types.js';
import { DATE_FORMAT, DATE_TIME_FORMAT } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { CategoryTreeSelect, DepartmentSelect, EnumSelect, UserSelect } from '../../components/selects.js';
import { MatchCard, NoMatch } from './CallerLookup.js';
import { IntakeUnitWarranty } from './IntakeUnitWarranty.js';

interface IntakeValues {
  title: string;
  description: string;
  reportedAt?: Dayjs | null;
  channel: Channel;
  productModel?: string;
  serialNumber?: string;
  purchaseDate?: Dayjs | null;
  occurredAt?: Dayjs | null;
  occurredPlace?: string;
  situation?: string;
  demand?: string;
  firstJudgement?: string;
  categories?: string[];
  serviceType?: ServiceType | null;
  faultClass?: FaultClass | null;
  impact?: Impact;
  urgency?: Urgency;
  priority: Priority;
  priorityOverrideReason?: string;
  departmentId?: number | null;
  assigneeId?: number | null;
  customer?: { name?: string; phone?: string; email?: string; company?: string; address?: string };
}

const LOOKUP_DEBOUNCE_MS = 1000;
/** A lookup needs at least this many digits (shorter input matches too many numbers to be useful). */
const MIN_LOOKUP_DIGITS = 4;

const str = (v: string | undefined | null) => {
  const s = (v ?? '').trim();
  return s ? s : undefined;
};

function initialValues(): Partial<IntakeValues> {
  return { channel: 'phone', priority: 'P3', reportedAt: dayjs() };
}

export default function IntakePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<IntakeValues>();

  // ---- caller lookup
  const [searchParams] = useSearchParams();
  const initialPhone = searchParams.get('phone')?.trim() ?? '';
  const [phone, setPhone] = useState(initialPhone);
  const [lookupPhone, setLookupPhone] = useState(initialPhone);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [forceNew, setForceNew] = useState(false);
  useEffect(() => {
    const handle = setTimeout(() => setLookupPhone(phone.trim()), LOOKUP_DEBOUNCE_MS);
    return () => clearTimeout(handle);
  }, [phone]);
  const digits = lookupPhone.replace(/\D/g, '').length;
  const lookup = useQuery({
    queryKey: qk.lookup(lookupPhone),
    queryFn: ({ signal }) => customerApi.lookup({ phone: lookupPhone }, signal),
    enabled: digits >= MIN_LOOKUP_DIGITS,
    staleTime: 30_000,
    retry: false,
  });
  const matches = useMemo(() => (digits >= MIN_LOOKUP_DIGITS ? (lookup.data?.items ?? []) : []), [lookup.data, digits]);
  const looked = digits >= MIN_LOOKUP_DIGITS && lookup.isSuccess;

  // First answer for a number — one match: take it; several: the agent picks; none: new customer.
  // Later refetches of the same number keep the agent's choice.
  const decidedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!looked || decidedFor.current === lookupPhone) return;
    decidedFor.current = lookupPhone;
    setForceNew(false);
    const only = matches.length === 1 ? matches[0] : undefined;
    setSelectedId(only ? only.customer.id : null);
  }, [looked, matches, lookupPhone]);

  const selected = matches.find((m) => m.customer.id === selectedId) ?? null;
  const newCustomerMode = !selected && (looked || forceNew || digits < MIN_LOOKUP_DIGITS);

  // Keep the new customer's phone in step with the caller number until the agent edits it.
  const lastSyncedPhone = useRef('');
  useEffect(() => {
    const current = form.getFieldValue(['customer', 'phone']) as string | undefined;
    if (!current || current === lastSyncedPhone.current) {
      form.setFieldValue(['customer', 'phone'], phone.trim());
      lastSyncedPhone.current = phone.trim();
    }
  }, [phone, form, newCustomerMode]);

  const [pickedUnitId, setPickedUnitId] = useState<number | null>(null);
  const pickUnit = (unit: Unit) => {
    setPickedUnitId(unit.id);
    form.setFieldsValue({
      productModel: unit.productModel,
      serialNumber: unit.serialNumber ?? undefined,
      purchaseDate: unit.purchaseDate ? dayjs(unit.purchaseDate) : null,
    });
    void message.success({ content: t('intake.unitPicked', { model: unit.productModel }), key: 'unit-picked' });
  };

  // ---- department → assignee
  const departmentId = Form.useWatch('departmentId', form);
  const priority = Form.useWatch('priority', form);

  // ---- priority: derived from impact × urgency × the customer; the agent may choose another with a reason
  const impact = Form.useWatch('impact', form);
  const urgency = Form.useWatch('urgency', form);
  const proposal = useMemo(
    () =>
      impact && urgency
        ? derivePriority({ impact, urgency, customerTier: selected?.customer.tier ?? 'normal', specialNeeds: selected?.customer.specialNeeds ?? false })
        : null,
    [impact, urgency, selected],
  );
  // The priority follows the proposal until the agent picks one themselves.
  const priorityPicked = useRef(false);
  useEffect(() => {
    if (proposal && !priorityPicked.current) form.setFieldValue('priority', proposal.priority);
  }, [proposal, form]);
  const overriding = proposal !== null && priority !== undefined && priority !== proposal.priority;

  // ---- submit
  const idemKey = useRef<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string[] | null>(null);

  const onFinish = async (v: IntakeValues) => {
    setFormError(null);
    const body: TicketCreateBody = {
      title: v.title.trim(),
      description: v.description.trim(),
      channel: v.channel,
      reportedAt: v.reportedAt ? v.reportedAt.toISOString() : undefined,
      productModel: str(v.productModel),
      serialNumber: str(v.serialNumber),
      purchaseDate: v.purchaseDate ? v.purchaseDate.format('YYYY-MM-DD') : undefined,
      occurredAt: v.occurredAt ? v.occurredAt.toISOString() : undefined,
      occurredPlace: str(v.occurredPlace),
      situation: str(v.situation),
      demand: str(v.demand),
      firstJudgement: str(v.firstJudgement),
      categories: v.categories?.length ? v.categories : undefined,
      serviceType: v.serviceType ?? undefined,
      faultClass: v.faultClass ?? undefined,
      impact: v.impact,
      urgency: v.urgency,
      priority: v.priority,
      priorityOverrideReason: overriding ? str(v.priorityOverrideReason) : undefined,
      departmentId: v.departmentId ?? undefined,
      assigneeId: v.assigneeId ?? undefined,
    };
    if (selected) {
      body.customerId = selected.customer.id;
    } else {
      const c = v.customer ?? {};
      body.customer = {
        name: (c.name ?? '').trim(),
        phone: str(c.phone) ?? null,
        email: str(c.email) ?? null,
        company: str(c.company) ?? null,
        address: str(c.address) ?? null,
      };
    }
    idemKey.current ??= newIdempotencyKey();
    setSubmitting(true);
    try {
      const ticket = await ticketApi.create(body, idemKey.current);
      idemKey.current = null;
      queryClient.setQueryData(qk.ticket(ticket.number), ticket);
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['lookup'] });
      void message.success(t('intake.created', { number: ticket.number }));
      navigate(`/tickets/${ticket.number}`);
    } catch (err) {
      // A 4xx answer means nothing was created: the next attempt is a new submission with a new key.
      // Otherwise (network, 5xx) the same key is reused so a retry can't create the ticket twice.
      if (isApiError(err) && err.definitive) idemKey.current = null;
      const { applied, unplaced } = applyServerErrors(form, err, (field) =>
        field === 'customer' && !selected ? ['customer', 'name'] : undefined,
      );
      if (unplaced.length) {
        setFormError(unplaced.map((u) => u.message));
      } else if (!applied) {
        setFormError([err instanceof Error ? err.message : String(err)]);
      } else {
        void message.error(t('errors.fixFields'));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const resetAll = () => {
    form.resetFields();
    form.setFieldsValue(initialValues());
    setPhone('');
    setLookupPhone('');
    setSelectedId(null);
    setPickedUnitId(null);
    setForceNew(false);
    setFormError(null);
    priorityPicked.current = false;
    idemKey.current = null;
    decidedFor.current = null;
  };

  return (
    <div>
      <PageHeader title={t('intake.title')} subtitle={t('intake.subtitle')} testId="page-title" />
      <Form<IntakeValues>
        form={form}
        layout="vertical"
        initialValues={initialValues()}
        onFinish={onFinish}
        onFinishFailed={() => void message.error(t('errors.fixFields'))}
        scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
        data-testid="intake-form"
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={9}>
            <div className="ac-stack">
              <Card title={<Space><PhoneOutlined />{t('intake.callerCard')}</Space>}>
                <Input
                  size="large"
                  className="ac-phone-input"
                  prefix={<PhoneOutlined className="ac-muted" />}
                  placeholder={t('intake.phonePlaceholder')}
                  value={phone}
                  inputMode="tel"
                  autoComplete="off"
                  allowClear
                  autoFocus
                  onChange={(e) => setPhone(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      const p = phone.trim();
                      if (p === lookupPhone) void lookup.refetch();
                      else setLookupPhone(p);
                    }
                  }}
                  data-testid="intake-phone"
                  aria-label={t('intake.phoneLabel')}
                />
                <div className="ac-hint" style={{ marginTop: 6 }}>
                  {t('intake.phoneHint')}
                </div>
                <div style={{ marginTop: 12 }} data-testid="lookup-results">
                  {lookup.isFetching && digits >= MIN_LOOKUP_DIGITS && (
                    <Space>
                      <Spin size="small" /> <Typography.Text type="secondary">{t('intake.searching')}</Typography.Text>
                    </Space>
                  )}
                  {lookup.isError && (
                    <Alert type="error" showIcon title={t('intake.lookupFailed')} description={lookup.error.message} />
                  )}
                  {looked && !lookup.isFetching && matches.length === 0 && <NoMatch phone={lookupPhone} />}
                  {looked && matches.length > 1 && (
                    <Typography.Text type="secondary">{t('intake.matches', { count: matches.length })}</Typography.Text>
                  )}
                  {matches.length > 0 && (
                    <div className="ac-stack" style={{ gap: 12, marginTop: 8 }}>
                      {matches.map((m) => (
                        <MatchCard
                          key={m.customer.id}
                          match={m}
                          selected={m.customer.id === selectedId}
                          pickedUnitId={pickedUnitId}
                          onSelect={() => {
                            setSelectedId(m.customer.id);
                            setForceNew(false);
                          }}
                          onPickUnit={(u) => {
                            setSelectedId(m.customer.id);
                            pickUnit(u);
                          }}
                        />
                      ))}
                      {!forceNew && (
                        <Button
                          type="dashed"
                          icon={<UserAddOutlined />}
                          onClick={() => {
                            setSelectedId(null);
                            setForceNew(true);
                          }}
                          data-testid="intake-new-customer"
                        >
                          {t('intake.notThisCustomer')}
                        </Button>
                      )}
                    </div>
                  )}
                </div>
              </Card>
              {newCustomerMode && (
                <Card title={<Space><UserAddOutlined />{t('intake.newCustomerCard')}</Space>} data-testid="new-customer-card">
                  <Form.Item
                    name={['customer', 'name']}
                    label={t('customer.name')}
                    rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('customer.name') }) }]}
                  >
                    <Input maxLength={100} data-testid="new-customer-name" />
                  </Form.Item>
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item name={['customer', 'phone']} label={t('customer.phone')}>
                        <Input maxLength={40} inputMode="tel" />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name={['customer', 'email']} label={t('customer.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
                        <Input maxLength={200} inputMode="email" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item name={['customer', 'company']} label={t('customer.company')}>
                    <Input maxLength={200} />
                  </Form.Item>
                  <Form.Item name={['customer', 'address']} label={t('customer.address')} style={{ marginBottom: 0 }}>
                    <Input maxLength={300} />
                  </Form.Item>
                </Card>
              )}
            </div>
          </Col>
          <Col xs={24} xl={15}>
            <div className="ac-stack">
              {formError && (
                <Alert
                  type="error"
                  showIcon
                  title={t('intake.submitFailed')}
                  description={formError.length === 1 ? formError[0] : <ul style={{ margin: 0, paddingInlineStart: 18 }}>{formError.map((m, i) => <li key={i}>{m}</li>)}</ul>}
                  closable={{ onClose: () => setFormError(null) }}
                  data-testid="intake-error"
                />
              )}
              <Card title={t('intake.problemCard')}>
                <Form.Item
                  name="title"
                  label={t('field.title')}
                  rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.title') }) }]}
                >
                  <Input maxLength={200} showCount placeholder={t('intake.titlePlaceholder')} data-testid="intake-title" />
                </Form.Item>
                <Form.Item
                  name="description"
                  label={t('field.description')}
                  extra={t('intake.descriptionHint')}
                  rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.description') }) }]}
                >
                  <Input.TextArea
                    autoSize={{ minRows: 4, maxRows: 12 }}
                    maxLength={10000}
                    placeholder={t('intake.descriptionPlaceholder')}
                    data-testid="intake-description"
                  />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item name="reportedAt" label={t('field.reportedAt')} extra={t('intake.reportedAtHint')}>
                      <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="channel" label={t('field.channel')}>
                      <EnumSelect values={CHANNELS} ns="channel" />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="demand" label={t('field.demand')}>
                  <Input maxLength={500} placeholder={t('intake.demandPlaceholder')} />
                </Form.Item>
                <Form.Item name="situation" label={t('field.situation')} style={{ marginBottom: 0 }}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('intake.situationPlaceholder')} />
                </Form.Item>
              </Card>
              <Card title={t('intake.productCard')}>
                <Row gutter={12}>
                  <Col xs={24} md={8}>
                    <Form.Item name="productModel" label={t('field.productModel')}>
                      <Input maxLength={100} data-testid="intake-product-model" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="serialNumber" label={t('field.serialNumber')}>
                      <Input maxLength={100} data-testid="intake-serial" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="purchaseDate" label={t('field.purchaseDate')}>
                      <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24}>
                    <IntakeUnitWarranty form={form} />
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="occurredAt" label={t('field.occurredAt')} style={{ marginBottom: 0 }}>
                      <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item name="occurredPlace" label={t('field.occurredPlace')} style={{ marginBottom: 0 }}>
                      <Input maxLength={300} />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
              <Card title={t('intake.routingCard')}>
                <Form.Item name="categories" label={t('field.categories')} extra={t('intake.categoriesHint')}>
                  <CategoryTreeSelect multiple allowClear data-testid="intake-categories" />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item name="serviceType" label={t('field.serviceType')}>
                      <EnumSelect values={SERVICE_TYPES} ns="serviceType" allowClear placeholder={t('common.select')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="faultClass" label={t('field.faultClass')}>
                      <EnumSelect values={FAULT_CLASSES} ns="faultClass" allowClear placeholder={t('common.select')} />
                    </Form.Item>
                  </Col>
                </Row>
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="impact"
                      label={t('intake.impactQuestion')}
                      rules={[{ required: true, message: t('intake.impactRequired') }]}
                    >
                      <Radio.Group className="ac-radio-sentences" data-testid="intake-impact">
                        {IMPACTS.map((i) => (
                          <Radio key={i} value={i} data-testid={`impact-${i}`}>
                            {t(`impact.${i}`)}
                          </Radio>
                        ))}
                      </Radio.Group>
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="urgency"
                      label={t('intake.urgencyQuestion')}
                      rules={[{ required: true, message: t('intake.urgencyRequired') }]}
                    >
                      <Radio.Group className="ac-radio-sentences" data-testid="intake-urgency">
                        {URGENCIES.map((u) => (
                          <Radio key={u} value={u} data-testid={`urgency-${u}`}>
                            {t(`urgency.${u}`)}
                          </Radio>
                        ))}
                      </Radio.Group>
                    </Form.Item>
                  </Col>
                </Row>
                <div className="ac-proposed-priority" data-testid="proposed-priority" aria-live="polite">
                  {proposal ? (
                    <Space wrap size={6}>
                      <Typography.Text>{t('intake.proposedPriority')}</Typography.Text>
                      <Tag color={proposal.priority === 'P1' ? 'red' : proposal.priority === 'P2' ? 'orange' : 'blue'} data-testid="proposed-priority-value">
                        {proposal.priority} {t(`priority.${proposal.priority}`)}
                      </Tag>
                      {proposal.raisedBy.map((r) => (
                        <Typography.Text key={r} type="secondary">
                          {t(`intake.raisedBy.${r}`)}
                        </Typography.Text>
                      ))}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('intake.proposedPriorityPending')}</Typography.Text>
                  )}
                </div>
                <Row gutter={12}>
                  <Col xs={24} md={overriding ? 8 : 24}>
                    <Form.Item
                      name="priority"
                      label={t('field.priority')}
                      extra={<span data-testid="priority-hint">{t(`priorityHint.${priority ?? 'P3'}`)}</span>}
                    >
                      <EnumSelect
                        values={PRIORITIES}
                        ns="priority"
                        withValue
                        style={{ maxWidth: 240 }}
                        onChange={() => {
                          priorityPicked.current = true;
                        }}
                        data-testid="intake-priority"
                      />
                    </Form.Item>
                  </Col>
                  {overriding && (
                    <Col xs={24} md={16}>
                      <Form.Item
                        name="priorityOverrideReason"
                        label={t('field.priorityOverrideReason')}
                        extra={t('intake.overrideReasonHint', { derived: proposal.priority })}
                        rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.priorityOverrideReason') }) }]}
                      >
                        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} data-testid="intake-override-reason" />
                      </Form.Item>
                    </Col>
                  )}
                </Row>
                <Form.Item name="firstJudgement" label={t('field.firstJudgement')}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('intake.firstJudgementPlaceholder')} />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} md={12}>
                    <Form.Item name="departmentId" label={t('field.department')} style={{ marginBottom: 0 }}>
                      <DepartmentSelect
                        allowClear
                        onChange={() => form.setFieldValue('assigneeId', undefined)}
                        data-testid="intake-department"
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="assigneeId"
                      label={t('field.assignee')}
                      style={{ marginBottom: 0 }}
                      extra={departmentId ? undefined : t('intake.assigneeNeedsDepartment')}
                    >
                      <UserSelect allowClear departmentId={departmentId ?? undefined} disabled={!departmentId} data-testid="intake-assignee" />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
              <Card size="small" className="ac-action-bar">
                <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
                  <Typography.Text type="secondary">
                    {selected
                      ? t('intake.forCustomer', { name: selected.customer.name })
                      : t('intake.forNewCustomer')}
                  </Typography.Text>
                  <Space>
                    <Button onClick={resetAll} disabled={submitting} data-testid="intake-reset">
                      {t('intake.reset')}
                    </Button>
                    <Button type="primary" htmlType="submit" loading={submitting} data-testid="intake-submit">
                      {t('intake.submit')}
                    </Button>
                  </Space>
                </Space>
              </Card>
            </div>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
