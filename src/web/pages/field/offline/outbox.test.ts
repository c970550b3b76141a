// The field page's outbox logic: order within a group, problems holding their group, what an answer means, back-off,
// retrying a conflicted item against the server's version, and the visit with queued steps applied.
import { describe, expect, it } from 'vitest';
import type { Visit, VisitStep } from '../../../api/visits.js';
import { afterFailure, backoffMs, classify, jsonBody, nextToSend, nextWake, overlay, retryItem, type QueuedRequest } from './outbox.js';

let seq = 0;
function item(over: Partial<QueuedRequest> & { step?: VisitStep } = {}): QueuedRequest {
  seq += 1;
  const { step = 'accepted', ...rest } = over;
  return {
    id: `k${seq}`,
    seq,
    userId: 7,
    group: 'visit:1',
    method: 'POST',
    url: '/visits/1/steps',
    body: { kind: 'json', value: { step, at: `2026-11-23T02:0${seq % 10}:00.000Z` } },
    version: 1,
    meta: { visitId: 1, kind: 'step', step, at: `2026-11-23T02:0${seq % 10}:00.000Z` },
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    ...rest,
  };
}

const visit = (over: Partial<Visit> = {}): Visit =>
  ({
    id: 1,
    status: 'booked',
    version: 1,
    steps: { accepted: null, departed: null, arrived: null, work_done: null, signed: null, charged: null, left: null },
    ...over,
  }) as Visit;

describe('field outbox', () => {
  it('classifies answers: 2xx done, no answer / 5xx / 429 retried, 409 conflict, other 4xx rejected, 401 signed out', () => {
    expect([200, 201].map(classify)).toEqual(['done', 'done']);
    expect([0, 500, 503, 507, 429, 408].map(classify)).toEqual(Array(6).fill('retry'));
    expect(classify(409)).toBe('conflict');
    expect([400, 404, 413, 415].map(classify)).toEqual(Array(4).fill('rejected'));
    expect(classify(401)).toBe('signed_out');
  });

  it('backs off 2 s, 4 s, 8 s … up to a minute, with bounded jitter', () => {
    expect([1, 2, 3].map((n) => backoffMs(n))).toEqual([2000, 4000, 8000]);
    expect(backoffMs(20)).toBe(60_000);
    expect(backoffMs(1, 0.999)).toBeLessThan(2400 + 1);
  });

  it('sends in queueing order, the first of each group only, and skips a group behind a problem or a back-off', () => {
    const a1 = item({ step: 'accepted' });
    const a2 = item({ step: 'departed', version: 2 });
    const photo = item({ group: 'visit:1:files', meta: { visitId: 1, kind: 'photo', filename: 'a.jpg', at: '' } });
    expect(nextToSend([photo, a2, a1], 0)?.id).toBe(a1.id);
    const conflicted = { ...a1, state: 'conflict' as const };
    expect(nextToSend([conflicted, a2, photo], 0)?.id).toBe(photo.id); // a2 is held behind a1, the photo goes
    const waiting = { ...a1, nextAttemptAt: 5000 };
    expect(nextToSend([waiting, a2], 1000)).toBeUndefined();
    expect(nextWake([waiting, a2], 1000)).toBe(5000);
    expect(nextToSend([waiting, a2], 5000)?.id).toBe(a1.id);
  });

  it('keeps a failed item: a network failure waits for a back-off, a conflict keeps the server problem', () => {
    const a = item();
    const net = afterFailure(a, 'retry', 1000, { status: 0, code: 'network', message: '' });
    expect(net).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: 3000 });
    const c = afterFailure(net, 'conflict', 2000, { status: 409, code: 'stale_version', message: 'changed' });
    expect(c).toMatchObject({ state: 'conflict', problem: { code: 'stale_version' } });
  });

  it('a retry sends the item again against the server version, moving the held items after it by as much', () => {
    const a1 = { ...item({ step: 'departed', version: 2 }), state: 'conflict' as const };
    const a2 = item({ step: 'arrived', version: 3 });
    const other = item({ group: 'visit:2', version: 9 });
    const next = retryItem([a1, a2, other], a1.id, 4);
    expect(next[0]).toMatchObject({ state: 'pending', version: 4, attempts: 0, problem: undefined });
    expect(next[1].version).toBe(5);
    expect(next[2]).toBe(other);
    expect(jsonBody(next[0])).toMatchObject({ step: 'departed', version: 4 });
  });

  it('shows queued steps on the visit in order, with their pressed times and the version the next press is made against', () => {
    const a1 = item({ step: 'accepted', version: 1 });
    const a2 = item({ step: 'departed', version: 2 });
    const v = overlay(visit(), [a2, a1]);
    expect(v).toMatchObject({ status: 'departed', version: 3, steps: { accepted: a1.meta.at, departed: a2.meta.at } });
    // The server has the first already (the answer came, the item is gone or still pending): not applied twice.
    const server = visit({ status: 'accepted', version: 2, steps: { ...visit().steps, accepted: '2026-11-23T02:00:00.000Z' } });
    expect(overlay(server, [a1, a2])).toMatchObject({ status: 'departed', version: 3, steps: { accepted: '2026-11-23T02:00:00.000Z' } });
    // A conflicted press is not shown as done.
    expect(overlay(visit(), [{ ...a1, state: 'conflict' }, a2]).status).toBe('booked');
  });
});

describe('field requests', () => {
  it('queues a signature in the steps group, shown as the signed step with its time', async () => {
    const { fieldRequests } = await import('./requests.js');
    const at = '2026-11-23T03:00:00.000Z';
    const sig = fieldRequests.signature({ id: 1 }, new Blob(['png']), at);
    expect(sig).toMatchObject({ group: 'visit:1', url: `/visits/1/signature?at=${encodeURIComponent(at)}`, meta: { kind: 'signature' } });
    const done = visit({ status: 'work_done', version: 5 });
    const item: QueuedRequest = { ...sig, id: 's', seq: 1, userId: 7, state: 'pending', attempts: 0, nextAttemptAt: 0 };
    expect(overlay(done, [item])).toMatchObject({ status: 'signed', version: 6, steps: { signed: at } });
    const parts = fieldRequests.partsUsed({ id: 1 }, { partId: 3, qty: 1 }, 'AC-CAP-35 ×1', at);
    expect(parts).toMatchObject({ group: 'visit:1', url: '/visits/1/parts-used', body: { kind: 'json', value: { partId: 3, qty: 1 } } });
  });
});
