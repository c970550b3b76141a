// A side measurement, not part of `npm run bench`: the latency of GET /api/tickets/:number while 50 connections create
// tickets, with the write worker as configured (`AFTERCARE_WRITE_WORKER=0 npx tsx tests/bench/mixed.ts` for without).
// It shows what the write worker is for on 2 cores: the server thread stays free for the other requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './servers.js';
import { runLoad } from './load.js';
import { tokenFor } from './api.js';
import { benchTicketBody } from '../../src/server/seed/demo-content.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixed-'));
const server = await startServer({ kind: 'app', dataDir: dir, adminPassword: 'bench-admin-2026', countResponses: false });
const token = await tokenFor(server.url, 'admin', 'bench-admin-2026');
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const first = await (await fetch(`${server.url}/api/tickets`, { method: 'POST', headers, body: JSON.stringify(benchTicketBody(0)) })).json() as { number: string };
let i = 1;
const loadP = runLoad({ url: server.url, path: '/api/tickets', method: 'POST', connections: 50, durationS: 10, headers, body: () => JSON.stringify(benchTicketBody(i++)) });
await new Promise((r) => setTimeout(r, 2000));
const lat: number[] = [];
const until = Date.now() + 6000;
while (Date.now() < until) {
  const t = performance.now();
  const r = await fetch(`${server.url}/api/tickets/${first.number}`, { headers });
  await r.arrayBuffer();
  lat.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 5));
}
const load = await loadP;
lat.sort((a, b) => a - b);
const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1);
console.log(`worker=${process.env.AFTERCARE_WRITE_WORKER ?? 'auto'} creates ${Math.round(load.okPerS)}/s; GET ticket during load: n=${lat.length} p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)} ms`);
await server.stop();
fs.rmSync(dir, { recursive: true, force: true });
