// 通知: the bell in the header. Loads my latest notifications grouped by ticket, then follows the live stream
// (Server-Sent Events, cookie auth): each new notification bumps the count, refreshes the groups, pops a toast, and
// refreshes the ticket queries so open queues and tickets show the new clock state. 查看全部 leads to the
// notifications page, 通知设置 to the user's channels per kind.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Empty, Popover, Spin, Tooltip, Typography } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  InboxOutlined,
  ClockCircleOutlined,
  DislikeOutlined,
  ExclamationCircleOutlined,
  MessageOutlined,
  NotificationOutlined,
  PhoneOutlined,
  RiseOutlined,
  RollbackOutlined,
  SettingOutlined,
  ReadOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SLA_CLOCK_NAMES } from '../../shared/enums.js';
import { notificationApi } from '../api/endpoints.js';
import { qk } from '../api/queries.js';
import type { NotificationGroup, NotificationGroups, NotificationItem, NotificationTicket } from '../api/types.js';
import { NOTIFICATION_KINDS } from '../api/vocab.js';
import { DateTime, formatDateTime } from '../components/DateTime.js';
import { noteServerTimeAtLeast } from '../components/sla/time.js';
import { canViewAdminPage } from './adminAccess.js';
import { useCurrentUser } from './auth.js';

const KIND_STYLE: Record<string, { color: string; icon: ReactNode }> = {
  assigned: { color: '#1668dc', icon: <UserAddOutlined /> },
  sla_warning: { color: '#d46b08', icon: <ClockCircleOutlined /> },
  sla_breach: { color: '#cf1322', icon: <ExclamationCircleOutlined /> },
  escalated: { color: '#cf1322', icon: <RiseOutlined /> },
  escalation_overdue: { color: '#a8071a', icon: <RiseOutlined /> },
  review_requested: { color: '#722ed1', icon: <AuditOutlined /> },
  review_returned: { color: '#d46b08', icon: <RollbackOutlined /> },
  customer_rejected: { color: '#cf1322', icon: <DislikeOutlined /> },
  follow_up_due: { color: '#1668dc', icon: <PhoneOutlined /> },
  calendar_uncovered: { color: '#d48806', icon: <CalendarOutlined /> },
  subtask_assigned: { color: '#08979c', icon: <ApartmentOutlined /> },
  mentioned: { color: '#1668dc', icon: <MessageOutlined /> },
  daily_digest: { color: '#389e0d', icon: <ReadOutlined /> },
  low_stock: { color: '#d4380d', icon: <InboxOutlined /> },
  inspection_due: { color: '#1668dc', icon: <CalendarOutlined /> },
  inspection_overdue: { color: '#cf1322', icon: <CalendarOutlined /> },
};
const FALLBACK_STYLE = { color: '#8c8c8c', icon: <NotificationOutlined /> };

/** Tickets (groups) the bell shows, and entries shown under each. */
const GROUPS = 10;
const GROUP_SHOWN = 3;
/** More toasts than this within TOAST_WINDOW_MS collapse into one "N more" toast. */
const TOAST_BURST = 3;
const TOAST_WINDOW_MS = 5000;

