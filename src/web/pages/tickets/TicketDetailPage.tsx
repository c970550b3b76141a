import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, MailOutlined, PhoneOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import { categoryPath, qk, useCategories } from '../../api/queries.js';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PriorityTag, SpecialNeedsTag, StatusTag, TierTag } from '../../components/tags.js';
import { AssignmentCard } from './AssignmentCard.js';
import { AttachmentsPanel } from './AttachmentsPanel.js';
import { EditTicketDrawer } from './EditTicketDrawer.js';
import { EscalationCard } from './EscalationCard.js';
import { SlaCard } from './SlaCard.js';
import { SecondReviewCard } from './SecondReviewCard.js';
import { SurveyCard } from './SurveyCard.js';
import { UnitWarrantyCard } from './UnitWarrantyCard.js';
import { SolutionCard } from './SolutionCard.js';
import { SubtasksCard } from './SubtasksCard.js';
import { TicketMessagesCard } from './TicketMessagesCard.js';
import { VisitsCard } from './VisitsCard.js';
import { TicketLinksCard } from './TicketLinksCard.js';
import { ReturnsCard } from './ReturnsCard.js';
import { ReplyBox } from './ReplyBox.js';
import { KbSuggestionsCard } from '../kb/KbSuggestionsCard.js';
import { formatDelay, TicketTimeline } from './TicketTimeline.js';
import { TransitionButtons } from './TransitionButtons.js';
import { WorkflowActions } from './WorkflowActions.js';

const NUMBER_RE = /^\d{9,14}$/;

function Empty() {
  return <span className="ac-muted">—</span>;
}
const orEmpty = (v: ReactNode) => (v === null || v === undefined || v === '' ? <Empty /> : v);

