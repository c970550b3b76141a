import { useMemo, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  EditOutlined,
  LockOutlined,
  MessageOutlined,
  PaperClipOutlined,
  PlusCircleOutlined,
  SwapOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { TICKET_STATUSES, type EventKind, type TicketStatus } from '../../../shared/enums.js';
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
};

const ENUM_FIELDS: Record<string, string> = {
  status: 'status',
  channel: 'channel',
  serviceType: 'serviceType',
  faultClass: 'faultClass',
  priority: 'priority',
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
  if (typeof value === 'object') {
    const named = value as { name?: unknown; displayName?: unknown };
    if (typeof named.name === 'string') return named.name;
    if (typeof named.displayName === 'string') return named.displayName;
    return JSON.stringify(value).slice(0, MAX_VALUE_CHARS);
  }
  const ns = ENUM_FIELDS[field];
  if (ns && typeof value === 'string') {
    const label = l.t(`${ns}.${value}`, { defaultValue: value });
    return field === 'priority' ? `${value} ${label}` : label;
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
        color: KIND_STYLE[it.kind].color,
        icon: KIND_STYLE[it.kind].icon,
        content: <TimelineEntry item={it} lookups={lookups} />,
      }))}
    />
  );
}

function TimelineEntry({ item, lookups }: { item: Item; lookups: Lookups }) {
  const { t } = lookups;
  const statusChange = item.kind !== 'created' ? item.changes.find((c) => c.field === 'status') : undefined;
  const otherChanges = statusChange ? item.changes.filter((c) => c !== statusChange) : item.changes;
  const body = item.comment?.body ?? (item.kind === 'comment' || item.kind === 'internal_note' ? item.note : null);
  const showNote = item.note && item.kind !== 'comment' && item.kind !== 'internal_note';
  return (
    <div data-testid={`timeline-${item.kind}`} data-internal={item.internal ? 'true' : 'false'} style={{ paddingBottom: 4 }}>
      <div className="ac-timeline-head">
        <Typography.Text strong>{item.actor ?? t('timeline.system')}</Typography.Text>
        <Typography.Text>{t(`timeline.kind.${item.kind}`)}</Typography.Text>
        {item.internal && (
          <Tag color="gold" icon={<LockOutlined />} style={{ marginInlineEnd: 0 }} data-testid="internal-tag">
            {t('timeline.internal')}
          </Tag>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <DateTime value={item.at} relative />
        </Typography.Text>
      </div>
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