export function notificationTitle(n: NotificationItem, t: TFunction): string {
  return (NOTIFICATION_KINDS as readonly string[]).includes(n.kind) ? t(`notify.kind.${n.kind}`) : t('notify.kind.other');
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
/** The ticket's clocks, and the follow-up call a low satisfaction answer opens (modules/surveys), which has its own. */
const isClockName = (c: unknown): c is string => typeof c === 'string' && ((SLA_CLOCK_NAMES as readonly string[]).includes(c) || c === 'surveyFollowUp');

/** One line on what happened, from the kind-specific `data` (clock, escalation level, the reviewer's comment …). */
export function notificationDetail(n: NotificationItem, t: TFunction): string | null {
  const d = n.data ?? {};
  const clock = isClockName(d.clock) ? t(`sla.clock.${d.clock}`) : undefined;
  const due = str(d.dueAt) ?? n.ticket?.dueAt ?? undefined;
  const clocks = Array.isArray(d.clocks)
    ? (d.clocks as { clock?: unknown }[]).map((c) => c?.clock).filter(isClockName)
    : [];
  switch (n.kind) {
    case 'sla_warning':
    case 'sla_breach':
    case 'follow_up_due': {
      if (clocks.length > 1) {
        const names = clocks.map((c) => t(`sla.clock.${c}`)).join(t('notify.clockSeparator'));
        return t(n.kind === 'sla_breach' ? 'notify.detail.breachMany' : 'notify.detail.warningMany', { clocks: names, time: due ? formatDateTime(due) : '—' });
      }
      if (!clock) return null;
      return t(n.kind === 'sla_breach' ? 'notify.detail.breach' : 'notify.detail.warning', { clock, time: due ? formatDateTime(due) : '—' });
    }
    case 'daily_digest': {
      const num = (v: unknown) => (typeof v === 'number' ? v : 0);
      return t('notify.detail.digest', {
        scope: str(d.department) ?? t('notify.allDepartments'),
        breaches: num(d.breaches),
        escalations: num(d.escalations),
        open: num(d.open),
        overdue: num(d.overdue),
      });
    }
    case 'escalated':
    case 'escalation_overdue': {
      const level = typeof d.level === 'number' ? d.level : undefined;
      const reason = str(d.reason);
      const parts: string[] = [];
      if (level !== undefined) parts.push(level >= 2 ? t('escalation.level2') : t('escalation.level1'));
      // The sweeper's escalations carry "SLA breach: <clock>" / "Escalation not acknowledged in time" as their reason.
      const breachClock = reason?.match(/^SLA breach: (\w+)$/)?.[1];
      if (breachClock && (SLA_CLOCK_NAMES as readonly string[]).includes(breachClock)) parts.push(t('notify.detail.breachReason', { clock: t(`sla.clock.${breachClock}`) }));
      else if (reason === 'Escalation not acknowledged in time') parts.push(t('notify.detail.ackOverdue'));
      else if (reason === 'breach') parts.push(t('notify.detail.breachReason', { clock: clock ?? t('sla.title') }));
      else if (reason === 'ack_overdue') parts.push(t('notify.detail.ackOverdue'));
      else if (reason && reason !== 'manual') parts.push(reason);
      return parts.length ? parts.join(t('common.listSeparator')) : null;
    }
    case 'low_stock': {
      const part = str(d.partCode);
      return part ? t('notify.detail.lowStock', { part: `${part} ${str(d.partName) ?? ''}`.trim(), location: str(d.locationName) ?? '', available: Number(d.available ?? 0), threshold: Number(d.threshold ?? 0) }) : null;
    }
    case 'calendar_uncovered': {
      const years = Array.isArray(d.years) ? d.years.join(t('common.listSeparator')) : typeof d.year === 'number' ? String(d.year) : undefined;
      return years ? t('notify.detail.calendar', { years }) : null;
    }
    default:
      return str(d.comment) ?? str(d.customerWords) ?? str(d.reason) ?? str(d.title) ?? str(d.note) ?? str(d.message) ?? null;
  }
}

/** Keeps the bell's groups (and any open notifications page) in step with the live stream. */
function useNotificationStream(onLive: (n: NotificationItem) => void): boolean {
  const queryClient = useQueryClient();
  const onLiveRef = useRef(onLive);
  onLiveRef.current = onLive;
  /** True while the stream is connected (the server said `ready`). */
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let connections = 0;
    let stopped = false;
    const seen = new Set<number>();

    const connect = () => {
      if (stopped) return;
      const first = connections++ === 0;
      es = new EventSource(notificationApi.streamUrl, { withCredentials: true });
      es.addEventListener('ready', (ev) => {
        failures = 0;
        setConnected(true);
        let unread: number | undefined;
        try {
          unread = (JSON.parse((ev as MessageEvent<string>).data) as { unread?: number }).unread;
        } catch {
          /* keep the count we have */
        }
        if (typeof unread === 'number') {
          queryClient.setQueryData<NotificationGroups>(qk.notificationGroups, (old) => (old ? { ...old, unread } : old));
        }
        // A fresh connection (not the browser's own resume with Last-Event-ID) may have missed some.
        if (!first) void queryClient.invalidateQueries({ queryKey: qk.notifications });
      });
      es.addEventListener('notification', (ev) => {
        let item: NotificationItem;
        try {
          item = JSON.parse((ev as MessageEvent<string>).data) as NotificationItem;
        } catch {
          return;
        }
        const cached = queryClient.getQueryData<NotificationGroups>(qk.notificationGroups);
        const isNew = !seen.has(item.id) && !cached?.groups.some((g) => g.items.some((i) => i.id === item.id));
        seen.add(item.id);
        if (!isNew) return;
        if (cached && !item.readAt) queryClient.setQueryData<NotificationGroups>(qk.notificationGroups, { ...cached, unread: cached.unread + 1 });
        void queryClient.invalidateQueries({ queryKey: qk.notifications });
        noteServerTimeAtLeast(Date.parse(item.createdAt));
        void queryClient.invalidateQueries({ queryKey: ['tickets'] });
        if (item.ticket) void queryClient.invalidateQueries({ queryKey: ['ticket', item.ticket.number] });
        onLiveRef.current(item);
      });
      es.onerror = () => {
        setConnected(false);
        // While CONNECTING the browser retries by itself; CLOSED means it gave up (401, 429, a non-stream answer).
        if (!es || es.readyState !== EventSource.CLOSED) return;
        es.close();
        failures++;
        retry = setTimeout(connect, Math.min(60_000, 2000 * 2 ** Math.min(failures, 5)));
      };
    };

    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      es?.close();
    };
  }, [queryClient]);
  return connected;
}

