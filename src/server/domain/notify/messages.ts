// What a notification says: kinds, the event shape stored in the outbox, and the Chinese-first texts for e-mail and
// chat robots. Pure: plain values in, strings out.

import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/enums.js';

export { NOTIFICATION_KINDS, type NotificationKind };

/** Kinds an outbox row may carry: every notification kind, plus the admin's "send a test" button. */
export type EventKind = NotificationKind | 'test';

export interface TicketSummary {
  id: number;
  number: string;
  title: string;
  priority: string;
  demand: string | null;
  status: string;
  /** The deadline the notification is about (epoch ms), if any. */
  dueAt?: number | null;
}

/** One logical event as stored in an outbox payload and rendered for every channel. */
export interface NotifyEvent {
  kind: EventKind;
  occurredAt: number;
  ticket: TicketSummary | null;
  data: Record<string, unknown>;
}

interface KindText {
  /** Short tag for chat robots: 【tag】 */
  tag: string;
  zh: string;
  en: string;
}

const KIND_TEXT: Record<EventKind, KindText> = {
  assigned: { tag: '新工单', zh: '已指派给您', en: 'assigned to you' },
  sla_warning: { tag: 'SLA 预警', zh: '即将超时', en: 'SLA warning' },
  sla_breach: { tag: 'SLA 超时', zh: '已超时', en: 'SLA breached' },
  escalated: { tag: '工单升级', zh: '已升级', en: 'escalated' },
  escalation_overdue: { tag: '升级未响应', zh: '升级后未及时响应', en: 'escalation not acknowledged in time' },
  review_requested: { tag: '待审核', zh: '待审核', en: 'review requested' },
  review_returned: { tag: '审核退回', zh: '审核被退回', en: 'returned by the reviewer' },
  customer_rejected: { tag: '客户不认可', zh: '客户不认可解决方案', en: 'solution rejected by the customer' },
  follow_up_due: { tag: '待回访', zh: '待回访', en: 'follow-up due' },
  calendar_uncovered: { tag: '日历缺失', zh: '工作日历缺少节假日数据', en: 'business calendar lacks holiday data' },
  subtask_assigned: { tag: '协办任务', zh: '有新的协办任务', en: 'sub-task assigned' },
  mentioned: { tag: '提及', zh: '有人提到了您', en: 'you were mentioned' },
  daily_digest: { tag: '每日摘要', zh: '每日摘要', en: 'daily digest' },
  second_review_requested: { tag: '二次复核', zh: '待二次复核', en: 'second review requested' },
  low_stock: { tag: '备件库存低', zh: '备件库存低于预警值', en: 'spare part stock below threshold' },
  inspection_due: { tag: '巡检提醒', zh: '巡检即将到期', en: 'inspection due soon' },
  inspection_overdue: { tag: '巡检逾期', zh: '巡检已逾期', en: 'inspection overdue' },
  test: { tag: '测试', zh: '测试消息', en: 'test message' },
};

const CLOCK_TEXT: Record<string, [string, string]> = {
  firstResponse: ['首次响应', 'first response'],
  startHandling: ['开始处理', 'start of handling'],
  firstSolution: ['首次方案', 'first solution'],
  resolve: ['解决', 'resolution'],
  nextUpdate: ['进展更新', 'next update'],
  followUp: ['回访', 'follow-up'],
  // The follow-up call a low satisfaction answer opens (modules/surveys/follow-ups.ts).
  surveyFollowUp: ['满意度回访', 'satisfaction follow-up'],
};

const STATUS_TEXT: Record<string, string> = {
  new: '新建',
  assigned: '已指派',
  in_progress: '处理中',
  waiting_customer: '等待客户',
  pending_review: '待审核',
  pending_confirmation: '待客户确认',
  closed: '已关闭',
  reopened: '已重开',
  cancelled: '已取消',
};

export function kindText(kind: string): KindText {
  return KIND_TEXT[kind as EventKind] ?? { tag: '通知', zh: '有新通知', en: 'notification' };
}

