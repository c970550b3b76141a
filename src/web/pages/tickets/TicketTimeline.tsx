import { useMemo, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  ApartmentOutlined,
  BookOutlined,
  CarOutlined,
  ScheduleOutlined,
  AuditOutlined,
  CalculatorOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  DislikeOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  FileDoneOutlined,
  LikeOutlined,
  LockOutlined,
  MessageOutlined,
  NodeIndexOutlined,
  PaperClipOutlined,
  PhoneOutlined,
  PlusCircleOutlined,
  RiseOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  StarOutlined,
  SwapOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { SLA_CLOCK_NAMES, TICKET_STATUSES, type EventKind, type TicketStatus } from '../../../shared/enums.js';
import { ticketApi } from '../../api/endpoints.js';
import { categoryPath, qk, useCategories, useDepartments, useUsers } from '../../api/queries.js';
import type { Attachment, Comment, FieldChange, TicketEvent } from '../../api/types.js';
import { DateTime, formatDateTime } from '../../components/DateTime.js';
import { StatusTag } from '../../components/tags.js';

const KIND_STYLE: Record<EventKind, { color: string; icon: ReactNode }> = {
  created: { color: 'green', icon: <PlusCircleOutlined /> },
  updated: { color: 'gray', icon: <EditOutlined /> },
  status_changed: { color: 'blue', icon: <SwapOutlined /> },
  assigned: { color: 'cyan', icon: <UserSwitchOutlined /> },
  comment: { color: 'blue', icon: <MessageOutlined /> },
  internal_note: { color: '#d48806', icon: <LockOutlined /> },
  attachment: { color: 'gray', icon: <PaperClipOutlined /> },
  routed: { color: 'cyan', icon: <NodeIndexOutlined /> },
  sla_warning: { color: 'orange', icon: <ClockCircleOutlined /> },
  sla_breach: { color: 'red', icon: <ExclamationCircleOutlined /> },
  sla_recomputed: { color: 'gray', icon: <CalculatorOutlined /> },
  escalated: { color: 'red', icon: <RiseOutlined /> },
  escalation_acknowledged: { color: 'green', icon: <CheckCircleOutlined /> },
  solution_submitted: { color: 'purple', icon: <FileDoneOutlined /> },
  review_approved: { color: 'green', icon: <AuditOutlined /> },
  review_returned: { color: 'orange', icon: <RollbackOutlined /> },
  customer_confirmed: { color: 'green', icon: <LikeOutlined /> },
  customer_rejected: { color: 'red', icon: <DislikeOutlined /> },
  follow_up: { color: 'blue', icon: <PhoneOutlined /> },
  subtask_created: { color: 'cyan', icon: <ApartmentOutlined /> },
  subtask_updated: { color: 'gray', icon: <ApartmentOutlined /> },
  priority_overridden: { color: '#d48806', icon: <EditOutlined /> },
  late_registration: { color: 'orange', icon: <ClockCircleOutlined /> },
  second_review_requested: { color: 'purple', icon: <SafetyCertificateOutlined /> },
  second_review_recorded: { color: 'purple', icon: <SafetyCertificateOutlined /> },
  kb_article_created: { color: 'geekblue', icon: <BookOutlined /> },
  customer_message: { color: 'gray', icon: <SendOutlined /> },
  customer_message_sent: { color: 'green', icon: <SendOutlined /> },
  customer_message_failed: { color: 'red', icon: <SendOutlined /> },
  survey_sent: { color: 'gray', icon: <SendOutlined /> },
  survey_answered: { color: 'gold', icon: <StarOutlined /> },
  survey_follow_up_opened: { color: 'orange', icon: <PhoneOutlined /> },
  survey_follow_up_closed: { color: 'green', icon: <PhoneOutlined /> },
  visit_booked: { color: 'blue', icon: <ScheduleOutlined /> },
  visit_rescheduled: { color: 'orange', icon: <ScheduleOutlined /> },
  visit_cancelled: { color: 'gray', icon: <ScheduleOutlined /> },
  visit_step: { color: 'cyan', icon: <CarOutlined /> },
  phone_guidance: { color: 'green', icon: <PhoneOutlined /> },
  installation_accepted: { color: 'green', icon: <SafetyCertificateOutlined /> },
  inspection_created: { color: 'blue', icon: <ScheduleOutlined /> },
  inspection_completed: { color: 'green', icon: <CheckCircleOutlined /> },
  ticket_linked: { color: 'orange', icon: <NodeIndexOutlined /> },
  rma_created: { color: 'purple', icon: <RollbackOutlined /> },
  rma_checklist: { color: 'purple', icon: <SafetyCertificateOutlined /> },
  rma_approve: { color: 'green', icon: <RollbackOutlined /> },
  rma_reject: { color: 'red', icon: <RollbackOutlined /> },
  rma_cancel: { color: 'gray', icon: <RollbackOutlined /> },
  rma_ship_in: { color: 'blue', icon: <SendOutlined /> },
  rma_receive: { color: 'purple', icon: <RollbackOutlined /> },
  rma_outcome: { color: 'green', icon: <SwapOutlined /> },
  rma_ship_out: { color: 'blue', icon: <SendOutlined /> },
  rma_complete: { color: 'green', icon: <RollbackOutlined /> },
  take_back_step: { color: 'cyan', icon: <CarOutlined /> },
  loaner_lent: { color: 'orange', icon: <SwapOutlined /> },
  loaner_returned: { color: 'green', icon: <SwapOutlined /> },
  visit_report_saved: { color: 'blue', icon: <EditOutlined /> },
  visit_part_used: { color: 'cyan', icon: <CarOutlined /> },
  visit_photo_added: { color: 'gray', icon: <CarOutlined /> },
  visit_quoted: { color: 'gold', icon: <ScheduleOutlined /> },
  visit_quote_accepted: { color: 'green', icon: <ScheduleOutlined /> },
  visit_charged: { color: 'green', icon: <ScheduleOutlined /> },
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
// surveyFollowUp: the follow-up call a low survey answer opens has a clock of its own beside the ticket's.
const clockLabel = (v: unknown, t: TFunction): string | undefined =>
  typeof v === 'string' && ((SLA_CLOCK_NAMES as readonly string[]).includes(v) || v === 'surveyFollowUp') ? t(`sla.clock.${v}`) : str(v);

/** The review stage an event belongs to (一审 / 二审), shown as a tag beside its title. */
export function stageOf(details: Record<string, unknown> | null | undefined): 'first' | 'second' | null {
  const stage = details?.stage;
  return stage === 'first' || stage === 'second' ? stage : null;
}

/**
 * The kind-specific sentence of an event from its `details` (routing decision, SLA clock, escalation, review stage,
 * customer's rejection), or null when the event has nothing to add.
 */
export function describeDetails(kind: EventKind, details: Record<string, unknown> | null, l: Lookups): string | null {
  if (!details) return null;
  const { t } = l;
  switch (kind) {
    case 'routed': {
      const depId = num(details.departmentId);
      const department = (depId !== undefined && l.departmentName(depId)) || (depId !== undefined ? `#${depId}` : t('timeline.emptyValue'));
      const rule = str(details.rule) ?? t('timeline.emptyValue');
      const strategy = str(details.strategy) ?? 'none';
      const assignee = str(details.assignee);
      let text = t('timeline.routed.base', { rule, department });
      // Routed again because the primary category changed (on an unassigned ticket).
      const category = str(details.category);
      if (details.reason === 'category_changed' && category) text = t('timeline.routed.categoryChanged', { category: l.categoryLabel(category) }) + text;
      if (strategy !== 'none') {
        const how = t(`timeline.routed.strategy.${strategy}`, { defaultValue: strategy });
        text += assignee ? t('timeline.routed.to', { how, assignee }) : t('timeline.routed.nobody', { how });
        const open = num(details.openAssigned);
        if (assignee && strategy === 'least_loaded' && open !== undefined) text += t('timeline.routed.open', { count: open });
        const skills = Array.isArray(details.matchedSkills) ? details.matchedSkills.filter((x): x is string => typeof x === 'string') : [];
        if (assignee && skills.length) text += t('timeline.routed.skills', { skills: skills.join(t('common.listSeparator')) });
      }
      return text;
    }
    case 'sla_warning':
    case 'sla_breach': {
      const clock = clockLabel(details.clock, t);
      const due = str(details.dueAt) ?? (num(details.dueAt) !== undefined ? new Date(num(details.dueAt)!).toISOString() : undefined);
      if (!clock) return null;
      return t(kind === 'sla_warning' ? 'timeline.sla.warning' : 'timeline.sla.breach', { clock, time: due ? formatDateTime(due) : '—' });
    }
    case 'escalated': {
      const level = num(details.level);
      const to = str(details.to) ?? (typeof details.to === 'object' && details.to ? str((details.to as { name?: unknown }).name) : undefined);
      const levelText = level !== undefined && level >= 2 ? t('escalation.level2') : t('escalation.level1');
      let text = to ? t('timeline.escalated.to', { level: levelText, to }) : t('timeline.escalated.level', { level: levelText });
      const reason = str(details.reason);
      const clock = clockLabel(details.clock, t);
      if (reason === 'breach') text += t('timeline.escalated.breach', { clock: clock ?? t('sla.title') });
      else if (reason === 'ack_overdue') text += t('timeline.escalated.ackOverdue');
      // 'manual': a person escalated it, and their words are the event's note.
      else if (reason && reason !== 'manual') text += t('timeline.escalated.reason', { reason });
      return text;
    }
    case 'solution_submitted': {
      // The override reason usually comes as the event's note as well; say it once.
      const override = str(details.overrideReason);
      return override ? t('timeline.override', { reason: override }) : null;
    }
    case 'priority_overridden': {
      const derived = str(details.derivedPriority);
      const chosen = str(details.chosenPriority);
      if (!derived || !chosen) return null;
      return t('timeline.priorityOverridden', { derived, chosen, reason: str(details.reason) ?? t('timeline.emptyValue') });
    }
    case 'late_registration': {
      const minutes = num(details.delayMinutes);
      if (minutes === undefined) return null;
      return t('timeline.lateRegistration', { delay: formatDelay(minutes, t), limit: formatDelay(num(details.limitMinutes) ?? 120, t) });
    }
    case 'created': {
      const impact = str(details.impact);
      const urgency = str(details.urgency);
      const derived = str(details.derivedPriority);
      if (!impact || !urgency || !derived) return null;
      return t('timeline.derived', { impact: t(`impact.${impact}`, { defaultValue: impact }), urgency: t(`urgency.${urgency}`, { defaultValue: urgency }), priority: derived });
    }
    case 'customer_rejected': {
      const before = str(details.priorityBefore);
      const after = str(details.priorityAfter);
      const due = str(details.improvementDueAt);
      const parts: string[] = [];
      if (before && after && before !== after) parts.push(t('timeline.rejected.priority', { before, after }));
      if (due) parts.push(t('timeline.rejected.improvement', { time: formatDateTime(due) }));
      return parts.length ? parts.join(t('common.listSeparator')) : null;
    }
    case 'second_review_requested': {
      const reason = str(details.reason);
      return reason ? t(`secondReview.reason.${reason}`, { defaultValue: reason }) : null;
    }
    case 'second_review_recorded': {
      const verdict = str(details.verdict);
      const next = str(details.nextSteps);
      const parts: string[] = [];
      if (verdict) parts.push(t(`secondReview.verdict.${verdict}`, { defaultValue: verdict }));
      if (next) parts.push(t('secondReview.nextStepsIs', { text: next }));
      return parts.length ? parts.join(t('common.listSeparator')) : null;
    }
    case 'kb_article_created': {
      const title = str(details.title);
      return title ? t('timeline.kbArticle', { title }) : null;
    }
    case 'customer_message':
    case 'customer_message_sent':
    case 'customer_message_failed': {
      const event = str(details.event);
      const channel = str(details.channel);
      if (!event || !channel) return null;
      const values = {
        event: t(`messages.event.${event}`, { defaultValue: event }),
        channel: t(`messages.channel.${channel}`, { defaultValue: channel }),
        target: str(details.target) ?? '—',
        attempts: num(details.attempts) ?? 1,
        error: str(details.error) ?? '—',
      };
      const state = kind === 'customer_message' ? 'queued' : kind === 'customer_message_sent' ? 'sent' : 'failed';
      return t(`timeline.message.${state}`, values);
    }
    case 'survey_sent': {
      const source = str(details.source);
      return source ? t(`survey.source.${source}`, { defaultValue: source }) : null;
    }
    case 'survey_answered': {
      const score = num(details.score);
      const nps = num(details.nps);
      return score === undefined || nps === undefined ? null : t('survey.timeline.answered', { score, nps });
    }
    case 'survey_follow_up_opened': {
      const due = str(details.dueAt);
      return due ? t('survey.timeline.followUpDue', { time: formatDateTime(due) }) : null;
    }
    case 'rma_created':
    case 'rma_checklist':
    case 'rma_approve':
    case 'rma_reject':
    case 'rma_cancel':
    case 'rma_ship_in':
    case 'rma_receive':
    case 'rma_outcome':
    case 'rma_ship_out':
    case 'rma_complete': {
      const id = num(details.rmaId);
      if (id === undefined) return null;
      const bits = [`RMA-${id}`];
      const kindOf = str(details.kind);
      if (kindOf) bits.push(t(`returns.kind.${kindOf}`, { defaultValue: kindOf }));
      const tracking = str(details.trackingNumber);
      if (tracking) bits.push(`${str(details.carrier) ?? ''} ${tracking}`.trim());
      const location = str(details.location);
      if (location) bits.push(location);
      const refund = num(details.refundFen);
      if (refund !== undefined) bits.push(t('returns.refundAmount', { amount: (refund / 100).toFixed(2) }));
      if (Array.isArray(details.exchanged) && details.exchanged.length > 0) bits.push(details.exchanged.join('、'));
      return bits.join(' · ');
    }
    case 'take_back_step': {
      const step = str(details.step);
      return step ? t(`returns.takeBack.step.${step}`, { defaultValue: step }) : null;
    }
    case 'loaner_lent':
    case 'loaner_returned': {
      const serial = str(details.serial);
      if (!serial) return null;
      const due = str(details.dueDate);
      return kind === 'loaner_lent' && due ? t('returns.loaners.lentUntil', { serial, due }) : serial;
    }
    case 'survey_follow_up_closed': {
      const outcome = str(details.outcome);
      return outcome ? t(`survey.outcome.${outcome}`, { defaultValue: outcome }) : null;
    }
    case 'visit_booked':
    case 'visit_rescheduled':
    case 'visit_cancelled': {
      const start = str(details.windowStart);
      const end = str(details.windowEnd);
      if (!start || !end) return null;
      return t('timeline.visit.window', { engineer: str(details.engineerName) ?? '—', time: `${formatDateTime(start)}–${formatDateTime(end).slice(-5)}` });
    }
    case 'visit_step': {
      const step = str(details.step);
      if (!step) return null;
      return t(details.late === true ? 'timeline.visit.stepLate' : 'timeline.visit.step', { step: t(`visits.status.${step}`, { defaultValue: step }) });
    }
    case 'visit_part_used': {
      const code = str(details.partCode);
      const qty = num(details.qty);
      return code && qty ? `${code} ×${qty}` : null;
    }
    case 'visit_quoted':
    case 'visit_charged': {
      const amount = num(details.amount) ?? num(details.total);
      return amount === undefined ? null : t('timeline.visit.amount', { amount: (amount / 100).toFixed(2), receipt: str(details.receipt) ?? '' });
    }
    case 'phone_guidance': {
      const due = str(details.dueAt);
      return due ? t('timeline.visit.guidanceDue', { time: formatDateTime(due) }) : null;
    }
    case 'installation_accepted':
      return t('care.timeline.accepted', { name: str(details.signerName) ?? '—', start: str(details.warrantyStart) ?? '—', end: str(details.warrantyEnd) ?? '—' });
    case 'inspection_created':
      if (details.moved === true) return t('care.timeline.inspectionMoved', { from: str(details.fromDate) ?? '—', to: str(details.dueDate) ?? '—' });
      return t('care.timeline.inspectionCreated', { date: str(details.dueDate) ?? '—' });
    case 'inspection_completed':
      return t('care.timeline.inspectionDone', { date: str(details.dueDate) ?? '—' });
    case 'ticket_linked': {
      const faultClass = t(`faultClass.${str(details.faultClass) ?? ''}`, { defaultValue: str(details.faultClass) ?? '' });
      return t(details.role === 'first' ? 'care.timeline.linkedFirst' : 'care.timeline.linkedRepeat', { number: str(details.number) ?? '—', faultClass });
    }
    case 'subtask_created':
    case 'subtask_updated': {
      const title = str(details.title);
      const status = str(details.status);
      if (!title) return null;
      return status ? t('timeline.subtask.withStatus', { title, status: t(`subtasks.status.${status}`, { defaultValue: status }) }) : t('timeline.subtask.title', { title });
    }
    default:
      return null;
  }
}

/** "3 小时 12 分" / "3 h 12 min": how long after first contact a ticket was registered. */
export function formatDelay(minutes: number, t: TFunction): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('ticket.delay.minutes', { m });
  return m === 0 ? t('ticket.delay.hours', { h }) : t('ticket.delay.hoursMinutes', { h, m });
}

const ENUM_FIELDS: Record<string, string> = {
  status: 'status',
  channel: 'channel',
  serviceType: 'serviceType',
  faultClass: 'faultClass',
  priority: 'priority',
  derivedPriority: 'priority',
  impact: 'impact',
  urgency: 'urgency',
};
const DATETIME_FIELDS = new Set(['reportedAt', 'occurredAt', 'closedAt', 'createdAt', 'updatedAt']);
const MAX_VALUE_CHARS = 120;

function isStatus(v: unknown): v is TicketStatus {
  return typeof v === 'string' && (TICKET_STATUSES as readonly string[]).includes(v);
}

interface Lookups {
  t: TFunction;
  departmentName: (id: number) => string | undefined;
  userName: (id: number) => string | undefined;
  categoryLabel: (code: string) => string;
}

/** A field value from an event's `changes`, as a person would read it. */
export function formatChangeValue(field: string, value: unknown, l: Lookups): string {
  if (value === null || value === undefined || value === '') return l.t('timeline.emptyValue');
  if (field === 'categories' && Array.isArray(value)) return value.length ? value.map((c) => l.categoryLabel(String(c))).join(l.t('common.listSeparator')) : l.t('timeline.emptyValue');
  if (typeof value === 'object') {
    const named = value as { name?: unknown; displayName?: unknown };
    if (typeof named.name === 'string') return named.name;
    if (typeof named.displayName === 'string') return named.displayName;
    return JSON.stringify(value).slice(0, MAX_VALUE_CHARS);
  }
  const ns = ENUM_FIELDS[field];
  if (ns && typeof value === 'string') {
    const label = l.t(`${ns}.${value}`, { defaultValue: value });
    return ns === 'priority' ? `${value} ${label}` : label;
  }
  if ((field === 'departmentId' || field === 'department') && typeof value === 'number') return l.departmentName(value) ?? `#${value}`;
  if ((field === 'assigneeId' || field === 'assignee') && typeof value === 'number') return l.userName(value) ?? `#${value}`;
  if (field === 'category' && typeof value === 'string') return l.categoryLabel(value);
  if (DATETIME_FIELDS.has(field) && typeof value === 'string') return formatDateTime(value);
  if (typeof value === 'boolean') return l.t(value ? 'common.yes' : 'common.no');
  const s = String(value);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

export function fieldLabel(field: string, t: TFunction): string {
  const key = field.endsWith('Id') && field !== 'customerId' ? field.slice(0, -2) : field;
  return t(`field.${key}`, { defaultValue: t(`field.${field}`, { defaultValue: field }) });
}

interface Item {
  key: string;
  at: string;
  kind: EventKind;
  actor: string | null;
  internal: boolean;
  changes: FieldChange[];
  note: string | null;
  comment?: Comment;
  attachment?: Attachment;
  attachmentId?: number | null;
  details?: Record<string, unknown> | null;
}

export function TicketTimeline({ number, attachments }: { number: string; attachments: Attachment[] }) {
  const { t } = useTranslation();
  const events = useQuery({ queryKey: qk.events(number), queryFn: () => ticketApi.events(number) });
  const comments = useQuery({ queryKey: qk.comments(number), queryFn: () => ticketApi.comments(number) });
  const departments = useDepartments();
  const users = useUsers();
  const categories = useCategories();

  const lookups: Lookups = {
    t,
    departmentName: (id) => departments.byId.get(id)?.name,
    userName: (id) => users.byId.get(id)?.displayName,
    categoryLabel: (code) => categoryPath(code, categories.byCode),
  };

  const items = useMemo<Item[]>(() => {
    const commentList = comments.data?.items ?? [];
    const byComment = new Map(commentList.map((c) => [c.id, c]));
    const byAttachment = new Map(attachments.map((a) => [a.id, a]));
    const referenced = new Set<number>();
    const list: Item[] = (events.data?.items ?? []).map((e: TicketEvent) => {
      const comment = e.commentId !== null ? byComment.get(e.commentId) : undefined;
      if (e.commentId !== null) referenced.add(e.commentId);
      return {
        key: `e${e.id}`,
        at: e.at,
        kind: e.kind,
        actor: e.actor?.name ?? null,
        internal: e.internal || e.kind === 'internal_note' || !!comment?.internal,
        changes: e.changes,
        note: e.note,
        comment,
        attachmentId: e.attachmentId,
        attachment: e.attachmentId !== null ? byAttachment.get(e.attachmentId) : undefined,
        details: e.details ?? null,
      };
    });
    // Comments without an event of their own still belong in the history.
    for (const c of commentList) {
      if (referenced.has(c.id)) continue;
      list.push({
        key: `c${c.id}`,
        at: c.createdAt,
        kind: c.internal ? 'internal_note' : 'comment',
        actor: c.author?.name ?? null,
        internal: c.internal,
        changes: [],
        note: null,
        comment: c,
      });
    }
    return list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.key.localeCompare(a.key)));
  }, [events.data, comments.data, attachments]);

  if (events.isLoading || comments.isLoading) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (events.isError || comments.isError) {
    return <Alert type="error" showIcon title={t('errors.loadFailed')} description={(events.error ?? comments.error)?.message} />;
  }
  if (items.length === 0) return <Empty description={t('timeline.empty')} />;

  return (
    <Timeline
      data-testid="timeline"
      items={items.map((it) => ({
        key: it.key,
        color: (KIND_STYLE[it.kind] ?? KIND_STYLE.updated).color,
        icon: (KIND_STYLE[it.kind] ?? KIND_STYLE.updated).icon,
        content: <TimelineEntry item={it} lookups={lookups} />,
      }))}
    />
  );
}