/** Marks notifications read (some, all, or one ticket's) and refreshes every notification view. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  return useCallback(
    async (target: number[] | 'all' | { ticketId: number }) => {
      const now = new Date().toISOString();
      const hit = (n: NotificationItem) => !n.readAt && (target === 'all' || (Array.isArray(target) ? target.includes(n.id) : n.ticket?.id === target.ticketId));
      queryClient.setQueryData<NotificationGroups>(qk.notificationGroups, (old) => {
        if (!old) return old;
        let marked = 0;
        const groups = old.groups.map((g) => {
          const items = g.items.map((n) => (hit(n) ? (marked++, { ...n, readAt: now }) : n));
          const whole = target === 'all' || (!Array.isArray(target) && g.ticket?.id === target.ticketId);
          return { ...g, items, unread: whole ? 0 : Math.max(0, g.unread - items.filter((n, i) => n !== g.items[i]).length) };
        });
        return { groups, unread: target === 'all' ? 0 : Math.max(0, old.unread - marked) };
      });
      try {
        const res = await notificationApi.markRead(target === 'all' ? { all: true } : Array.isArray(target) ? { ids: target } : { ticketId: target.ticketId });
        queryClient.setQueryData<NotificationGroups>(qk.notificationGroups, (old) => (old ? { ...old, unread: res.unread } : old));
      } finally {
        void queryClient.invalidateQueries({ queryKey: qk.notifications });
      }
    },
    [queryClient],
  );
}

export function kindStyle(kind: string) {
  return KIND_STYLE[kind] ?? FALLBACK_STYLE;
}

export function NotificationBell() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const toasts = useRef<number[]>([]);
  const list = useQuery({
    queryKey: qk.notificationGroups,
    queryFn: () => notificationApi.groups(GROUPS),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
  const unread = list.data?.unread ?? 0;
  const markRead = useMarkRead();

  const go = useCallback(
    (n: NotificationItem | null, ticket: NotificationTicket | null) => {
      setOpen(false);
      if (ticket) navigate(`/tickets/${ticket.number}`);
      else if (n?.kind === 'calendar_uncovered' && canViewAdminPage(user.role, 'calendars')) navigate('/admin/calendars');
      else if (n?.kind === 'daily_digest') navigate('/tickets');
      else if (n?.kind === 'low_stock' && typeof n.data.partId === 'number') navigate(`/parts/${n.data.partId}`);
    },
    [navigate, user.role],
  );
  const openItem = useCallback(
    (n: NotificationItem) => {
      if (!n.readAt) void markRead([n.id]).catch(() => {});
      go(n, n.ticket);
    },
    [go, markRead],
  );
  const openGroup = useCallback(
    (g: NotificationGroup) => {
      if (g.unread > 0) void markRead(g.ticket ? { ticketId: g.ticket.id } : g.items.map((i) => i.id)).catch(() => {});
      go(g.items[0] ?? null, g.ticket);
    },
    [go, markRead],
  );

  const live = useNotificationStream((n) => {
    const now = Date.now();
    toasts.current = toasts.current.filter((at) => now - at < TOAST_WINDOW_MS);
    toasts.current.push(now);
    if (toasts.current.length > TOAST_BURST + 1) return;
    if (toasts.current.length === TOAST_BURST + 1) {
      notification.info({ key: 'notify-burst', title: t('notify.more'), placement: 'topRight', duration: 4 });
      return;
    }
    const style = kindStyle(n.kind);
    const detail = notificationDetail(n, t);
    notification.open({
      key: `notify-${n.id}`,
      icon: <span style={{ color: style.color }}>{style.icon}</span>,
      title: notificationTitle(n, t),
      description: (
        <div data-testid="notify-toast">
          {n.ticket && (
            <div>
              <span className="ac-number">{n.ticket.number}</span> {n.ticket.title}
            </div>
          )}
          {detail && <div className="ac-hint">{detail}</div>}
        </div>
      ),
      placement: 'topRight',
      duration: 6,
      onClick: () => {
        notification.destroy(`notify-${n.id}`);
        openItem(n);
      },
      style: { cursor: n.ticket || n.kind === 'calendar_uncovered' || n.kind === 'low_stock' ? 'pointer' : undefined },
    });
  });

  const groups = list.data?.groups ?? [];
  const content = (
    <div className="ac-notify-panel" data-testid="notify-panel">
      <div className="ac-notify-head">
        <Typography.Text strong>{t('notify.title')}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} onClick={() => void markRead('all').catch(() => {})} data-testid="notify-read-all">
          {t('notify.readAll')}
        </Button>
      </div>
      <div className="ac-notify-list">
        {list.isLoading ? (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <Spin />
          </div>
        ) : list.isError ? (
          <Typography.Text type="danger" style={{ display: 'block', padding: 16 }}>
            {list.error.message}
          </Typography.Text>
        ) : groups.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} style={{ margin: '24px 0' }} />
        ) : (
          groups.map((g) =>
            g.ticket ? (
              <div key={g.key} className={`ac-notify-group${g.unread ? ' ac-unread' : ''}`} data-testid={`notify-group-${g.ticket.number}`}>
                <button type="button" className="ac-notify-group-head" onClick={() => openGroup(g)}>
                  <span className="ac-notify-ticket">
                    <span className="ac-number">{g.ticket.number}</span> {g.ticket.title}
                  </span>
                  {g.unread > 0 ? (
                    <Badge count={g.unread} size="small" color="#1668dc" aria-label={t('notify.groupUnread', { count: g.unread })} />
                  ) : (
                    g.count > 1 && <span className="ac-notify-time">{t('notify.groupCount', { count: g.count })}</span>
                  )}
                </button>
                {g.items.slice(0, GROUP_SHOWN).map((n) => (
                  <NotificationRow key={n.id} n={n} ticketNumber={g.ticket!.number} onOpen={openItem} compact />
                ))}
                {g.count > GROUP_SHOWN && (
                  <button type="button" className="ac-notify-more" onClick={() => { setOpen(false); navigate(`/notifications?ticket=${encodeURIComponent(g.ticket!.number)}`); }}>
                    {t('notify.groupMore', { count: g.count - GROUP_SHOWN })}
                  </button>
                )}
              </div>
            ) : (
              <NotificationRow key={g.key} n={g.items[0]} onOpen={openItem} />
            ),
          )
        )}
      </div>
      <div className="ac-notify-foot">
        <Link to="/settings/notifications" onClick={() => setOpen(false)} data-testid="notify-settings-link">
          <SettingOutlined /> {t('notify.settings')}
        </Link>
        <Link to="/notifications" onClick={() => setOpen(false)} data-testid="notify-all-link">
          {t('notify.viewAll')}
        </Link>
      </div>
    </div>
  );

  const label = unread > 0 ? t('notify.bellUnread', { count: unread }) : t('notify.title');
  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false} styles={{ container: { padding: 0 } }}>
      <Tooltip title={open ? undefined : label}>
        <span className="ac-bell">
          <Badge count={unread} overflowCount={99} size="small" offset={[-4, 4]}>
            <Button type="text" shape="circle" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={label} data-testid="bell" />
          </Badge>
          <span className="ac-sr-only" data-testid="bell-count" data-count={unread} data-live={live ? 'true' : 'false'} aria-live="polite">
            {unread}
          </span>
        </span>
      </Tooltip>
    </Popover>
  );
}

/** One notification: its kind, when, its ticket (unless shown by the group above it) and what happened. */
export function NotificationRow({ n, onOpen, ticketNumber, compact = false }: { n: NotificationItem; onOpen: (n: NotificationItem) => void; ticketNumber?: string; compact?: boolean }) {
  const { t } = useTranslation();
  const style = kindStyle(n.kind);
  const detail = notificationDetail(n, t);
  return (
    <button
      type="button"
      className={`ac-notify-item${n.readAt ? '' : ' ac-unread'}${compact ? ' ac-compact' : ''}`}
      onClick={() => onOpen(n)}
      data-testid={`notification-${n.id}`}
      data-kind={n.kind}
    >
      <span className="ac-notify-icon" style={{ color: style.color, background: `${style.color}14` }}>
        {style.icon}
      </span>
      <span className="ac-notify-body">
        <span className="ac-notify-title">
          <span>{notificationTitle(n, t)}</span>
          <span className="ac-notify-time">
            <DateTime value={n.createdAt} relative />
          </span>
        </span>
        {ticketNumber ? (
          <span className="ac-sr-only">{ticketNumber}</span>
        ) : (
          n.ticket && (
            <span className="ac-notify-ticket">
              <span className="ac-number">{n.ticket.number}</span> {n.ticket.title}
            </span>
          )
        )}
        {detail && <span className="ac-notify-detail">{detail}</span>}
      </span>
      {!n.readAt && <span className="ac-notify-dot" aria-label={t('notify.unread')} />}
    </button>
  );
}
