// One notification per ticket, event kind and sweeper pass: the clocks that warn or breach together on one ticket are
// listed in one entry instead of one entry each (three clocks about to breach = one "SLA warning" listing three). Pure.

export type ClockNoticeKind = 'sla_warning' | 'sla_breach' | 'follow_up_due';

export interface ClockEvent {
  kind: 'warning' | 'breach';
  clock: string;
  /** The clock's deadline, epoch ms. */
  dueAt: number;
}

export interface ClockNotice {
  kind: ClockNoticeKind;
  /** Earliest deadline first. */
  clocks: { clock: string; dueAt: number }[];
  /** Stable for the same events: a retried pass of the same ticket enqueues nothing new. */
  dedupeKey: string;
  /** The stored payload: every clock, and the earliest one as `clock` / `dueAt` for readers that show one. */
  data: { clock: string; dueAt: string; clocks: { clock: string; dueAt: string }[] };
}

/** The follow-up call is its own kind (it goes to other people); every other clock warns or breaches. */
export function clockNoticeKind(e: ClockEvent): ClockNoticeKind {
  if (e.clock === 'followUp') return 'follow_up_due';
  return e.kind === 'warning' ? 'sla_warning' : 'sla_breach';
}

/** Groups one ticket's clock events of one pass by notification kind, in the order warning, breach, follow-up. */
export function groupClockEvents(ticketId: number, events: readonly ClockEvent[]): ClockNotice[] {
  const order: ClockNoticeKind[] = ['sla_warning', 'sla_breach', 'follow_up_due'];
  const byKind = new Map<ClockNoticeKind, ClockEvent[]>();
  for (const e of events) {
    const k = clockNoticeKind(e);
    const list = byKind.get(k) ?? [];
    if (!list.some((x) => x.clock === e.clock)) list.push(e);
    byKind.set(k, list);
  }
  const out: ClockNotice[] = [];
  for (const kind of order) {
    const list = byKind.get(kind);
    if (!list?.length) continue;
    const clocks = [...list].sort((a, b) => a.dueAt - b.dueAt || a.clock.localeCompare(b.clock)).map((e) => ({ clock: e.clock, dueAt: e.dueAt }));
    const iso = clocks.map((c) => ({ clock: c.clock, dueAt: new Date(c.dueAt).toISOString() }));
    // The event kind as the sweeper names it ("warning" / "breach") keeps keys of single clocks as they were.
    const prefix = kind === 'sla_warning' || (kind === 'follow_up_due' && list[0].kind === 'warning') ? 'warning' : 'breach';
    out.push({
      kind,
      clocks,
      dedupeKey: `${prefix}:${ticketId}:${clocks.map((c) => `${c.clock}:${c.dueAt}`).join(',')}`,
      data: { clock: iso[0].clock, dueAt: iso[0].dueAt, clocks: iso },
    });
  }
  return out;
}
