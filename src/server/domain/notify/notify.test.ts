// Unit tests of the notification domain: webhook requests and signatures (known vectors, recomputed independently with
// WebCrypto), robot answers, back-off, and the texts.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  buildWebhookRequest,
  chinaDay,
  chinaInstant,
  defaultPrefs,
  eventClocks,
  groupClockEvents,
  kindsFor,
  resolvePrefs,
  dingtalkSign,
  feishuSign,
  formatChinaTime,
  genericSignature,
  judgeWebhookResponse,
  MAX_DELIVERY_ATTEMPTS,
  renderMail,
  retryDelay,
  truncateError,
  type NotifyEvent,
} from './index.js';

const subtle = crypto.webcrypto.subtle;
async function hmacWeb(key: string, message: string): Promise<Buffer> {
  const k = await subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await subtle.sign('HMAC', k, new TextEncoder().encode(message)));
}

const NOW = Date.parse('2026-11-23T02:00:00.000Z');
const event: NotifyEvent = {
  kind: 'sla_breach',
  occurredAt: NOW,
  ticket: { id: 7, number: '202611001', title: '客厅空调不制冷', priority: 'P1', demand: '48小时内上门维修', status: 'in_progress', dueAt: Date.parse('2026-11-23T10:00:00.000Z') },
  data: { clock: 'resolve' },
};
const delivery = { deliveryId: '42', event, publicUrl: 'https://aftercare.example.cn/', now: NOW };

describe('webhook signatures', () => {
  it('signs generic webhooks with HMAC-SHA256 of the raw body (RFC 4231 test case 2)', () => {
    expect(genericSignature('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('generic: JSON body with event, delivery id, ticket and data, and headers a receiver can verify', async () => {
    const req = buildWebhookRequest({ kind: 'generic', url: 'https://hooks.example.com/in', secret: 's3cr3t' }, delivery);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://hooks.example.com/in');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['x-aftercare-event']).toBe('sla_breach');
    expect(req.headers['x-aftercare-delivery']).toBe('42');
    const expected = `sha256=${(await hmacWeb('s3cr3t', req.body)).toString('hex')}`;
    expect(req.headers['x-aftercare-signature']).toBe(expected);
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      event: 'sla_breach',
      deliveryId: '42',
      occurredAt: '2026-11-23T02:00:00.000Z',
      ticket: {
        id: 7,
        number: '202611001',
        title: '客厅空调不制冷',
        priority: 'P1',
        demand: '48小时内上门维修',
        status: 'in_progress',
        dueAt: '2026-11-23T10:00:00.000Z',
        url: 'https://aftercare.example.cn/tickets/202611001',
      },
      data: { clock: 'resolve' },
    });
    const unsigned = buildWebhookRequest({ kind: 'generic', url: 'https://hooks.example.com/in', secret: null }, delivery);
    expect(unsigned.headers['x-aftercare-signature']).toBeUndefined();
  });

  it('dingtalk: markdown message and timestamp + URL-encoded base64 sign of "timestamp\\nsecret"', async () => {
    const secret = 'SEC0123456789abcdef';
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
    const req = buildWebhookRequest({ kind: 'dingtalk', url, secret }, delivery);
    const expected = (await hmacWeb(secret, `${NOW}\n${secret}`)).toString('base64');
    expect(dingtalkSign(secret, NOW)).toBe(expected);
    const u = new URL(req.url);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(u.searchParams.get('timestamp')).toBe(String(NOW));
    expect(u.searchParams.get('sign')).toBe(expected);
    expect(req.url).toBe(`${url}&timestamp=${NOW}&sign=${encodeURIComponent(expected)}`);
    expect(req.url).not.toMatch(/sign=.*[+/=]/);
    const body = JSON.parse(req.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('【SLA 超时】P1 工单 202611001 已超时');
    expect(body.markdown.text).toContain('客厅空调不制冷');
    expect(body.markdown.text).toContain('48小时内上门维修');
    expect(body.markdown.text).toContain('2026-11-23 18:00');
    expect(body.markdown.text).toContain('https://aftercare.example.cn/tickets/202611001');
    // No secret: the URL is left alone.
    expect(buildWebhookRequest({ kind: 'dingtalk', url, secret: null }, delivery).url).toBe(url);
  });

  it('wecom: markdown content, no signing', () => {
    const req = buildWebhookRequest({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: null }, delivery);
    const body = JSON.parse(req.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('【SLA 超时】P1 工单 202611001');
    expect(body.markdown.content).toContain('时限：解决');
  });

  it('feishu: text message with timestamp in seconds and sign = HMAC keyed by "timestamp\\nsecret" over nothing', async () => {
    const secret = 'feishu-secret';
    const req = buildWebhookRequest({ kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret }, delivery);
    const body = JSON.parse(req.body);
    const ts = Math.floor(NOW / 1000);
    expect(body.timestamp).toBe(String(ts));
    const expected = (await hmacWeb(`${ts}\n${secret}`, '')).toString('base64');
    expect(body.sign).toBe(expected);
    expect(feishuSign(secret, ts)).toBe(expected);
    expect(body.msg_type).toBe('text');
    expect(body.content.text).toMatch(/^【SLA 超时】P1 工单 202611001/);
    const unsigned = JSON.parse(buildWebhookRequest({ kind: 'feishu', url: 'https://open.feishu.cn/x', secret: null }, delivery).body);
    expect(unsigned.sign).toBeUndefined();
    expect(unsigned.timestamp).toBeUndefined();
  });
});

describe('webhook answers', () => {
  it('treats non-2xx as failure everywhere', () => {
    expect(judgeWebhookResponse('generic', 204, '')).toEqual({ ok: true });
    expect(judgeWebhookResponse('generic', 500, 'boom').ok).toBe(false);
    expect(judgeWebhookResponse('dingtalk', 502, '').ok).toBe(false);
  });

  it('reads the robots’ own error codes in an HTTP 200', () => {
    expect(judgeWebhookResponse('dingtalk', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    const bad = judgeWebhookResponse('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}');
    expect(bad).toEqual({ ok: false, error: 'dingtalk error 310000: sign not match' });
    expect(judgeWebhookResponse('wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url"}').ok).toBe(false);
    expect(judgeWebhookResponse('wecom', 200, '{"errcode":0,"errmsg":"ok"}').ok).toBe(true);
    expect(judgeWebhookResponse('feishu', 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}').ok).toBe(false);
    expect(judgeWebhookResponse('feishu', 200, '{"code":0,"msg":"success","data":{}}').ok).toBe(true);
    expect(judgeWebhookResponse('feishu', 200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}').ok).toBe(true);
    expect(judgeWebhookResponse('dingtalk', 200, '<html>proxy</html>').ok).toBe(false);
  });
});

describe('back-off', () => {
  it('waits 30 s, 2 min, 10 min, 1 h, … at most 6 h, and gives up after the last attempt', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9].map(retryDelay)).toEqual([30_000, 120_000, 600_000, 3_600_000, 10_800_000, 21_600_000, 21_600_000, 21_600_000]);
    expect(afterFailure(1, NOW)).toEqual({ failed: false, nextAttemptAt: NOW + 30_000 });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS - 1, NOW).failed).toBe(false);
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS, NOW)).toEqual({ failed: true });
    expect(MAX_DELIVERY_ATTEMPTS).toBe(10);
  });

  it('keeps stored errors short and on one line', () => {
    const e = truncateError(`line1\n${'x'.repeat(2000)}`);
    expect(e.length).toBe(500);
    expect(e).not.toContain('\n');
  });
});

