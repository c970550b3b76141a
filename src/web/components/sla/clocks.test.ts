import { describe, expect, it } from 'vitest';
import type { SlaClockView, TicketSla } from '../../api/types.js';
import { countdownText, formatDuration, liveClockState, owedImprovement, queueCountdown } from './clocks.js';

const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

function clock(p: Partial<SlaClockView> & Pick<SlaClockView, 'clock'>): SlaClockView {
  return { target: null, dueAt: iso(T0 + 60 * MIN), warnAt: iso(T0 + 48 * MIN), metAt: null, state: 'ok', ...p };
}
function sla(clocks: SlaClockView[], p: Partial<TicketSla> = {}): TicketSla {
  const running = clocks.filter((c) => c.metAt === null && ['ok', 'warning'].includes(c.state)).map((c) => Date.parse(c.dueAt));
  return { policyId: 1, policyName: 'P1', paused: false, nextDueAt: running.length ? iso(Math.min(...running)) : null, clocks, uncoveredYears: [], ...p };
}
// A stand-in for i18next's t: the key and its options, so the tests don't depend on the wording.
const t = (key: string, o?: Record<string, unknown>) => `${key}${o ? JSON.stringify(o) : ''}`;

describe('liveClockState', () => {
  it('turns amber at warnAt and red after dueAt, by the browser clock', () => {
    const c = clock({ clock: 'startHandling' });
    expect(liveClockState(c, T0)).toBe('ok');
    expect(liveClockState(c, T0 + 48 * MIN)).toBe('warning');
    expect(liveClockState(c, T0 + 60 * MIN)).toBe('warning'); // due at the instant is still in time
    expect(liveClockState(c, T0 + 60 * MIN + 1)).toBe('breached');
  });
  it('never shows less than the server said (its clock may be ahead)', () => {
    expect(liveClockState(clock({ clock: 'resolve', state: 'breached' }), T0)).toBe('breached');
    expect(liveClockState(clock({ clock: 'resolve', state: 'warning' }), T0)).toBe('warning');
  });
  it('keeps the server state of met, paused and stopped clocks', () => {
    expect(liveClockState(clock({ clock: 'firstResponse', metAt: iso(T0), state: 'met' }), T0 + 999 * MIN)).toBe('met');
    expect(liveClockState(clock({ clock: 'firstResponse', metAt: iso(T0), state: 'breached' }), T0)).toBe('breached');
    expect(liveClockState(clock({ clock: 'resolve', state: 'paused' }), T0 + 999 * MIN)).toBe('paused');
  });
});

describe('queueCountdown', () => {
  it('counts down the clock due at nextDueAt', () => {
    const s = sla([clock({ clock: 'firstSolution', dueAt: iso(T0 + 600 * MIN) }), clock({ clock: 'startHandling', dueAt: iso(T0 + 10 * MIN), warnAt: iso(T0 - MIN) })]);
    expect(queueCountdown(s, T0)).toMatchObject({ clock: 'startHandling', state: 'warning', remainingMs: 10 * MIN });
  });
  it('stays red on an overdue clock although the server moved nextDueAt on to the next one', () => {
    const s = sla([clock({ clock: 'firstSolution', dueAt: iso(T0 + 600 * MIN) }), clock({ clock: 'startHandling', dueAt: iso(T0 - 5 * MIN), state: 'breached' })]);
    expect(s.nextDueAt).toBe(iso(T0 + 600 * MIN));
    expect(queueCountdown(s, T0)).toMatchObject({ clock: 'startHandling', state: 'breached', remainingMs: -5 * MIN });
  });
  it('ignores clocks already met, late or not', () => {
    const s = sla([clock({ clock: 'firstResponse', dueAt: iso(T0 - 99 * MIN), metAt: iso(T0 - MIN), state: 'breached' }), clock({ clock: 'startHandling' })]);
    expect(queueCountdown(s, T0)).toMatchObject({ clock: 'startHandling', state: 'ok' });
  });
  it('is grey while the ticket waits for the customer', () => {
    const s = sla([clock({ clock: 'startHandling', state: 'paused' })], { paused: true, nextDueAt: null });
    expect(queueCountdown(s, T0 + 999 * MIN)).toMatchObject({ clock: 'startHandling', state: 'paused' });
  });
  it('shows nothing without a policy or running clock', () => {
    expect(queueCountdown(null, T0)).toBeNull();
    expect(queueCountdown(sla([clock({ clock: 'resolve', metAt: iso(T0), state: 'met' })]), T0)).toBeNull();
  });
});

