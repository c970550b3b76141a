// API tests of attachments: upload checked by content, size limit, download, internal files hidden from customers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

// The smallest valid PNG (1×1 transparent pixel).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 1)]);

function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = '----aftercare' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(TEST_DIALECTS)('attachments API on %s', (dialect) => {
  let t: TestApp;
  let number: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    number = (await t.as.agent.post('/api/tickets', { title: '外机破损', description: '收货时外机外壳破损', customerId: t.customers.own })).json().number;
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (client: 'agent' | 'customer' | 'otherCustomer', filename: string, content: Buffer, query = '', declared?: string) => {
    const m = multipart(filename, content, declared);
    return t.app.inject({
      method: 'POST',
      url: `/api/tickets/${number}/attachments${query}`,
      headers: { authorization: `Bearer ${t.as[client].token}`, 'content-type': m.contentType },
      payload: m.payload,
    });
  };

  it('stores an image, records it in the timeline, and serves it back byte for byte', async () => {
    const res = await upload('customer', '现场照片.png', PNG);
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({ filename: '现场照片.png', contentType: 'image/png', size: PNG.length, internal: false });
    const dl = await t.app.inject({ method: 'GET', url: `/api/attachments/${a.id}`, headers: { authorization: `Bearer ${t.as.agent.token}` } });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''%E7%8E%B0");
    expect(Buffer.compare(dl.rawPayload, PNG)).toBe(0);
    const events = (await t.as.agent.get(`/api/tickets/${number}/events`)).json().items;
    expect(events.some((e: { kind: string; attachmentId: number }) => e.kind === 'attachment' && e.attachmentId === a.id)).toBe(true);
  });

  it('checks the type by content, not by name or declared type', async () => {
    const disguised = await upload('agent', 'photo.png', ELF, '', 'image/png');
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json().error.code).toBe('unsupported_media_type');
    const text = await upload('agent', '日志.txt', Buffer.from('2026-11-22 E4 点火失败\n'));
    expect(text.json().contentType).toBe('text/plain');
    const empty = await upload('agent', 'empty.txt', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    const notMultipart = await t.as.agent.post(`/api/tickets/${number}/attachments`, { file: 'x' });
    expect(notMultipart.statusCode).toBe(415);
  });

  it('refuses files over the size limit', async () => {
    const big = Buffer.alloc(t.services.ctx.config.maxUploadBytes + 10, 0x41);
    const res = await upload('agent', 'big.txt', big);
    expect(res.statusCode).toBe(413);
  });

  it('hides internal attachments from the customer and other customers from everything', async () => {
    const internal = await upload('agent', '内部诊断.txt', Buffer.from('内部诊断：主板电容鼓包'), '?internal=true');
    expect(internal.json().internal).toBe(true);
    const mine = (await t.as.customer.get(`/api/tickets/${number}/attachments`)).json().items;
    expect(mine.some((x: { id: number }) => x.id === internal.json().id)).toBe(false);
    const dl = await t.app.inject({ method: 'GET', url: `/api/attachments/${internal.json().id}`, headers: { authorization: `Bearer ${t.as.customer.token}` } });
    expect(dl.statusCode).toBe(404);
    expect((await upload('customer', 'x.txt', Buffer.from('hi'), '?internal=true')).statusCode).toBe(403);
    expect((await upload('otherCustomer', 'x.txt', Buffer.from('hi'))).statusCode).toBe(404);
    expect((await t.as.otherCustomer.get(`/api/tickets/${number}/attachments`)).statusCode).toBe(404);
  });
});
