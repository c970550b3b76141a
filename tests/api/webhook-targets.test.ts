// Webhook targets: internal, link-local and other unreachable-by-design addresses are refused when saved (after DNS
// resolution, in every numeric spelling) and again when sent; redirects are never followed. Real local stub servers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

/** A local HTTP endpoint that records what it receives and answers with `respond`. */
async function stub(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const received: { method: string; url: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, body });
      respond(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const REFUSED = ['http://127.0.0.1/', 'http://0x7f000001/', 'http://2130706433/hook', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://192.168.1.10:8080/robot', 'http://100.64.0.1/', 'http://[fd00::1]/', 'http://0.0.0.0/', 'http://224.0.0.1/'];

describe.each(TEST_DIALECTS)('webhook targets on %s', (dialect) => {
  describe('without AFTERCARE_WEBHOOK_ALLOW_PRIVATE', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ dialect });
    });
    afterAll(async () => {
      await t?.close();
    });

    it.each(REFUSED)('refuses to save %s with a translated 400 on the URL', async (url) => {
      const res = await t.as.admin.post('/api/webhooks', { name: '内网', url, kind: 'generic' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.fields.url).toMatch(/不能接收 Webhook/);
    });

    it('refuses a name that resolves to loopback, in English too, and on edit', async () => {
      const res = await t.as.admin.post('/api/webhooks', { name: 'local', url: 'http://localhost:9/hook', kind: 'generic' }, { 'accept-language': 'en' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.url).toBe(
        'localhost points to the internal address 127.0.0.1 (this machine, a private network or carrier NAT), which cannot receive webhooks; for an intranet robot, the system administrator sets AFTERCARE_WEBHOOK_ALLOW_PRIVATE=1',
      );
      const ok = await t.as.admin.post('/api/webhooks', { name: 'public', url: 'https://8.8.8.8/hook', kind: 'generic' });
      expect(ok.statusCode).toBe(201);
      const patched = await t.as.admin.patch(`/api/webhooks/${ok.json().id}`, { url: 'http://0x7f000001/' });
      expect(patched.statusCode).toBe(400);
      expect(patched.json().error.fields.url).toContain('127.0.0.1');
      expect((await t.as.admin.get('/api/webhooks')).json().items.find((w: { id: number }) => w.id === ok.json().id).url).toBe('https://8.8.8.8/hook');
    });

    it('re-checks at send time: a stored URL to loopback (by number or by name) fails with the reason, and the endpoint gets nothing', async () => {
      const endpoint = await stub((_req, res) => res.end('ok'));
      try {
        const now = t.clock.now();
        // As if saved before this check existed, or while the setting allowed it.
        const ids: number[] = [];
        for (const url of [`http://127.0.0.1:${endpoint.port}/hook`, `http://localhost:${endpoint.port}/hook`]) {
          const row = await t.db.write((trx) =>
            trx.insertInto('webhooks').values({ name: 'old', url, kind: 'generic', secret: null, events: '["*"]', active: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow(),
          );
          ids.push(row.id);
          expect((await t.as.admin.post(`/api/webhooks/${row.id}/test`)).statusCode).toBe(202);
        }
        await t.services.notify.deliverDue(t.clock.now());
        const rows = await t.db.read.selectFrom('outbox').selectAll().where('channel', '=', 'webhook').where('target', 'in', ids.map(String)).orderBy('id').execute();
        expect(rows).toHaveLength(2);
        for (const r of rows) {
          expect(r.delivered_at).toBeNull();
          expect(r.failed_at).not.toBeNull(); // for good: retrying would be refused again
          expect(r.last_error).toContain('127.0.0.1 (loopback) refused');
        }
        expect(rows[1].last_error).toContain('localhost → 127.0.0.1');
        expect(endpoint.received).toHaveLength(0);
      } finally {
        await endpoint.close();
      }
    });
  });

  describe('with AFTERCARE_WEBHOOK_ALLOW_PRIVATE=1 (an intranet robot)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ dialect, config: { webhookAllowPrivate: true } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('accepts loopback, private, CGNAT and ULA targets, and still refuses link-local, unspecified and multicast', async () => {
      for (const url of ['http://127.0.0.1/', 'http://0x7f000001/', 'http://[::1]/', 'http://10.0.0.1/', 'http://localhost/hook', 'http://100.64.0.1/', 'http://[fd00::1]/']) {
        expect((await t.as.admin.post('/api/webhooks', { name: '内网机器人', url, kind: 'generic' })).statusCode, url).toBe(201);
      }
      for (const url of ['http://169.254.169.254/', 'http://[fe80::1]/', 'http://0.0.0.0/', 'http://224.0.0.1/']) {
        const res = await t.as.admin.post('/api/webhooks', { name: 'x', url, kind: 'generic' });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.fields.url).toMatch(/链路本地、组播、未指定或保留地址/);
      }
    });

    it('delivers to an allowed target, and records a redirect as a failure without following it', async () => {
      const elsewhere = await stub((_req, res) => res.end('should never be asked'));
      const good = await stub((_req, res) => res.end('ok'));
      const redirecting = await stub((_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/internal` });
        res.end();
      });
      try {
        const create = async (port: number) => {
          const res = await t.as.admin.post('/api/webhooks', { name: '值班群', url: `http://127.0.0.1:${port}/hook`, kind: 'generic', secret: 's' });
          expect(res.statusCode).toBe(201);
          return res.json().id as number;
        };
        const goodId = await create(good.port);
        const redirectId = await create(redirecting.port);
        for (const id of [goodId, redirectId]) expect((await t.as.admin.post(`/api/webhooks/${id}/test`)).statusCode).toBe(202);
        await t.services.notify.deliverDue(t.clock.now());

        const row = (id: number) => t.db.read.selectFrom('outbox').selectAll().where('channel', '=', 'webhook').where('target', '=', String(id)).executeTakeFirstOrThrow();
        expect((await row(goodId)).delivered_at).not.toBeNull();
        expect(good.received).toHaveLength(1);
        expect(JSON.parse(good.received[0].body)).toMatchObject({ event: 'test' });

        const redirected = await row(redirectId);
        expect(redirected.delivered_at).toBeNull();
        expect(redirected.last_error).toBe(`HTTP 302: redirect to http://127.0.0.1:${elsewhere.port}/internal not followed`);
        expect(redirecting.received).toHaveLength(1);
        expect(elsewhere.received).toHaveLength(0);
      } finally {
        await Promise.all([elsewhere.close(), good.close(), redirecting.close()]);
      }
    });
  });
});
