// Messages to customers over SMS (Aliyun, Tencent Cloud, a generic gateway) and WeChat template messages, each
// against a local stub that checks what the real provider checks (signatures, keys, tokens, required fields): a wrong
// secret is refused by the stub, the outbox tries again later and records the provider's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { startAliyunStub, startGenericSmsStub, startTencentStub, startWechatStub, type AliyunStub, type GenericSmsStub, type TencentStub, type WechatStub } from './message-stubs.js';

describe.each(TEST_DIALECTS)('customer message channels (%s)', (dialect) => {
  let t: TestApp;
  let aliyun: AliyunStub;
  let tencent: TencentStub;
  let generic: GenericSmsStub;
  let wechat: WechatStub;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const now = () => t.clock.now();
    aliyun = await startAliyunStub({ accessKeyId: 'LTAI5tTestKeyId', secret: 'aliyun-secret-OK' }, now);
    tencent = await startTencentStub({ secretId: 'AKIDtestSecretId', secretKey: 'tencent-secret-OK' }, now);
    generic = await startGenericSmsStub('generic-secret-OK');
    wechat = await startWechatStub({ appId: 'wx1234567890abcdef', secret: 'wechat-secret-OK' });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([aliyun, tencent, generic, wechat].map((s) => s?.close()));
  });

  const deliver = () => t.services.notify.deliverDue(t.clock.now());
  const channels = async (body: Record<string, unknown>) => {
    const res = await t.as.admin.patch('/api/admin/message-channels', body);
    expect(res.statusCode, res.body).toBe(200);
  };
  /** A ticket for the other customer, who has a phone and no e-mail address. */
  const create = async () => {
    const res = await t.as.agent.post('/api/tickets', { title: '热水器不出热水', description: '开机后一直是冷水', customerId: t.customers.other, priority: 'P3' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { number: string; id: number; version: number };
  };
  const message = (ticketId: number) => t.db.read.selectFrom('customer_messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').executeTakeFirstOrThrow();

  it('Aliyun SendSms: signed as documented, the template code and named parameters; a wrong secret is refused, retried and recorded', async () => {
    await channels({
      sms: { provider: 'aliyun', endpoint: aliyun.url, accessKeyId: 'LTAI5tTestKeyId', secret: 'wrong-secret', signName: '售后服务', templateCodes: { ticket_registered: 'SMS_100001', login_code: 'SMS_100000' } },
    });
    const tk = await create();
    let m = await message(tk.id);
    expect(m).toMatchObject({ channel: 'sms', target: '13987654321', event: 'ticket_registered', status: 'queued' });

    expect((await deliver()).failed).toBe(1);
    m = await message(tk.id);
    expect(m.status).toBe('queued');
    expect(m.attempts).toBe(1);
    expect(m.last_error).toContain('SignatureDoesNotMatch');
    expect(aliyun.sent).toHaveLength(0);

    await channels({ sms: { secret: 'aliyun-secret-OK' } });
    t.clock.advance(31_000);
    expect((await deliver()).delivered).toBe(1);
    expect(aliyun.sent).toHaveLength(1);
    const sent = aliyun.sent[0];
    expect(sent).toMatchObject({ phone: '13987654321', templateCode: 'SMS_100001', signName: '售后服务' });
    expect(sent.params).toMatchObject({ customerName: '李娜', number: tk.number, title: '热水器不出热水' });
    expect(sent.params.link).toMatch(/^http:\/\/localhost:3000\/portal\/t\//);
    expect(Object.keys(sent.params).some((k) => k.startsWith('__'))).toBe(false);
    m = await message(tk.id);
    expect(m).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    // The stub refuses a replayed request (same nonce): each attempt is signed afresh.
    expect(new Set(aliyun.requests.map((r) => new URLSearchParams(r.body).get('SignatureNonce'))).size).toBe(aliyun.requests.length);

    // A sign-in code by SMS: the code goes as a template parameter.
    await t.db.write((trx) => t.services.messages.sendLoginCode(trx, { channel: 'sms', target: '+86 139-8765-4321', code: '246810', locale: 'zh-CN' }));
    await deliver();
    expect(aliyun.sent[1]).toMatchObject({ phone: '13987654321', templateCode: 'SMS_100000', params: { code: '246810', minutes: '10' } });
  });

  it('an event without a provider template code waits (recorded), and is sent once the admin adds it', async () => {
    const tk = await create();
    const res = await t.as.supervisor.patch(`/api/tickets/${tk.number}`, { departmentId: t.departments.tech_support, assigneeId: t.as.engineer.userId, version: tk.version });
    expect(res.statusCode).toBe(200);
    await deliver();
    const assigned = await t.db.read.selectFrom('customer_messages').selectAll().where('ticket_id', '=', tk.id).where('event', '=', 'ticket_assigned').executeTakeFirstOrThrow();
    expect(assigned.status).toBe('queued');
    expect(assigned.last_error).toContain('no aliyun template code for ticket_assigned');
    await channels({ sms: { templateCodes: { ticket_registered: 'SMS_100001', login_code: 'SMS_100000', ticket_assigned: 'SMS_100002' } } });
    t.clock.advance(31_000);
    await deliver();
    expect(aliyun.sent.at(-1)).toMatchObject({ templateCode: 'SMS_100002', params: { engineerName: 't_engineer', number: tk.number } });
    // A courtesy message: the unsubscribe link goes as a parameter too.
    expect(aliyun.sent.at(-1)!.params.unsubscribeLink).toMatch(/\/portal\/unsubscribe\//);
  });

  it('Tencent Cloud SendSms: TC3-HMAC-SHA256 as documented, parameters in the order the template uses them; a wrong key is refused and retried', async () => {
    await channels({
      sms: { provider: 'tencent', endpoint: tencent.url, accessKeyId: 'AKIDtestSecretId', secret: 'not-the-key', signName: '售后服务', appId: '1400006666', region: 'ap-guangzhou', templateCodes: { ticket_registered: '449739' } },
    });
    const tk = await create();
    expect((await deliver()).failed).toBeGreaterThanOrEqual(1);
    let m = await message(tk.id);
    expect(m.last_error).toContain('AuthFailure.SignatureFailure');
    expect(tencent.sent).toHaveLength(0);

    await channels({ sms: { secret: 'tencent-secret-OK' } });
    t.clock.advance(31_000);
    await deliver();
    m = await message(tk.id);
    expect(m.status).toBe('sent');
    expect(tencent.sent).toHaveLength(1);
    // The zh-CN SMS template reads "…编号{{number}}，查看进度：{{link}}": {1} is the number, {2} the link.
    expect(tencent.sent[0]).toMatchObject({ phones: ['+8613987654321'], templateId: '449739', appId: '1400006666', signName: '售后服务' });
    expect(tencent.sent[0].params[0]).toBe(tk.number);
    expect(tencent.sent[0].params[1]).toMatch(/\/portal\/t\//);
  });

  it('the generic gateway gets our signed JSON with the rendered text', async () => {
    await channels({ sms: { provider: 'generic', endpoint: generic.url, secret: 'generic-secret-OK' } });
    const tk = await create();
    await deliver();
    expect((await message(tk.id)).status).toBe('sent');
    const sent = generic.sent.at(-1)!;
    expect(sent).toMatchObject({ to: '13987654321', event: 'ticket_registered' });
    expect(sent.text).toContain(`已受理您的服务请求，编号${tk.number}`);
  });

  it('WeChat template messages to a bound customer: token fetched with appid and secret, cached, fetched again when expired', async () => {
    await t.db.write((trx) => trx.updateTable('customers').set({ wechat_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }).where('id', '=', t.customers.other).execute());
    await channels({ sms: { provider: 'none' }, wechat: { enabled: true, apiBase: wechat.url, appId: 'wx1234567890abcdef', secret: 'bad-secret', templateIds: { ticket_registered: 'TPL_REGISTERED', staff_reply: 'TPL_REPLY' } } });
    try {
      const tk = await create();
      let m = await message(tk.id);
      expect(m).toMatchObject({ channel: 'wechat', target: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
      await deliver();
      m = await message(tk.id);
      expect(m.status).toBe('queued');
      expect(m.last_error).toContain('40001');

      await channels({ wechat: { secret: 'wechat-secret-OK' } });
      t.clock.advance(31_000);
      await deliver();
      expect((await message(tk.id)).status).toBe('sent');
      expect(wechat.sent).toHaveLength(1);
      expect(wechat.sent[0]).toMatchObject({ touser: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', template_id: 'TPL_REGISTERED', data: { keyword1: { value: tk.number }, keyword2: { value: '热水器不出热水' } } });
      expect(wechat.sent[0].url).toMatch(/\/portal\/t\//);

      await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '师傅明天上午到。', internal: false });
      await deliver();
      expect(wechat.sent).toHaveLength(2);
      expect(wechat.tokensIssued).toBe(1);
      expect(wechat.sent[1].data.remark.value).toContain(tk.number);

      wechat.expireToken();
      await t.as.agent.post(`/api/tickets/${tk.number}/comments`, { body: '请保持电话畅通。', internal: false });
      await deliver();
      expect(wechat.sent).toHaveLength(3);
      expect(wechat.tokensIssued).toBe(2);
    } finally {
      await t.db.write((trx) => trx.updateTable('customers').set({ wechat_openid: null }).where('id', '=', t.customers.other).execute());
      await channels({ wechat: { enabled: false } });
    }
  });
});