export default function TicketDetailPage() {
  const { number = '' } = useParams();
  const { t } = useTranslation();
  const valid = NUMBER_RE.test(number);
  const ticket = useQuery({ queryKey: qk.ticket(number), queryFn: () => ticketApi.get(number), enabled: valid });

  if (!valid || (ticket.isError && isApiError(ticket.error) && ticket.error.status === 404)) {
    return (
      <Result
        status="404"
        title={t('ticket.notFound', { number })}
        extra={
          <Link to="/tickets">
            <Button type="primary">{t('ticket.backToQueue')}</Button>
          </Link>
        }
      />
    );
  }
  if (ticket.isError && !ticket.data) {
    return (
      <Result
        status={isApiError(ticket.error) && ticket.error.status === 403 ? '403' : 'error'}
        title={t('errors.loadFailed')}
        subTitle={ticket.error.message}
        extra={
          <Button onClick={() => void ticket.refetch()} icon={<ReloadOutlined />}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!ticket.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  return <TicketView ticket={ticket.data} />;
}

function TicketView({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  // Collaboration sub-tasks and escalations are the service team's business.
  const role = useCurrentUser().role;
  const isCustomer = role === 'customer';
  // QA reads and scores tickets but never changes them (the server refuses): offer them no control that would fail.
  const readOnly = isCustomer || role === 'qa';
  const navigate = useNavigate();
  const categories = useCategories();
  const [editing, setEditing] = useState(false);
  const [replyInsert, setReplyInsert] = useState<{ text: string; seq: number } | null>(null);
  const attachments = useQuery({ queryKey: qk.attachments(ticket.number), queryFn: () => ticketApi.attachments(ticket.number) });
  const attachmentItems = attachments.data?.items ?? [];

  const back = (
    <Button
      type="link"
      size="small"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0 }}
      onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/tickets'))}
    >
      {t('ticket.backToQueue')}
    </Button>
  );

  return (
    <div>
      <PageHeader
        back={back}
        docTitle={`${ticket.number} ${ticket.title}`}
        title={
          <Space size={10} wrap>
            <span className="ac-number" style={{ fontSize: 18, color: '#6b7280' }} data-testid="ticket-number">
              {ticket.number}
            </span>
            <span data-testid="ticket-title">{ticket.title}</span>
            <StatusTag status={ticket.status} testId="ticket-status" />
            <PriorityTag priority={ticket.priority} testId="ticket-priority" />
          </Space>
        }
        subtitle={
          <Space size={12} wrap>
            <span>
              {t('field.createdAt')}: <DateTime value={ticket.createdAt} />
            </span>
            {ticket.createdBy && (
              <span>
                {t('field.createdBy')}: {ticket.createdBy.name}
              </span>
            )}
            <span>
              {t('field.updatedAt')}: <DateTime value={ticket.updatedAt} relative />
            </span>
            {ticket.closedAt && (
              <span>
                {t('field.closedAt')}: <DateTime value={ticket.closedAt} />
              </span>
            )}
          </Space>
        }
        extra={
          <Space wrap size={8} style={{ justifyContent: 'flex-end' }}>
            <WorkflowActions ticket={ticket} />
            <TransitionButtons ticket={ticket} />
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <div className="ac-stack">
            <Card
              title={t('ticket.details')}
              extra={
                readOnly ? undefined : (
                  <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-ticket">
                    {t('common.edit')}
                  </Button>
                )
              }
            >
              <Typography.Paragraph className="ac-pre" style={{ marginBottom: 16 }} data-testid="ticket-description">
                {ticket.description}
              </Typography.Paragraph>
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }}
                styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}
                items={[
                  { key: 'channel', label: t('field.channel'), children: t(`channel.${ticket.channel}`) },
                  { key: 'reportedAt', label: t('field.reportedAt'), children: <DateTime value={ticket.reportedAt} /> },
                  {
                    key: 'registrationDelay',
                    label: t('field.registrationDelay'),
                    children: (
                      <Space size={6} wrap data-testid="ticket-registration-delay">
                        <span>{t('ticket.registeredAfter', { delay: formatDelay(ticket.registrationDelayMinutes, t) })}</span>
                        {ticket.lateRegistration && <Tag color="orange">{t('ticket.lateRegistration')}</Tag>}
                      </Space>
                    ),
                  },
                  {
                    key: 'categories',
                    label: t('field.categories'),
                    children: orEmpty(
                      ticket.categories.length > 0 && (
                        <Space size={[4, 4]} wrap data-testid="ticket-categories">
                          {ticket.categories.map((c, i) => (
                            <Tag key={c} color={i === 0 ? 'blue' : undefined}>
                              {categoryPath(c, categories.byCode)}
                              {i === 0 && ticket.categories.length > 1 ? ` · ${t('ticket.primaryCategory')}` : ''}
                            </Tag>
                          ))}
                        </Space>
                      ),
                    ),
                  },
                  {
                    key: 'priorityBasis',
                    label: t('field.priorityBasis'),
                    children: orEmpty(
                      ticket.impact && ticket.urgency && (
                        <Space size={6} wrap data-testid="ticket-priority-basis">
                          <span>
                            {t(`impactShort.${ticket.impact}`)} · {t(`urgencyShort.${ticket.urgency}`)} → {ticket.derivedPriority}
                          </span>
                          {ticket.priorityOverridden && <Tag color="gold">{t('ticket.priorityOverridden', { derived: ticket.derivedPriority })}</Tag>}
                        </Space>
                      ),
                    ),
                  },
                  {
                    key: 'serviceType',
                    label: t('field.serviceType'),
                    children: orEmpty(ticket.serviceType && t(`serviceType.${ticket.serviceType}`)),
                  },
                  {
                    key: 'faultClass',
                    label: t('field.faultClass'),
                    children: orEmpty(ticket.faultClass && t(`faultClass.${ticket.faultClass}`)),
                  },
                  { key: 'productModel', label: t('field.productModel'), children: orEmpty(ticket.productModel) },
                  { key: 'serialNumber', label: t('field.serialNumber'), children: orEmpty(ticket.serialNumber) },
                  { key: 'purchaseDate', label: t('field.purchaseDate'), children: orEmpty(ticket.purchaseDate) },
                  { key: 'occurredAt', label: t('field.occurredAt'), children: <DateTime value={ticket.occurredAt} /> },
                  { key: 'occurredPlace', label: t('field.occurredPlace'), children: orEmpty(ticket.occurredPlace), span: 'filled' },
                  { key: 'demand', label: t('field.demand'), children: orEmpty(ticket.demand), span: 'filled' },
                  ...(ticket.preferredContact ? [{ key: 'preferredContact', label: t('field.preferredContact'), children: ticket.preferredContact, span: 'filled' as const }] : []),
                  {
                    key: 'situation',
                    label: t('field.situation'),
                    children: orEmpty(ticket.situation && <span className="ac-pre">{ticket.situation}</span>),
                    span: 'filled',
                  },
                  {
                    key: 'firstJudgement',
                    label: t('field.firstJudgement'),
                    children: orEmpty(ticket.firstJudgement && <span className="ac-pre">{ticket.firstJudgement}</span>),
                    span: 'filled',
                  },
                ]}
              />
            </Card>
            <SolutionCard ticket={ticket} />
            {!isCustomer && <SecondReviewCard ticket={ticket} />}
            {!isCustomer && <SurveyCard ticket={ticket} />}
            {!isCustomer && <SubtasksCard ticket={ticket} />}
            {!isCustomer && <VisitsCard ticket={ticket} />}
            {!isCustomer && <ReturnsCard ticket={ticket} />}
            <Card styles={{ body: { paddingTop: 4 } }}>
              <Tabs
                items={[
                  {
                    key: 'activity',
                    label: t('ticket.activity'),
                    children: (
                      <div className="ac-stack">
                        {!readOnly && <ReplyBox number={ticket.number} insert={replyInsert} />}
                        <TicketTimeline number={ticket.number} attachments={attachmentItems} />
                      </div>
                    ),
                  },
                  {
                    key: 'attachments',
                    label: <span data-testid="tab-attachments">{t('ticket.attachmentsTab', { count: attachmentItems.length })}</span>,
                    children: <AttachmentsPanel number={ticket.number} items={attachmentItems} loading={attachments.isLoading} />,
                  },
                ]}
              />
            </Card>
          </div>
        </Col>
        <Col xs={24} xl={8}>
          <div className="ac-stack">
            {!isCustomer && <UnitWarrantyCard ticket={ticket} />}
            {!isCustomer && <TicketLinksCard ticket={ticket} />}
            {!isCustomer && <EscalationCard ticket={ticket} />}
            {!isCustomer && (
              <KbSuggestionsCard
                number={ticket.number}
                canWrite={!readOnly}
                canDraft={!readOnly && (ticket.solution !== null || ticket.serviceType === 'consultation')}
                onInsert={(text) => setReplyInsert((prev) => ({ text, seq: (prev?.seq ?? 0) + 1 }))}
              />
            )}
            <SlaCard ticket={ticket} />
            <AssignmentCard ticket={ticket} readOnly={readOnly} />
            <CustomerCard ticket={ticket} />
            {!isCustomer && <TicketMessagesCard number={ticket.number} />}
          </div>
        </Col>
      </Row>
      {!readOnly && <EditTicketDrawer ticket={ticket} open={editing} onClose={() => setEditing(false)} />}
    </div>
  );
}

function CustomerCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const c = ticket.customer;
  return (
    <Card
      size="small"
      title={t('field.customer')}
      extra={<Link to={`/customers/${c.id}`}>{t('ticket.viewCustomer')}</Link>}
      data-testid="ticket-customer"
    >
      <Flex vertical gap={6}>
        <Space size={6} wrap>
          <Link to={`/customers/${c.id}`}>
            <Typography.Text strong>{c.name}</Typography.Text>
          </Link>
          <TierTag tier={c.tier} />
          {c.specialNeeds && <SpecialNeedsTag />}
        </Space>
        {c.company && <Typography.Text type="secondary">{c.company}</Typography.Text>}
        {c.phone && (
          <Typography.Text>
            <PhoneOutlined className="ac-muted" /> {c.phone}
          </Typography.Text>
        )}
        {c.email && (
          <Typography.Text>
            <MailOutlined className="ac-muted" /> {c.email}
          </Typography.Text>
        )}
        {c.specialNeeds && <Alert type="warning" showIcon title={t('ticket.specialNeedsHint')} />}
      </Flex>
    </Card>
  );
}