describe('texts', () => {
  it('formats deadlines in China time', () => {
    expect(formatChinaTime(Date.parse('2026-11-23T10:00:00.000Z'))).toBe('2026-11-23 18:00');
    expect(formatChinaTime(Date.parse('2026-12-31T16:30:00.000Z'))).toBe('2027-01-01 00:30');
  });

  it('writes the e-mail in Chinese with English below: number, title, priority, demand, deadline and link', () => {
    const mail = renderMail({ ...event, kind: 'sla_warning' }, 'http://localhost:3000');
    expect(mail.subject).toBe('[P1] 工单 202611001 即将超时 / Ticket 202611001: SLA warning');
    const zhEnd = mail.text.indexOf('——');
    const zh = mail.text.slice(0, zhEnd);
    const en = mail.text.slice(zhEnd);
    for (const s of ['202611001', '客厅空调不制冷', 'P1', '48小时内上门维修', '2026-11-23 18:00', 'http://localhost:3000/tickets/202611001']) {
      expect(zh).toContain(s);
      expect(en).toContain(s);
    }
    expect(zh).toContain('截止时间：');
    expect(en).toContain('Deadline: ');
    const noTicket = renderMail({ kind: 'calendar_uncovered', occurredAt: NOW, ticket: null, data: { note: '2027 年节假日尚未录入' } }, 'http://localhost:3000');
    expect(noTicket.subject).toBe('【Aftercare】工作日历缺少节假日数据 / Business calendar lacks holiday data');
    expect(noTicket.text).toContain('2027 年节假日尚未录入');
  });
});

