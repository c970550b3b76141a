// The customer portal's bundle: served under /portal (client routes fall back to its index.html, not cached; hashed
// assets compressed and immutable; the console's CSP), and its first load under 200 KB of compressed JavaScript.
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestDatabase, type TestDatabase } from '../../src/server/testing.js';

const PORTAL = path.resolve(import.meta.dirname, '../../dist/portal');
const BUILT = fs.existsSync(path.join(PORTAL, 'index.html'));
const LIMIT = 200 * 1024;

/** Every file the portal's index.html loads before anything is clicked: its scripts and every module they import statically. */
function firstLoad(): { js: string[]; css: string[] } {
  const html = fs.readFileSync(path.join(PORTAL, 'index.html'), 'utf8');
  const local = (url: string) => path.join(PORTAL, url.replace(/^\/portal\//, ''));
  const js = new Set<string>();
  const queue = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => local(m[1]));
  while (queue.length) {
    const file = queue.pop()!;
    if (js.has(file)) continue;
    js.add(file);
    // Static imports only (`import{…}from"./x.js"`, `import"./x.js"`); `import("./x.js")` is a lazy page, loaded later.
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.js)["']/g)) queue.push(path.join(path.dirname(file), m[1]));
  }
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((m) => local(m[1]));
  return { js: [...js], css };
}

describe('the customer portal bundle', () => {
  it('first load: under 200 KB of JavaScript, gzip and brotli alike', (ctx) => {
    if (!BUILT) {
      console.log('[portal] skipped bundle size: dist/portal is not built (node scripts/build-web.mjs)');
      ctx.skip();
    }
    const { js, css } = firstLoad();
    expect(js.length).toBeGreaterThan(0);
    let gz = 0;
    let br = 0;
    for (const file of js) {
      const raw = fs.readFileSync(file);
      gz += gzipSync(raw, { level: 9 }).length;
      br += brotliCompressSync(raw).length;
    }
    const cssGz = css.reduce((n, f) => n + gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    console.log(`[portal] first load: ${js.length} scripts, ${(gz / 1024).toFixed(1)} KB gzip / ${(br / 1024).toFixed(1)} KB brotli of JavaScript, ${(cssGz / 1024).toFixed(1)} KB gzip of CSS`);
    expect(gz).toBeLessThan(LIMIT);
    expect(br).toBeLessThan(LIMIT);
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
    const html = fs.readFileSync(path.join(PORTAL, 'index.html'), 'utf8');
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
    // The console keeps its own pages, and the API stays JSON.
    const consolePage = await app.inject({ method: 'GET', url: '/tickets' });
    expect(consolePage.body).not.toBe(html);
    expect((await app.inject({ method: 'GET', url: '/api/portal/nothing' })).statusCode).toBe(404);
  });

  it('GET /api/portal/session answers a signed-out visitor with null, not 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/portal/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ session: null });
  });
});
