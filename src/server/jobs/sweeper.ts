// The sweeper: one loop that fires due SLA warnings and breaches, escalations, missed progress updates and due
// follow-ups (all found through the indexed tickets.sla_check_at), then delivers the outbox.
//
// Exactly once, on any number of nodes: a ticket is claimed with FOR UPDATE SKIP LOCKED (PostgreSQL) or inside the
// single writer (SQLite), its fired events are recorded as flag bits in the same transaction, and its next check
// time moves past them — so a second pass, here or on another node, finds nothing left to fire.
import type { SlaClock } from '../domain/sla/policy.js';
import { groupClockEvents } from '../domain/notify/grouping.js';
import { computeSlaColumns, sweepTicket, type SweepAction } from '../domain/sla/ticket-clocks.js';
import { slaInputOf } from '../modules/sla/service.js';
import type { TicketWithCustomer } from '../modules/tickets/repo.js';
import { selectTicketWithCustomer } from '../modules/tickets/repo.js';
import type { NotificationInput } from '../modules/tickets/core.js';
import type { Services } from '../services.js';

// Small batches keep each transaction short: on SQLite the sweeper shares the single writer with ticket creates, and
// a batch holds the server thread (better-sqlite3 is synchronous). A batch claims up to BATCH due tickets and stops
// handling them once BATCH_BUDGET_MS have passed (at least one each time); the rest stay due and come first in the
// next batch. At about 1 ms per due ticket plus the COMMIT, a batch then holds the thread for some 25 ms, not 50+.
const BATCH = 50;
const BATCH_BUDGET_MS = 20;
/** A pass's bound; what is left is due at the next pass. */
const MAX_TICKETS_PER_PASS = 10_000;

/** A turn of the event loop: what arrived meanwhile (requests, their writes) is served before the pass goes on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SweepReport {
  tickets: number;
  actions: number;
  delivered: number;
  /** Transactions of due tickets (at most BATCH each), with a turn of the event loop between them. */
  batches: number;
}