describe('queueCountdown: the improvement plan of a reopened ticket', () => {
  const metAll = sla([clock({ clock: 'resolve', metAt: iso(T0 - 60 * MIN), state: 'met' })], { nextDueAt: iso(T0 + 24 * 60 * MIN) });
  it('counts it down when no clock runs, and turns red once it is late', () => {
    expect(queueCountdown(metAll, T0, iso(T0 + 24 * 60 * MIN))).toMatchObject({ clock: 'improvement', state: 'ok', remainingMs: 24 * 60 * MIN });
    expect(queueCountdown(metAll, T0 + 25 * 60 * MIN, iso(T0 + 24 * 60 * MIN))).toMatchObject({ clock: 'improvement', state: 'breached', remainingMs: -60 * MIN });
    expect(queueCountdown(null, T0, iso(T0 + 60 * MIN))).toMatchObject({ clock: 'improvement', state: 'ok' });
  });
  it('yields to a running clock due sooner, and wins over one due later', () => {
    const sooner = sla([clock({ clock: 'nextUpdate', dueAt: iso(T0 + 30 * MIN) })]);
    expect(queueCountdown(sooner, T0, iso(T0 + 24 * 60 * MIN))).toMatchObject({ clock: 'nextUpdate' });
    const later = sla([clock({ clock: 'resolve', dueAt: iso(T0 + 48 * 60 * MIN) })], { nextDueAt: iso(T0 + 24 * 60 * MIN) });
    expect(queueCountdown(later, T0, iso(T0 + 24 * 60 * MIN))).toMatchObject({ clock: 'improvement', state: 'ok' });
  });
  it('is owed only while the ticket is being reworked', () => {
    const due = iso(T0);
    expect(owedImprovement({ status: 'reopened', improvementDueAt: due })).toBe(due);
    expect(owedImprovement({ status: 'in_progress', improvementDueAt: due })).toBe(due);
    expect(owedImprovement({ status: 'pending_review', improvementDueAt: due })).toBeNull();
    expect(owedImprovement({ status: 'closed', improvementDueAt: due })).toBeNull();
    expect(owedImprovement({ status: 'reopened', improvementDueAt: null })).toBeNull();
  });
});

describe('formatDuration / countdownText', () => {
  it('uses the two largest units', () => {
    expect(formatDuration((2 * 60 + 15) * MIN + 30_000, t)).toBe('sla.duration.hm{"h":2,"m":15}');
    expect(formatDuration(-(26 * 60) * MIN, t)).toBe('sla.duration.dh{"d":1,"h":2}');
    expect(formatDuration(5 * MIN + 7000, t)).toBe('sla.duration.ms{"m":5,"s":"07"}');
    expect(formatDuration(42_000, t)).toBe('sla.duration.s{"s":42}');
  });
  it('says overdue by how much, or left', () => {
    expect(countdownText('breached', -(2 * 60 + 15) * MIN, t)).toBe('sla.overdueBy{"duration":"sla.duration.hm{\\"h\\":2,\\"m\\":15}"}');
    expect(countdownText('warning', 42_000, t)).toBe('sla.remaining{"duration":"sla.duration.s{\\"s\\":42}"}');
    expect(countdownText('breached', 1000, t)).toBe('sla.state.breached');
    expect(countdownText('paused', 1000, t)).toBe('sla.state.paused');
  });
});
