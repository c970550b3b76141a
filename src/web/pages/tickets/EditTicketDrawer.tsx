import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, DatePicker, Drawer, Form, Input, Row, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CHANNELS, FAULT_CLASSES, IMPACTS, PRIORITIES, SERVICE_TYPES, URGENCIES, type Channel, type FaultClass, type Impact, type Priority, type ServiceType, type Urgency } from '../../../shared/enums.js';
import { derivePriority } from '../../../server/domain/priority.js';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import type { Ticket, TicketPatchBody } from '../../api/types.js';
import { DATE_FORMAT, DATE_TIME_FORMAT } from '../../components/DateTime.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { CategoryTreeSelect, EnumSelect } from '../../components/selects.js';
import { useTicketUpdated } from './ticketCache.js';

interface EditValues {
  title: string;
  description: string;
  priority: Priority;
  channel: Channel;
  reportedAt: Dayjs | null;
  categories: string[];
  impact: Impact | null;
  urgency: Urgency | null;
  priorityOverrideReason?: string;
  serviceType: ServiceType | null;
  faultClass: FaultClass | null;
  demand: string;
  situation: string;
  firstJudgement: string;
  productModel: string;
  serialNumber: string;
  purchaseDate: Dayjs | null;
  occurredAt: Dayjs | null;
  occurredPlace: string;
}

function toValues(tk: Ticket): EditValues {
  return {
    title: tk.title,
    description: tk.description,
    priority: tk.priority,
    channel: tk.channel,
    reportedAt: tk.reportedAt ? dayjs(tk.reportedAt) : null,
    categories: tk.categories,
    impact: tk.impact,
    urgency: tk.urgency,
    serviceType: tk.serviceType,
    faultClass: tk.faultClass,
    demand: tk.demand ?? '',
    situation: tk.situation ?? '',
    firstJudgement: tk.firstJudgement ?? '',
    productModel: tk.productModel ?? '',
    serialNumber: tk.serialNumber ?? '',
    purchaseDate: tk.purchaseDate ? dayjs(tk.purchaseDate) : null,
    occurredAt: tk.occurredAt ? dayjs(tk.occurredAt) : null,
    occurredPlace: tk.occurredPlace ?? '',
  };
}

const nullable = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
const sameInstant = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && dayjs(a).valueOf() === dayjs(b).valueOf());

/**
 * Only the fields the user changed compared with the ticket as it was when the drawer opened, so saving again after
 * a conflict doesn't overwrite what someone else changed in the meantime.
 */
function diff(v: EditValues, tk: Ticket): TicketPatchBody {
  const out: TicketPatchBody = {};
  const title = v.title.trim();
  if (title !== tk.title) out.title = title;
  if (v.description !== tk.description) out.description = v.description;
  if (v.priority !== tk.priority) out.priority = v.priority;
  if (v.channel !== tk.channel) out.channel = v.channel;
  const reportedAt = v.reportedAt ? v.reportedAt.toISOString() : null;
  if (reportedAt && !sameInstant(reportedAt, tk.reportedAt)) out.reportedAt = reportedAt;
  const categories = v.categories ?? [];
  if (categories.join('\n') !== tk.categories.join('\n')) out.categories = categories;
  if (v.impact && v.impact !== tk.impact) out.impact = v.impact;
  if (v.urgency && v.urgency !== tk.urgency) out.urgency = v.urgency;
  if (out.priority || out.impact || out.urgency) {
    const reason = v.priorityOverrideReason?.trim();
    if (reason) out.priorityOverrideReason = reason;
  }
  if ((v.serviceType ?? null) !== tk.serviceType) out.serviceType = v.serviceType ?? null;
  if ((v.faultClass ?? null) !== tk.faultClass) out.faultClass = v.faultClass ?? null;
  for (const key of ['demand', 'situation', 'firstJudgement', 'productModel', 'serialNumber', 'occurredPlace'] as const) {
    const next = nullable(v[key]);
    if (next !== (tk[key] ?? null)) out[key] = next;
  }
  const purchaseDate = v.purchaseDate ? v.purchaseDate.format('YYYY-MM-DD') : null;
  if (purchaseDate !== tk.purchaseDate) out.purchaseDate = purchaseDate;
  const occurredAt = v.occurredAt ? v.occurredAt.toISOString() : null;
  if (!sameInstant(occurredAt, tk.occurredAt)) out.occurredAt = occurredAt;
  return out;
}

