// The customer portal's bundle: served under /portal (client routes fall back to its index.html, not cached; hashed
// assets compressed and immutable; the console's CSP), and its first load under 200 KB of compressed JavaScript.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestDatabase, type TestDatabase } from '../../src/server/testing.js';
import { PORTAL_DIST, PORTAL_FIRST_LOAD_LIMIT, portalFirstLoad } from '../bench/portal-load.js';

const BUILT = fs.existsSync(path.join(PORTAL_DIST, 'index.html'));

describe('the customer portal bundle', () => {
  it('first load: under 200 KB of JavaScript, gzip and brotli alike', (ctx) => {
    if (!BUILT) {
      console.log('[portal] skipped bundle size: dist/portal is not built (node scripts/build-web.mjs)');
      ctx.skip();
    }
    const load = portalFirstLoad();
    expect(load.scripts).toBeGreaterThan(0);
    console.log(`[portal] first load: ${load.scripts} scripts, ${(load.jsGzip / 1024).toFixed(1)} KB gzip / ${(load.jsBrotli / 1024).toFixed(1)} KB brotli of JavaScript, ${(load.cssGzip / 1024).toFixed(1)} KB gzip of CSS`);
    const gz = load.jsGzip;
    const br = load.jsBrotli;
    expect(gz).toBeLessThan(PORTAL_FIRST_LOAD_LIMIT);
    expect(br).toBeLessThan(PORTAL_FIRST_LOAD_LIMIT);
  });
});

describe('the portal served under /portal (SQLite)', () => {
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

  it('client routes get the portal page, not cached, with the console CSP; assets compressed and immutable', async (ctx) => {
    if (!BUILT) {
      console.log('[portal] skipped static serving: dist/portal is not built (node scripts/build-web.mjs)');
      ctx.skip();
    }
    const html = fs.readFileSync(path.join(PORTAL_DIST, 'index.html'), 'utf8');
    for (const url of ['/portal', '/portal/', '/portal/tickets/202611001', '/portal/t/ticket.1.abc.x', '/portal/survey/x']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(html);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(String(res.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const entry = /<script[^>]+src="(\/portal\/assets\/[^"]+\.js)"/.exec(html)![1];
    for (const encoding of ['br', 'gzip']) {
      const res = await app.inject({ method: 'GET', url: entry, headers: { 'accept-encoding': encoding } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    // A file no build has (an old page after a deploy) is a 404, not the page served as a script.
    expect((await app.inject({ method: 'GET', url: '/portal/assets/index-gone.js' })).statusCode).toBe(404);
    // The console keeps its own pages, and the API stays JSON.
    const consolePage = await app.inject({ method: 'GET', url: '/tickets' });
    expect(consolePage.body).not.toBe(html);
    expect((await app.inject({ method: 'GET', url: '/api/portal/nothing' })).statusCode).toBe(404);
  });

  it('GET /api/portal/session answers a signed-out visitor 401 like any other signed-in route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/portal/session' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
    expect(res.json().session).toBeUndefined();
  });
});
