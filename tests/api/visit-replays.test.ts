// The engineer's phone replays what it queued offline (issue 16, 离线使用): a step press carries the time it was
// pressed (bounded: not in the future, not before the booking, never before the previous step), and steps and photos
// carry an Idempotency-Key, so a replay or a retry after a lost answer records the step once and attaches the photo once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Beijing
const MIN = 60_000;
const bj = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2026, 10, day, hh - 8, mm)).toISOString();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

function multipart(filename: string, content: Buffer) {
  const boundary = '----aftercare' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(TEST_DIALECTS)('offline replays of visit steps and photos on %s', (dialect) => {
  let t: TestApp;
  let number: string;
  let visitId: number;

  beforeAll(async () => {
    // Customer messages are set up (e-mail), so a departure queues 'on the way'; nothing is delivered in these tests.
    t = await createTestApp({ dialect, config: { smtpUrl: 'smtp://127.0.0.1:9', mailFrom: 'Aftercare <service@aftercare.test>' } });
    t.clock.set(MONDAY_10);
    await t.db.write((trx) => trx.updateTable('customers').set({ email: 'zhang.wei@example.com', email_lower: 'zhang.wei@example.com' }).where('id', '=', t.customers.own).execute());
    const res = await t.as.agent.post('/api/tickets', { title: '洗衣机漏水', description: '滚筒下方漏水，需要上门', customerId: t.customers.own, priority: 'P3', departmentId: t.departments.tech_support });
    expect(res.statusCode, res.body).toBe(201);
    number = res.json().number;
    await t.as.agent.post(`/api/tickets/${number}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排上门' });
    const v = await t.as.dispatcher.post(`/api/tickets/${number}/visits`, { engineerId: t.as.engineer.userId, windowStart: bj(23, 14), windowEnd: bj(23, 16), address: '上海市徐汇区漕溪北路 88 号 5 楼', parts: [] });
    expect(v.statusCode, v.body).toBe(201);
    visitId = v.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const step = (body: Record<string, unknown>, key?: string, lang = 'zh-CN') => t.as.engineer.post(`/api/visits/${visitId}/steps`, body, { 'accept-language': lang, ...(key ? { 'idempotency-key': key } : {}) });
  const stepEvents = async () => ((await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string; details: Record<string, unknown> }[]).filter((e) => e.kind === 'visit_step');

  it('records a step at the time it was pressed and answers a replay with the same key without recording it again', async () => {
    t.clock.set(MONDAY_10 + 30 * MIN);
    const pressed = new Date(MONDAY_10 + 5 * MIN).toISOString();
    const first = await step({ step: 'accepted', version: 1, at: pressed }, 'press-accepted-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'accepted', version: 2, steps: { accepted: pressed } });
    // The answer was lost; the phone sends the same press again (with the version it had then).
    const replay = await step({ step: 'accepted', version: 1, at: pressed }, 'press-accepted-1');
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toMatchObject({ status: 'accepted', version: 2, steps: { accepted: pressed } });
    const events = await stepEvents();
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ step: 'accepted', pressedAt: pressed });
    // Without a key the same press is a second attempt at a recorded step: refused, as before.
    expect((await step({ step: 'accepted', version: 2 })).statusCode).toBe(409);
  });

  it('refuses a time in the future or before the booking with a translated message, and keeps steps in order', async () => {
    const now = MONDAY_10 + 30 * MIN;
    const future = await step({ step: 'departed', version: 2, at: new Date(now + 10 * MIN).toISOString() }, 'press-departed-future', 'en');
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.at).toBe("The time is more than 5 minutes ahead of the server; check the phone's clock");
    const early = await step({ step: 'departed', version: 2, at: new Date(MONDAY_10 - 60 * MIN).toISOString() }, 'press-departed-early');
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields.at).toBe('记录时间早于预约创建时间，请检查手机时间');
    // A refused press did not use its key up: the same key with a sane time records it.
    const lagging = await step({ step: 'departed', version: 2, at: new Date(MONDAY_10 + 2 * MIN).toISOString() }, 'press-departed-early');
    expect(lagging.statusCode, lagging.body).toBe(200);
    // Pressed (by the phone's lagging clock) before the step recorded before it: recorded at that step's time.
    expect(lagging.json().steps.departed).toBe(new Date(MONDAY_10 + 5 * MIN).toISOString());
    // A little ahead of the server (phone clock fast, within 5 minutes): recorded at the server's now.
    const ahead = await step({ step: 'arrived', version: 3, at: new Date(now + 2 * MIN).toISOString() }, 'press-arrived');
    expect(ahead.statusCode, ahead.body).toBe(200);
    expect(ahead.json().steps.arrived).toBe(new Date(now).toISOString());
  });

  it('does not tell the customer the engineer is on the way when the departure is replayed long after', async () => {
    const told = async (id: number) => (await t.db.read.selectFrom('customer_messages').select('id').where('event', '=', 'engineer_on_the_way').where('dedupe_key', 'like', `%visit:${id}%`).execute()).length;
    const departAt = async (hour: number, pressedAgo: number) => {
      const res = await t.as.agent.post('/api/tickets', { title: '冰箱不制冷', description: '冷藏室温度高', customerId: t.customers.own, priority: 'P3', departmentId: t.departments.tech_support });
      const n = res.json().number as string;
      await t.as.agent.post(`/api/tickets/${n}/subtasks`, { departmentId: t.departments.logistics, ownerId: t.as.dispatcher.userId, title: '安排上门' });
      const v = (await t.as.dispatcher.post(`/api/tickets/${n}/visits`, { engineerId: t.as.engineer.userId, windowStart: bj(25, hour), windowEnd: bj(25, hour + 1), address: '上海市徐汇区漕溪北路 90 号', parts: [] })).json();
      const now = t.clock.now() + 90 * MIN; // the engineer comes back online an hour and a half after the booking
      t.clock.set(now);
      const post = (body: Record<string, unknown>, key: string) => t.as.engineer.post(`/api/visits/${v.id}/steps`, body, { 'idempotency-key': key });
      expect((await post({ step: 'accepted', version: 1, at: new Date(now - pressedAgo - MIN).toISOString() }, `acc-${v.id}`)).statusCode).toBe(200);
      expect((await post({ step: 'departed', version: 2, at: new Date(now - pressedAgo).toISOString() }, `dep-${v.id}`)).statusCode).toBe(200);
      return v.id as number;
    };
    expect(await told(await departAt(9, 60 * MIN))).toBe(0);
    expect(await told(await departAt(12, 2 * MIN))).toBe(1);
  });

  const upload = (key: string | undefined, filename = '现场-漏水点.png') => {
    const m = multipart(filename, PNG);
    return t.app.inject({
      method: 'POST',
      url: `/api/tickets/${number}/attachments?internal=true`,
      headers: { authorization: `Bearer ${t.as.engineer.token}`, 'content-type': m.contentType, ...(key ? { 'idempotency-key': key } : {}) },
      payload: m.payload,
    });
  };

  it('attaches a photo once however often the upload is replayed with its key (also two at once)', async () => {
    const first = await upload('photo-1');
    expect(first.statusCode, first.body).toBe(201);
    const again = await upload('photo-1');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const [a, b] = await Promise.all([upload('photo-2', 'b.png'), upload('photo-2', 'b.png')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    const list = (await t.as.engineer.get(`/api/tickets/${number}/attachments`)).json().items as { filename: string }[];
    expect(list.filter((f) => f.filename === '现场-漏水点.png')).toHaveLength(1);
    expect(list.filter((f) => f.filename === 'b.png')).toHaveLength(1);
    const events = ((await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string }[]).filter((e) => e.kind === 'attachment');
    expect(events).toHaveLength(2);
    // Keys are per user: another user's upload with the same key is their own file.
    const m = multipart('agent.png', PNG);
    const other = await t.app.inject({ method: 'POST', url: `/api/tickets/${number}/attachments`, headers: { authorization: `Bearer ${t.as.agent.token}`, 'content-type': m.contentType, 'idempotency-key': 'photo-1' }, payload: m.payload });
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
    const bad = await upload('bad key with spaces');
    expect(bad.statusCode).toBe(400);
  });

  const multipartTo = (url: string, key: string | undefined, filename: string) => {
    const m = multipart(filename, PNG);
    return t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.as.engineer.token}`, 'content-type': m.contentType, ...(key ? { 'idempotency-key': key } : {}) }, payload: m.payload });
  };

  it("answers a replayed visit photo and signature with the file they made (also after leaving), the signature at the time it was signed", async () => {
    const now = t.clock.now();
    const photo = await multipartTo(`/api/visits/${visitId}/photos`, 'visit-photo-1', '更换密封圈后.png');
    expect(photo.statusCode, photo.body).toBe(201);
    const v = (await t.as.engineer.get(`/api/visits/${visitId}`)).json();
    const done = await step({ step: 'work_done', version: v.version, at: new Date(now - 5 * MIN).toISOString() }, 'press-done');
    expect(done.statusCode, done.body).toBe(200);
    const signedAt = new Date(now - 2 * MIN).toISOString();
    const sig = await multipartTo(`/api/visits/${visitId}/signature?at=${encodeURIComponent(signedAt)}`, 'signature-1', 'sig.png');
    expect(sig.statusCode, sig.body).toBe(201);
    const signed = (await t.as.engineer.get(`/api/visits/${visitId}`)).json();
    expect(signed.steps.signed).toBe(signedAt);
    // The signature's answer was lost: the same key answers the same file instead of 'already signed'.
    const sigAgain = await multipartTo(`/api/visits/${visitId}/signature?at=${encodeURIComponent(signedAt)}`, 'signature-1', 'sig.png');
    expect(sigAgain.statusCode, sigAgain.body).toBe(201);
    expect(sigAgain.json().id).toBe(sig.json().id);
    expect((await multipartTo(`/api/visits/${visitId}/signature`, 'signature-2', 'sig.png')).statusCode).toBe(409);
    const left = await step({ step: 'left', version: signed.version }, 'press-left');
    expect(left.statusCode, left.body).toBe(200);
    // The photo's answer was lost too and it comes again after the engineer left: the same photo, not "not on site".
    const photoAgain = await multipartTo(`/api/visits/${visitId}/photos`, 'visit-photo-1', '更换密封圈后.png');
    expect(photoAgain.statusCode, photoAgain.body).toBe(201);
    expect(photoAgain.json().id).toBe(photo.json().id);
    expect((await multipartTo(`/api/visits/${visitId}/photos`, 'visit-photo-2', 'late.png')).statusCode).toBe(409);
    const files = (await t.as.engineer.get(`/api/tickets/${number}/attachments`)).json().items as { filename: string }[];
    expect(files.filter((f) => f.filename === '更换密封圈后.png')).toHaveLength(1);
    expect(files.filter((f) => f.filename.startsWith('signature-visit-'))).toHaveLength(1);
  });
});