/** "2026-11-23 18:00" in China time (Asia/Shanghai has no daylight saving). */
export function formatChinaTime(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

export function ticketLink(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/tickets/${encodeURIComponent(number)}`;
}

/** The deadline the event is about: the ticket's, or one given in data (epoch ms or ISO string). */
export function eventDeadline(event: NotifyEvent): number | null {
  if (event.ticket?.dueAt != null) return event.ticket.dueAt;
  const d = event.data.dueAt;
  if (typeof d === 'number' && Number.isFinite(d)) return d;
  if (typeof d === 'string') {
    const ms = Date.parse(d);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function str(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function clockName(clock: string): string {
  return CLOCK_TEXT[clock] ? `${CLOCK_TEXT[clock][0]} (${CLOCK_TEXT[clock][1]})` : clock;
}

/** The clocks a grouped SLA notification lists (data.clocks), or the single data.clock. */
export function eventClocks(event: Pick<NotifyEvent, 'data'>): { clock: string; dueAt: number | null }[] {
  const list = event.data.clocks;
  if (Array.isArray(list)) {
    const out: { clock: string; dueAt: number | null }[] = [];
    for (const c of list) {
      if (!c || typeof c !== 'object') continue;
      const clock = str((c as Record<string, unknown>).clock);
      const due = (c as Record<string, unknown>).dueAt;
      const ms = typeof due === 'number' ? due : typeof due === 'string' ? Date.parse(due) : NaN;
      if (clock) out.push({ clock, dueAt: Number.isFinite(ms) ? ms : null });
    }
    if (out.length) return out;
  }
  const one = str(event.data.clock);
  return one ? [{ clock: one, dueAt: null }] : [];
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The daily digest: its scope, the last day's breaches and escalations, and what is open now. */
function digestLines(data: Record<string, unknown>): [string, string, string][] {
  const lines: [string, string, string][] = [];
  const dept = str(data.department);
  lines.push(['范围', 'Scope', dept ? dept : '全部部门 (all departments)']);
  const from = typeof data.from === 'string' ? Date.parse(data.from) : NaN;
  const to = typeof data.to === 'string' ? Date.parse(data.to) : NaN;
  if (Number.isFinite(from) && Number.isFinite(to)) lines.push(['统计区间', 'Period', `${formatChinaTime(from)} – ${formatChinaTime(to)}（北京时间 / China time）`]);
  lines.push(['新增超时', 'Breaches', `${num(data.breaches)}（${num(data.breachedTickets)} 张工单 / tickets）`]);
  lines.push(['升级', 'Escalations', String(num(data.escalations))]);
  const by = (data.openByPriority ?? {}) as Record<string, unknown>;
  lines.push(['未结工单', 'Open tickets', `${num(data.open)}（P1 ${num(by.P1)} · P2 ${num(by.P2)} · P3 ${num(by.P3)}）`]);
  lines.push(['已超时未结', 'Open and overdue', String(num(data.overdue))]);
  const top = Array.isArray(data.top) ? (data.top as Record<string, unknown>[]) : [];
  top.slice(0, 5).forEach((t, i) => {
    const number = str(t?.number);
    if (number) lines.push([`最久超时 ${i + 1}`, `Most overdue ${i + 1}`, `${str(t.priority) ?? ''} ${number} ${str(t.title) ?? ''}`.trim()]);
  });
  return lines;
}

/** Detail lines shared by every channel: [zh label, en label, value]. */
function detailLines(event: NotifyEvent): [string, string, string][] {
  if (event.kind === 'daily_digest') return digestLines(event.data);
  if (event.kind === 'low_stock') {
    const d = event.data;
    return [
      ['备件', 'Part', `${str(d.partCode) ?? ''} ${str(d.partName) ?? ''}`.trim()],
      ['库位', 'Location', str(d.locationName) ?? ''],
      ['可用 / 预警值', 'Available / threshold', `${str(d.available) ?? '0'} / ${str(d.threshold) ?? '0'}`],
    ];
  }
  const lines: [string, string, string][] = [];
  const t = event.ticket;
  if (t) {
    lines.push(['标题', 'Title', t.title]);
    lines.push(['优先级', 'Priority', t.priority]);
    if (t.demand) lines.push(['客户诉求', 'Demand', t.demand]);
  }
  const due = eventDeadline(event);
  if (due !== null) lines.push(['截止时间', 'Deadline', `${formatChinaTime(due)}（北京时间 / China time, UTC+8）`]);
  if (t) lines.push(['状态', 'Status', STATUS_TEXT[t.status] ? `${STATUS_TEXT[t.status]} (${t.status})` : t.status]);
  const clocks = eventClocks(event);
  if (clocks.length > 1) {
    // Several clocks in one notification: each with its own deadline, earliest first.
    const each = clocks.map((c) => `${clockName(c.clock)} ${c.dueAt !== null ? formatChinaTime(c.dueAt) : ''}`.trim());
    lines.push(['时限', 'Clocks', each.join('；')]);
  } else {
    const clock = str(event.data.clock);
    if (clock) lines.push(['时限', 'Clock', clockName(clock)]);
  }
  const level = str(event.data.level);
  if (level) lines.push(['升级级别', 'Escalation level', level]);
  const by = str(event.data.by) ?? str(event.data.byName);
  if (by) lines.push(['操作人', 'By', by]);
  const forWhom = Array.isArray(event.data.recipients) ? event.data.recipients.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  if (forWhom.length) lines.push(['提醒', 'For', forWhom.join('、')]);
  const note = str(event.data.note) ?? str(event.data.message);
  if (note) lines.push(['说明', 'Note', note.length > 500 ? `${note.slice(0, 500)}…` : note]);
  return lines;
}

/** 【SLA 超时】P1 工单 202611001 — the one-line headline of chat messages. */
export function headline(event: NotifyEvent): string {
  const k = kindText(event.kind);
  const t = event.ticket;
  const n = eventClocks(event).length;
  const many = n > 1 ? `（${n} 项时限）` : '';
  return t ? `【${k.tag}】${t.priority} 工单 ${t.number} ${k.zh}${many}` : `【${k.tag}】${k.zh}${many}`;
}

export interface MailContent {
  subject: string;
  text: string;
}

/** The e-mail: Chinese first, English below. */
export function renderMail(event: NotifyEvent, publicUrl: string): MailContent {
  const k = kindText(event.kind);
  const t = event.ticket;
  const n = eventClocks(event).length;
  const subject = t
    ? `[${t.priority}] 工单 ${t.number} ${k.zh}${n > 1 ? `（${n} 项时限）` : ''} / Ticket ${t.number}: ${k.en}${n > 1 ? ` (${n} clocks)` : ''}`
    : `【Aftercare】${k.zh} / ${k.en.charAt(0).toUpperCase()}${k.en.slice(1)}`;
  const lines = detailLines(event);
  const link = t ? ticketLink(publicUrl, t.number) : publicUrl.replace(/\/+$/, '');
  const zh = [t ? `工单 ${t.number} ${k.zh}` : k.zh, '', ...lines.map(([z, , v]) => `${z}：${v}`), '', `查看：${link}`];
  const en = [t ? `Ticket ${t.number}: ${k.en}` : k.en, '', ...lines.map(([, e, v]) => `${e}: ${v}`), '', `Open: ${link}`];
  const text = [...zh, '', '——', '', ...en, '', '— Aftercare 售后服务管理系统'].join('\n');
  return { subject, text };
}

/** Markdown for DingTalk and WeCom robots (both render this subset). */
export function renderMarkdown(event: NotifyEvent, publicUrl: string): { title: string; text: string } {
  const title = headline(event);
  const t = event.ticket;
  const out = [`#### ${title}`];
  if (t) out.push(`**${oneLine(t.title)}**`);
  out.push('');
  for (const [z, , v] of detailLines(event)) if (z !== '标题') out.push(`- ${z}：${oneLine(v)}`);
  if (t) out.push('', `[查看工单](${ticketLink(publicUrl, t.number)})`);
  return { title, text: out.join('\n') };
}

/** Plain text for Feishu's text message. */
export function renderPlain(event: NotifyEvent, publicUrl: string): string {
  const t = event.ticket;
  const out = [headline(event)];
  for (const [z, , v] of detailLines(event)) out.push(`${z}：${v}`);
  if (t) out.push(ticketLink(publicUrl, t.number));
  return out.join('\n');
}

/** Robots render a small markdown subset without backslash escapes: keep user text on one line. */
function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ');
}
