// Not part of the suite: times the dispatch board and free slots in process, interleaved, for quick A/B while
// optimising (npx tsx tests/bench/board-time.ts [rounds]). The bench measures them over HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { seedDispatchData } from './dispatch.js';
import { ADMIN_PASSWORD, setupConfig } from './scenarios.js';

const rounds = Number(process.argv[2] ?? 40);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-time-'));
const { week } = await seedDispatchData(dir);
const config = setupConfig(dir);
const db = openDatabase({ dataDir: dir });
const { app } = await buildApp({ config, db, logger: false, serveWeb: false });
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
const cookie = login.headers['set-cookie'];
const headers = { cookie: Array.isArray(cookie) ? cookie.join('; ') : String(cookie) };
const urls = { board: `/api/dispatch/board?from=${week[0]}&days=7`, slots: `/api/dispatch/free-slots?from=${week[0]}&days=7&durationMinutes=60&limit=200` };
const times: Record<string, number[]> = { board: [], slots: [] };
for (let i = 0; i < rounds; i++) {
  for (const [k, url] of Object.entries(urls)) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    times[k].push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`${k}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (i === 0) console.log(k, 'bytes', res.body.length);
  }
}
for (const [k, v] of Object.entries(times)) {
  const s = v.slice(5).sort((a, b) => a - b);
  console.log(k, 'median', s[Math.floor(s.length / 2)].toFixed(1), 'p95', s[Math.floor(s.length * 0.95)].toFixed(1));
}
await app.close();
await db.close();
fs.rmSync(dir, { recursive: true, force: true });
