// Security headers on every kind of response, and how the console's files are cached and compressed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestDatabase, type TestDatabase } from '../../src/server/testing.js';

const WEB = path.resolve(import.meta.dirname, '../../dist/web');

function expectSecurityHeaders(h: Record<string, unknown>) {
  const csp = String(h['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
}

describe('security headers and static caching (SQLite)', () => {
  let tdb: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    ({ app } = await buildApp({ config: tdb.config, db: tdb.db, logger: false }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.cleanup();
  });

  it.each([
    ['GET', '/api/health', 200],
    ['GET', '/api/tickets', 401],
    ['GET', '/api/no-such-route', 404],
    ['POST', '/api/auth/login', 400],
  ])('%s %s (%i) carries them', async (method, url, status) => {
    const res = await app.inject({ method: method as 'GET', url, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, payload: '{bad' } : {}) });
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res.headers);
  });

  it('the API docs get their own policy, still without inline scripts', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res.headers);
  });

  it('serves hashed assets compressed and immutable, index.html and client routes not cached', async (ctx) => {
    if (!fs.existsSync(path.join(WEB, 'index.html'))) {
      console.log('[headers] skipped static caching: dist/web is not built (node scripts/build-web.mjs)');
      ctx.skip();
    }
    const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    for (const encoding of ['br', 'gzip']) {
      const res = await app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': encoding } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(res.headers);
    }
    for (const url of ['/', '/index.html', '/tickets/202611001']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expectSecurityHeaders(res.headers);
    }
  });

  it("serves the field page's service worker as a script that is always revalidated, precaching the page's chunks", async (ctx) => {
    if (!fs.existsSync(path.join(WEB, 'sw.js'))) {
      console.log('[headers] skipped the service worker: dist/web is not built (node scripts/build-web.mjs)');
      ctx.skip();
    }
    const res = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    // A new build's worker must reach the phones: never served from the HTTP cache.
    expect(res.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(res.headers);
    // The /field page's chunk and the entry are precached; the console's other pages are not.
    const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
    const entry = /src="\/(assets\/[^"]+\.js)"/.exec(html)![1];
    expect(res.body).toContain(`"${entry}"`);
    expect(res.body).toMatch(/"assets\/FieldPage-[^"]+\.js"/);
    expect(res.body).not.toMatch(/"assets\/TicketDetailPage-[^"]+\.js"/);
  });
});