export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly s: Services) {}

  /** One pass at `now`; safe to call concurrently with other nodes. */
  async runOnce(now = this.s.ctx.clock.now()): Promise<SweepReport> {
    // Deadlines a migration left to recompute (0009: targets with units) first, so that this pass fires on the new ones.
    await this.s.slaAdmin.recomputePending();
    const report: SweepReport = { ...(await this.sweepDue(now)), delivered: 0 };
    // The follow-up calls (回访) opened by low survey answers have their own clock (modules/surveys/follow-ups.ts).
    await this.s.surveys.followUps.sweep(now);
    await this.warnUncoveredCalendars(now);
    await this.sweepFieldService(now);
    await this.s.notify.runDigests(now).catch((err) => this.s.ctx.log.error({ err }, 'daily digest failed'));
    const delivery = await this.s.notify.deliverDue(now);
    report.delivered = delivery.delivered;
    return report;
  }

  /** The tickets' due warnings, breaches and escalations only (no calendar check, digest or delivery). */
  async sweepDue(now: number): Promise<{ tickets: number; actions: number; batches: number }> {
    const report = { tickets: 0, actions: 0, batches: 0 };
    for (let i = 0; report.tickets < MAX_TICKETS_PER_PASS; i++) {
      // The first pass after downtime finds thousands of due tickets: on SQLite a batch holds the server thread
      // (better-sqlite3 is synchronous), so the pass lets the requests that came in meanwhile through before the next
      // one, whatever the database layer does (the group commit happens to wait for a turn, PostgreSQL for its IO).
      if (i > 0) await nextTurn();
      const { claimed, tickets, actions } = await this.sweepBatch(now);
      report.batches++;
      report.tickets += tickets;
      report.actions += actions;
      // Fewer due than a batch, all handled: nothing is left.
      if (claimed < BATCH && tickets === claimed) break;
    }
    return report;
  }

  private async sweepBatch(now: number): Promise<{ claimed: number; tickets: number; actions: number }> {
    const { tickets: ticketsService, sla, resolution } = this.s;
    const pg = this.s.ctx.db.dialect === 'postgres';
    return ticketsService.tx(async (trx, notified) => {
      let q = selectTicketWithCustomer(trx).where('tickets.sla_check_at', '<=', now).orderBy('tickets.sla_check_at').limit(BATCH);
      // Other nodes skip the rows this one holds, and take the next ones instead.
      if (pg) q = q.forUpdate('tickets').skipLocked();
      const rows = (await q.execute()) as TicketWithCustomer[];
      let actions = 0;
      let handled = 0;
      const started = performance.now();
      for (const row of rows) {
        if (handled > 0 && performance.now() - started > BATCH_BUDGET_MS) break;
        handled++;
        const plan = await sla.planById(row.sla_policy_id, trx);
        if (!plan) {
          await trx.updateTable('tickets').set({ sla_check_at: null }).where('id', '=', row.id).execute();
          continue;
        }
        const input = slaInputOf(row);
        const columns = computeSlaColumns(plan.policy, plan.calendar, input);
        const result = sweepTicket(input, columns, plan.escalation, plan.calendar, now);
        const escalation = result.actions.find((a): a is Extract<SweepAction, { kind: 'escalate' }> => a.kind === 'escalate');
        const clockEvents = result.actions.filter((a): a is Extract<SweepAction, { kind: 'warning' | 'breach' }> => a.kind !== 'escalate');
        actions += result.actions.length;
        const stakeholders = await ticketsService.stakeholders(trx, row);
        // One entry per kind for the clocks that fell due together (three warnings = one warning listing three).
        const notify: (Omit<NotificationInput, 'ticket'> & { ticket?: NotificationInput['ticket'] })[] = groupClockEvents(row.id, clockEvents).map((n) => ({
          userIds: n.kind === 'follow_up_due' ? [row.assignee_id, row.created_by].filter((x): x is number => x !== null) : n.kind === 'sla_warning' ? (row.assignee_id ? [row.assignee_id] : stakeholders) : stakeholders,
          kind: n.kind,
          data: n.data,
          dedupeKey: n.dedupeKey,
        }));
        // The flags and timeline entries land first; an escalation then raises the level on the updated row.
        const updated = await ticketsService.applyChange(
          trx,
          null,
          row,
          {
            set: {},
            sla: escalation ? { ...result.next, escalationLevel: input.escalationLevel, escalateAt: input.escalateAt, escalationAckDueAt: input.escalationAckDueAt } : result.next,
            keepVersion: true,
            events: clockEvents.map((a) => ({
              kind: a.kind === 'warning' ? 'sla_warning' : 'sla_breach',
              data: { details: { clock: a.clock, dueAt: new Date(a.dueAt).toISOString(), policy: plan.row.name } },
            })),
            notify,
          },
          notified,
        );
        if (escalation) {
          const reason = escalation.reason === 'breach' ? `SLA breach: ${escalation.clock ?? ''}`.trim() : 'Escalation not acknowledged in time';
          await resolution.escalateRow(trx, null, { ...row, ...updated } as TicketWithCustomer, escalation.level, reason, (escalation.clock as SlaClock | undefined) ?? null, notified);
        }
        // Never loop on a ticket: whatever is due now has been handled.
        const after = await trx.selectFrom('tickets').select('sla_check_at').where('id', '=', row.id).executeTakeFirst();
        if (after?.sla_check_at !== null && after?.sla_check_at !== undefined && after.sla_check_at <= now) {
          await trx.updateTable('tickets').set({ sla_check_at: now + 60_000 }).where('id', '=', row.id).execute();
        }
      }
      return { claimed: rows.length, tickets: handled, actions };
    });
  }

  private lastCoverageCheck = -Infinity;
  private lastFieldCheck = -Infinity;

  /**
   * Inspection plans (their tickets, reminders, overdue notices), care reminders and repeat-repair links (issue 16):
   * at most once a minute per node — each is a scan, and each acts once however many nodes run it (unique keys and
   * guarded updates in their modules).
   */
  private async sweepFieldService(now: number) {
    if (now - this.lastFieldCheck < 60_000 && now >= this.lastFieldCheck) return;
    this.lastFieldCheck = now;
    const log = (what: string) => (err: unknown) => this.s.ctx.log.error({ err }, `${what} failed`);
    await this.s.inspectionSweep.sweep(now).catch(log('inspection sweep'));
    await this.s.careReminders.sweep(now).catch(log('care reminders'));
    await this.s.repeatRepairs.sweep(now).catch(log('repeat-repair links'));
  }

  /** At most hourly: tell the admins about years without holiday data (deduplicated per calendar and year). */
  private async warnUncoveredCalendars(now: number) {
    if (now - this.lastCoverageCheck < 3600_000 && now >= this.lastCoverageCheck) return;
    this.lastCoverageCheck = now;
    const missing = await this.s.slaAdmin.coverageWarnings(now);
    if (missing.length === 0) return;
    const admins = (await this.s.ctx.db.read.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).execute()).map((u) => u.id);
    const notified = await this.s.ctx.db.write(async (trx) => {
      const ids = new Set<number>();
      for (const m of missing) {
        for (const id of await this.s.notify.enqueue(trx, { userIds: admins, kind: 'calendar_uncovered', data: m, dedupeKey: `calendar_uncovered:${m.calendarId}:${m.year}` })) ids.add(id);
      }
      return [...ids];
    });
    if (notified.length) this.s.notify.publish(notified);
  }

  /** Runs a pass every `seconds`; passes never overlap on one node. */
  start(seconds: number) {
    if (seconds <= 0) return;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runOnce().catch((err) => this.s.ctx.log.error({ err }, 'sweeper pass failed'));
      await this.running;
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), seconds * 1000);
    };
    this.timer = setTimeout(() => void tick(), 1000);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