function TimelineEntry({ item, lookups }: { item: Item; lookups: Lookups }) {
  const { t } = lookups;
  const detail = describeDetails(item.kind, item.details ?? null, lookups);
  const statusChange = item.kind !== 'created' ? item.changes.find((c) => c.field === 'status') : undefined;
  // A routing sentence already names the department and the person.
  const otherChanges = item.kind === 'routed' && detail ? [] : statusChange ? item.changes.filter((c) => c !== statusChange) : item.changes;
  const body = item.comment?.body ?? (item.kind === 'comment' || item.kind === 'internal_note' ? item.note : null);
  // A system event's structured details are already said in the reader's language above; its note only repeats them.
  const repeatsDetail =
    !!detail && (item.actor === null || (item.kind === 'escalated' && item.note === item.details?.reason) || (!!item.note && item.note.includes(str(item.details?.overrideReason) ?? '\u0000')));
  const stage = stageOf(item.details);
  const showNote = item.note && item.kind !== 'comment' && item.kind !== 'internal_note' && !repeatsDetail;
  return (
    <div data-testid={`timeline-${item.kind}`} data-internal={item.internal ? 'true' : 'false'} style={{ paddingBottom: 4 }}>
      <div className="ac-timeline-head">
        <Typography.Text strong>{item.actor ?? t('timeline.system')}</Typography.Text>
        <Typography.Text>{t(`timeline.kind.${item.kind}`, { defaultValue: item.kind })}</Typography.Text>
        {stage && (
          <Tag color="purple" variant="outlined" style={{ marginInlineEnd: 0 }}>
            {t(`actions.review.stage.${stage}`)}
          </Tag>
        )}
        {item.internal && (
          <Tag color="gold" icon={<LockOutlined />} style={{ marginInlineEnd: 0 }} data-testid="internal-tag">
            {t('timeline.internal')}
          </Tag>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <DateTime value={item.at} relative />
        </Typography.Text>
      </div>
      {detail && (
        <div className="ac-change" style={{ marginTop: 2 }} data-testid={`timeline-detail-${item.kind}`}>
          {detail}
        </div>
      )}
      {statusChange && (
        <Space size={6} style={{ marginTop: 4 }}>
          {isStatus(statusChange.before) ? <StatusTag status={statusChange.before} /> : <span>{t('timeline.emptyValue')}</span>}
          <span>→</span>
          {isStatus(statusChange.after) ? <StatusTag status={statusChange.after} /> : <span>{t('timeline.emptyValue')}</span>}
        </Space>
      )}
      {otherChanges.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
          {otherChanges.map((c, i) => (
            <li key={i} className="ac-change">
              {c.before === null || c.before === undefined || c.before === ''
                ? t('timeline.set', { field: fieldLabel(c.field, t), after: formatChangeValue(c.field, c.after, lookups) })
                : t('timeline.change', {
                    field: fieldLabel(c.field, t),
                    before: formatChangeValue(c.field, c.before, lookups),
                    after: formatChangeValue(c.field, c.after, lookups),
                  })}
            </li>
          ))}
        </ul>
      )}
      {showNote && <div className={`ac-comment ac-pre${item.internal ? ' ac-internal' : ''}`}>{item.note}</div>}
      {body && (
        <div className={`ac-comment ac-pre${item.internal ? ' ac-internal' : ''}`} data-testid="timeline-comment-body">
          {body}
        </div>
      )}
      {item.kind === 'attachment' && item.attachmentId != null && (
        <div style={{ marginTop: 4 }}>
          <PaperClipOutlined className="ac-muted" />{' '}
          <a href={ticketApi.attachmentUrl(item.attachmentId)} target="_blank" rel="noreferrer">
            {item.attachment?.filename ?? t('timeline.attachmentFallback', { id: item.attachmentId })}
          </a>
        </div>
      )}
    </div>
  );
}
