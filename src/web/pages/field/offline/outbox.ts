// The field page's outbox (离线使用): what the engineer did while the phone had no network — step presses, photos,
// later the signature and parts used — kept as requests to send once it is back. Pure queue logic: what to send next,
// what an answer means, the back-off, the retry of a conflicted item and the visit as the engineer sees it with the
// queued steps applied. Storage (IndexedDB) is store.ts, the sending sync.ts.
import { nextSteps, type Visit, type VisitStep } from '../../../api/visits.js';

export type FormPart = { name: string; value: string } | { name: string; blob: Blob; filename: string };
export type QueuedBody = { kind: 'json'; value: Record<string, unknown> } | { kind: 'form'; parts: FormPart[] };

/** What the item is, for the page (the request itself is generic). */
export type ItemMeta =
  | { visitId: number; kind: 'step'; step: VisitStep; at: string }
  | { visitId: number; kind: 'photo'; filename: string; at: string }
  /** The customer's signature: records the 'signed' step on the server. */
  | { visitId: number; kind: 'signature'; at: string }
  | { visitId: number; kind: 'parts'; label: string; at: string }
  | { visitId: number; kind: 'other'; label: string; at: string };

/**
 * pending: waiting to be sent (maybe after a back-off); conflict: the server refused it because the visit changed
 * meanwhile (409); rejected: refused for another reason (4xx). Both problem states keep the item — and hold the later
 * items of its group — until the engineer retries or discards it.
 */
export type ItemState = 'pending' | 'conflict' | 'rejected';

export interface QueuedRequest {
  /** Also the Idempotency-Key: a replay of the same item can never be recorded twice. */
  id: string;
  /** Queueing order; items of one group are sent in this order. */
  seq: number;
  /** Whose: only the signed-in user's items are shown and sent. */
  userId: number;
  /** Items of one group go in order, and a problem holds the group's later items (a visit's steps). */
  group: string;
  method: 'POST' | 'PUT' | 'PATCH';
  /** Path under /api. */
  url: string;
  body: QueuedBody;
  /** The version the request was made against, sent as the body's `version`; a retry moves it to the server's. */
  version?: number;
  meta: ItemMeta;
  state: ItemState;
  attempts: number;
  nextAttemptAt: number;
  problem?: { status: number; code: string; message: string };
}

export type Outcome = 'done' | 'retry' | 'conflict' | 'rejected' | 'signed_out';

/** What an HTTP answer means for a queued request (status 0: no answer — the network). */
export function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 401) return 'signed_out';
  if (status === 409) return 'conflict';
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** Back-off after `attempts` failed tries: 2 s, 4 s, 8 s … at most a minute, with up to 20 % jitter (`rand` in [0, 1)). */
export function backoffMs(attempts: number, rand = 0): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(1, attempts));
  return Math.round(base * (1 + 0.2 * rand));
}

const byOrder = (a: QueuedRequest, b: QueuedRequest) => a.seq - b.seq;

/**
 * The item to send now: the first of its group still queued, in queueing order over all groups, not waiting for a
 * back-off and not behind a problem in its group. Undefined when nothing may go now.
 */
export function nextToSend(items: readonly QueuedRequest[], now: number): QueuedRequest | undefined {
  const seen = new Set<string>();
  for (const item of [...items].sort(byOrder)) {
    if (seen.has(item.group)) continue;
    seen.add(item.group);
    if (item.state === 'pending' && item.nextAttemptAt <= now) return item;
  }
  return undefined;
}

/** When the next back-off ends (undefined: nothing is waiting for one). */
export function nextWake(items: readonly QueuedRequest[], now: number): number | undefined {
  const waits = items.filter((i) => i.state === 'pending' && i.nextAttemptAt > now).map((i) => i.nextAttemptAt);
  return waits.length ? Math.min(...waits) : undefined;
}

/** The item after a failed attempt. */
export function afterFailure(item: QueuedRequest, outcome: Exclude<Outcome, 'done'>, now: number, problem?: QueuedRequest['problem'], rand = 0): QueuedRequest {
  if (outcome === 'conflict' || outcome === 'rejected') return { ...item, state: outcome, attempts: item.attempts + 1, problem };
  const attempts = item.attempts + 1;
  return { ...item, state: 'pending', attempts, nextAttemptAt: now + backoffMs(attempts, rand), problem: outcome === 'retry' ? item.problem : problem };
}

/**
 * The engineer retries a problem item: queued again at once. With the server's current version of the visit, the
 * item and the later items of its group that carry a version move by the same distance (they were made against the
 * visit as the phone knew it; the engineer has now seen what the server has).
 */
export function retryItem(items: readonly QueuedRequest[], id: string, serverVersion?: number): QueuedRequest[] {
  const target = items.find((i) => i.id === id);
  if (!target) return [...items];
  const delta = serverVersion !== undefined && target.version !== undefined ? serverVersion - target.version : 0;
  return items.map((i) => {
    if (i.group !== target.group || i.seq < target.seq) return i;
    const moved = delta !== 0 && i.version !== undefined ? { ...i, version: i.version + delta } : i;
    return i.id === id ? { ...moved, state: 'pending' as const, attempts: 0, nextAttemptAt: 0, problem: undefined } : moved;
  });
}

/** The body as sent: JSON gets the item's version. */
export function jsonBody(item: QueuedRequest): Record<string, unknown> | undefined {
  if (item.body.kind !== 'json') return undefined;
  return item.version === undefined ? item.body.value : { ...item.body.value, version: item.version };
}

/**
 * The visit as the engineer sees it: the server's, with the step presses (and a signature: 'signed') still queued
 * applied on top in order — status, the step's pressed time and the version the next press is made against.
 */
export function overlay(visit: Visit, items: readonly QueuedRequest[]): Visit {
  let v = visit;
  for (const item of [...items].sort(byOrder)) {
    if (item.meta.visitId !== visit.id || item.state !== 'pending') continue;
    const step = item.meta.kind === 'step' ? item.meta.step : item.meta.kind === 'signature' ? 'signed' : null;
    if (!step) continue;
    if (!nextSteps(v).includes(step)) continue; // the server has it already (or it cannot follow): not applied again
    v = { ...v, status: step, steps: { ...v.steps, [step]: item.meta.at }, version: (item.version ?? v.version) + 1 };
  }
  return v;
}