export function EditTicketDrawer({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const updated = useTicketUpdated(ticket.number);
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const baseline = useRef<Ticket>(ticket);
  // Priority derived from the answers as they stand in the form; choosing another one anew needs a reason.
  const impact = Form.useWatch('impact', form);
  const urgency = Form.useWatch('urgency', form);
  const priority = Form.useWatch('priority', form);
  const derived = impact && urgency ? derivePriority({ impact, urgency, customerTier: ticket.customer.tier, specialNeeds: ticket.customer.specialNeeds }).priority : null;
  const sameOverride = ticket.priorityOverridden && priority === ticket.priority && derived === ticket.derivedPriority;
  const needsReason = derived !== null && priority !== undefined && priority !== derived && !sameOverride;
  // New answers propose their priority (the agent may still pick another, with a reason).
  const onAnswer = (next: { impact?: Impact; urgency?: Urgency }) => {
    const i = next.impact ?? impact;
    const u = next.urgency ?? urgency;
    if (i && u) form.setFieldValue('priority', derivePriority({ impact: i, urgency: u, customerTier: ticket.customer.tier, specialNeeds: ticket.customer.specialNeeds }).priority);
  };

  // Fill the form when the drawer opens (not when the ticket reloads underneath: the user's input stays).
  useEffect(() => {
    if (open) {
      baseline.current = ticket;
      form.resetFields();
      form.setFieldsValue(toValues(ticket));
      setAlert(null);
    }
  }, [open]);

  const save = async (v: EditValues) => {
    const body = diff(v, baseline.current);
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setAlert(null);
    try {
      const res = await ticketApi.patch(ticket.number, { ...body, version: ticket.version });
      updated(res);
      void message.success(t('ticket.saved'));
      onClose();
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') {
        updated();
        setAlert(t('errors.staleVersion'));
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
      size={720}
      title={t('ticket.editTitle', { number: ticket.number })}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="edit-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {alert && <Alert type="warning" showIcon title={alert} style={{ marginBottom: 16 }} data-testid="edit-alert" />}
      <Form<EditValues> form={form} layout="vertical" onFinish={save} scrollToFirstError>
        <Form.Item
          name="title"
          label={t('field.title')}
          rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.title') }) }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('field.description')}
          rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.description') }) }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={10000} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="impact" label={t('field.impact')}>
              <EnumSelect values={IMPACTS} ns="impactShort" placeholder={t('common.select')} onChange={(v) => onAnswer({ impact: v as Impact })} data-testid="edit-impact" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="urgency" label={t('field.urgency')}>
              <EnumSelect values={URGENCIES} ns="urgencyShort" placeholder={t('common.select')} onChange={(v) => onAnswer({ urgency: v as Urgency })} data-testid="edit-urgency" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="priority"
              label={t('field.priority')}
              extra={derived ? t('ticket.derivedHint', { derived }) : undefined}
            >
              <EnumSelect values={PRIORITIES} ns="priority" withValue data-testid="edit-priority" />
            </Form.Item>
          </Col>
          {needsReason && (
            <Col span={24}>
              <Form.Item
                name="priorityOverrideReason"
                label={t('field.priorityOverrideReason')}
                rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('field.priorityOverrideReason') }) }]}
              >
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} data-testid="edit-override-reason" />
              </Form.Item>
            </Col>
          )}
          <Col span={8}>
            <Form.Item name="channel" label={t('field.channel')}>
              <EnumSelect values={CHANNELS} ns="channel" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="reportedAt" label={t('field.reportedAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} allowClear={false} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="categories" label={t('field.categories')} extra={t('intake.categoriesHint')}>
              <CategoryTreeSelect multiple allowClear data-testid="edit-categories" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="serviceType" label={t('field.serviceType')}>
              <EnumSelect values={SERVICE_TYPES} ns="serviceType" allowClear placeholder={t('common.select')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="faultClass" label={t('field.faultClass')}>
              <EnumSelect values={FAULT_CLASSES} ns="faultClass" allowClear placeholder={t('common.select')} />
            </Form.Item>
          </Col>
          <Col span={8} />
        </Row>
        <Form.Item name="demand" label={t('field.demand')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="situation" label={t('field.situation')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="firstJudgement" label={t('field.firstJudgement')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="productModel" label={t('field.productModel')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="serialNumber" label={t('field.serialNumber')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="purchaseDate" label={t('field.purchaseDate')}>
              <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="occurredAt" label={t('field.occurredAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="occurredPlace" label={t('field.occurredPlace')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