describe('grouped SLA notifications', () => {
  it('one notice per kind listing its clocks, earliest first, with a key stable across retries', () => {
    const events = [
      { kind: 'warning' as const, clock: 'resolve', dueAt: 3000 },
      { kind: 'warning' as const, clock: 'firstResponse', dueAt: 1000 },
      { kind: 'breach' as const, clock: 'startHandling', dueAt: 500 },
      { kind: 'warning' as const, clock: 'followUp', dueAt: 9000 },
      { kind: 'warning' as const, clock: 'startHandling', dueAt: 2000 },
    ];
    const notices = groupClockEvents(7, events);
    expect(notices.map((n) => n.kind)).toEqual(['sla_warning', 'sla_breach', 'follow_up_due']);
    expect(notices[0].clocks.map((c) => c.clock)).toEqual(['firstResponse', 'startHandling', 'resolve']);
    expect(notices[0].data).toMatchObject({ clock: 'firstResponse', dueAt: new Date(1000).toISOString() });
    expect(notices[0].dedupeKey).toBe('warning:7:firstResponse:1000,startHandling:2000,resolve:3000');
    expect(groupClockEvents(7, [...events].reverse())[0].dedupeKey).toBe(notices[0].dedupeKey);
    // A single clock keeps the key it always had.
    expect(groupClockEvents(7, [events[2]])[0].dedupeKey).toBe('breach:7:startHandling:500');
    expect(groupClockEvents(7, [])).toEqual([]);
  });

  it('renders every clock of a grouped notice in mail and robot texts', () => {
    const grouped: NotifyEvent = {
      ...event,
      kind: 'sla_warning',
      data: { clock: 'firstResponse', clocks: [{ clock: 'firstResponse', dueAt: '2026-11-23T10:00:00.000Z' }, { clock: 'resolve', dueAt: '2026-11-24T10:00:00.000Z' }] },
    };
    const mail = renderMail(grouped, 'https://aftercare.example.cn');
    expect(mail.subject).toContain('（2 项时限）');
    expect(mail.subject).toContain('(2 clocks)');
    expect(mail.text).toContain('首次响应 (first response) 2026-11-23 18:00；解决 (resolution) 2026-11-24 18:00');
    expect(eventClocks(grouped)).toHaveLength(2);
    expect(eventClocks(event)).toEqual([{ clock: 'resolve', dueAt: null }]);
  });
});

describe('notification preferences', () => {
  it('role defaults: in-app for all, e-mail where it matters, robots off, the digest only for managers and directors', () => {
    const engineer = defaultPrefs('engineer');
    expect(engineer.kinds.assigned).toEqual(['in_app', 'email']);
    expect(engineer.kinds.sla_warning).toEqual(['in_app']);
    expect(engineer.kinds.daily_digest).toEqual([]);
    expect(defaultPrefs('manager').kinds.daily_digest).toEqual(['in_app', 'email']);
    expect(defaultPrefs('director').kinds.escalation_overdue).toEqual(['in_app', 'email']);
    for (const role of ['agent', 'supervisor', 'manager', 'director', 'qa', 'admin']) {
      expect(Object.values(defaultPrefs(role).kinds).some((c) => c.includes('robot'))).toBe(false);
    }
    expect(kindsFor('engineer')).not.toContain('daily_digest');
    expect(kindsFor('director')).toContain('daily_digest');
  });

  it('stored choices override the defaults per kind; unknown channels and bad JSON are ignored', () => {
    const stored = JSON.stringify({ kinds: { sla_breach: [], assigned: ['robot', 'pager'], daily_digest: ['email'] }, digestTime: '18:00' });
    const p = resolvePrefs('engineer', stored);
    expect(p.kinds.sla_breach).toEqual([]);
    expect(p.kinds.assigned).toEqual(['robot']);
    expect(p.kinds.daily_digest).toEqual([]); // not offered to an engineer
    expect(p.kinds.mentioned).toEqual(['in_app', 'email']);
    expect(p.digestTime).toBe('18:00');
    expect(resolvePrefs('engineer', '{nope')).toEqual(defaultPrefs('engineer'));
    expect(resolvePrefs('manager', JSON.stringify({ digestTime: '24:00' })).digestTime).toBe('08:30');
  });

  it('China local day and time of an instant', () => {
    expect(chinaDay(Date.parse('2026-11-24T16:30:00.000Z'))).toEqual({ day: '2026-11-25', minute: 30 });
    expect(chinaInstant('2026-11-25', '08:30')).toBe(Date.parse('2026-11-25T00:30:00.000Z'));
  });
});
