// Locale completeness: both languages have the same keys, every enum value has a label, and every literal key used
// in the web source exists. Runs under Vitest (import.meta.glob is provided by Vite).
import { describe, expect, it } from 'vitest';
import {
  CLOCK_STATES,
  CHANNELS,
  CUSTOMER_KINDS,
  CUSTOMER_TIERS,
  EVENT_KINDS,
  FAULT_CLASSES,
  PRIORITIES,
  ROLES,
  SERVICE_TYPES,
  SLA_CLOCK_NAMES,
  TICKET_SORTS,
  TICKET_STATUSES,
} from '../../shared/enums.js';
import { MESSAGE_CHANNELS, MESSAGE_EVENTS, MESSAGE_STATUSES } from '../../shared/message-vocab.js';
import { SUBTASK_STATUSES } from '../../shared/schemas.js';
import { NOTIFICATION_KINDS, WEBHOOK_KINDS } from '../api/vocab.js';
import { ADMIN_PAGES } from './adminAccess.js';
import { VIEWS } from '../pages/tickets/queueParams.js';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** Keys with plural suffixes stripped: `a_one`, `a_other` and `a` all count as `a`. */
const baseKeys = (m: Map<string, string>) => new Set([...m.keys()].map((k) => k.replace(PLURAL, '')));

const locales = { 'zh-CN': flatten(zhCN as Tree), en: flatten(en as Tree) };

describe('locales', () => {
  it('have the same keys in zh-CN and en', () => {
    const zh = baseKeys(locales['zh-CN']);
    const e = baseKeys(locales.en);
    expect([...zh].filter((k) => !e.has(k))).toEqual([]);
    expect([...e].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('label every enum value', () => {
    const needed: string[] = [
      ...TICKET_STATUSES.flatMap((s) => [`status.${s}`, `transition.${s}`]),
      ...PRIORITIES.flatMap((p) => [`priority.${p}`, `priorityHint.${p}`]),
      ...CHANNELS.map((c) => `channel.${c}`),
      ...SERVICE_TYPES.map((s) => `serviceType.${s}`),
      ...FAULT_CLASSES.map((f) => `faultClass.${f}`),
      ...CUSTOMER_TIERS.map((x) => `tier.${x}`),
      ...CUSTOMER_KINDS.map((x) => `customerKind.${x}`),
      ...ROLES.map((r) => `role.${r}`),
      ...TICKET_SORTS.map((s) => `queue.sort.${s}`),
      ...EVENT_KINDS.map((k) => `timeline.kind.${k}`),
      ...VIEWS.flatMap((v) => [`queue.views.${v}`, `queue.empty.${v}`]),
      ...SLA_CLOCK_NAMES.map((c) => `sla.clock.${c}`),
      ...CLOCK_STATES.map((s) => `sla.state.${s}`),
      ...NOTIFICATION_KINDS.map((k) => `notify.kind.${k}`),
      ...WEBHOOK_KINDS.flatMap((k) => [`admin.hooks.kinds.${k}`, `admin.hooks.urlHint.${k}`, `admin.hooks.secretHint.${k}`]),
      ...ADMIN_PAGES.map((p) => `nav.admin.${p}`),
      ...SUBTASK_STATUSES.map((s) => `subtasks.status.${s}`),
      ...MESSAGE_EVENTS.map((e) => `messages.event.${e}`),
      ...MESSAGE_CHANNELS.map((c) => `messages.channel.${c}`),
      ...MESSAGE_STATUSES.map((s) => `ticketMessages.status.${s}`),
      ...(['submit_solution', 'review', 'confirm', 'escalate', 'acknowledge', 'follow_up'] as const).flatMap((a) => [`actions.${a}.button`, `actions.${a}.title`, `actions.${a}.done`]),
      ...['first', 'second'].map((s) => `actions.review.stage.${s}`),
      ...(['none', 'round_robin', 'least_loaded', 'skill'] as const).flatMap((s) => [`admin.routing.strategies.${s}`, `admin.routing.strategyHint.${s}`, `timeline.routed.strategy.${s}`]),
      ...['0', '1', '2', '3', '4', '5', '6'].flatMap((d) => [`admin.cal.weekday.${d}`, `admin.cal.weekdayShort.${d}`]),
      ...['china', 'custom', 'always'].map((k) => `admin.cal.kinds.${k}`),
      ...['holiday', 'workday'].map((k) => `admin.cal.dayKind.${k}`),
      ...['date', 'kind', 'duplicate'].map((r) => `admin.cal.reason.${r}`),
    ];
    for (const [lang, m] of Object.entries(locales)) {
      const keys = baseKeys(m);
      expect(needed.filter((k) => !keys.has(k)), lang).toEqual([]);
    }
  });

  it('contain every literal key used in the source', () => {
    const sources = import.meta.glob(['../**/*.tsx', '../**/*.ts', '!../**/*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const [lang, m] of Object.entries(locales)) {
      const keys = baseKeys(m);
      expect([...used].filter((k) => !keys.has(k)), lang).toEqual([]);
    }
  });

  it('have no empty strings', () => {
    for (const [lang, m] of Object.entries(locales)) {
      expect([...m].filter(([, v]) => !v.trim()).map(([k]) => k), lang).toEqual([]);
    }
  });
});
