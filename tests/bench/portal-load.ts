// The customer portal's first load in compressed bytes: everything its index.html loads before anything is clicked
// (its scripts, the modules they import statically, its stylesheets), compressed as the server sends them. Read by
// the bench (reported in docs/benchmarks.md) and by the bundle-size test (tests/api/portal-static.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const PORTAL_DIST = path.resolve(import.meta.dirname, '../../dist/portal');
/** Issue 15: first load of the portal under 200 KB of compressed JavaScript. */
export const PORTAL_FIRST_LOAD_LIMIT = 200 * 1024;

export interface PortalLoad {
  scripts: number;
  jsGzip: number;
  jsBrotli: number;
  cssGzip: number;
  /** Bytes before compression, for the report. */
  jsRaw: number;
}

/** Every file the portal's index.html loads before anything is clicked. */
export function portalFirstLoadFiles(dist = PORTAL_DIST): { js: string[]; css: string[] } {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const local = (url: string) => path.join(dist, url.replace(/^\/portal\//, ''));
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

export function portalFirstLoad(dist = PORTAL_DIST): PortalLoad {
  const { js, css } = portalFirstLoadFiles(dist);
  const out: PortalLoad = { scripts: js.length, jsGzip: 0, jsBrotli: 0, cssGzip: 0, jsRaw: 0 };
  for (const file of js) {
    const raw = fs.readFileSync(file);
    out.jsRaw += raw.length;
    out.jsGzip += gzipSync(raw, { level: 9 }).length;
    out.jsBrotli += brotliCompressSync(raw).length;
  }
  for (const file of css) out.cssGzip += gzipSync(fs.readFileSync(file), { level: 9 }).length;
  return out;
}
