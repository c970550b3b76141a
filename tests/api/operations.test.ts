// What an operator does with the real commands: `npm start` stops on a signal sent to its own PID, a start that
// cannot run says in one line which setting to fix, and `npm run seed` run twice adds nothing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freshPostgres, waitHealthy } from './processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
});

function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The runner's own database setting must not leak into the server under test.
  delete env.DATABASE_URL;
  return Object.assign(env, { AFTERCARE_DEMO: '0', LOG_LEVEL: 'warn', AFTERCARE_ADMIN_PASSWORD: 'operations-pw' }, extra);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  // npm start builds the web console when its sources changed; do that first, so the start below is quick.
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('stops within 5 s on %s sent to the PID npm start returned, and frees its port', { timeout: 240_000 }, async (signal) => {
    const port = await freePort();
    const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: baseEnv({ DATA_DIR: tempDir('aftercare-npmstart-'), PORT: String(port) }), stdio: ['ignore', 'ignore', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
    await waitHealthy(`http://127.0.0.1:${port}`);

    const sentAt = Date.now();
    child.kill(signal);
    const outcome = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    expect(outcome, `npm start did not exit within 5 s of ${signal}; stderr: ${stderr}`).not.toBe('timeout');
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(await portOpen(port)).toBe(false);
  });
});

describe('a start that cannot run names the setting to fix', () => {
  /** Runs `main.ts serve` to its end; returns its exit code and what it wrote to stderr. */
  function serve(env: Record<string, string>) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', 'serve'], { cwd: ROOT, env: baseEnv(env), encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stderr: r.stderr.trim() };
  }

  function expectOneLine(out: { code: number | null; stderr: string }, setting: string) {
    expect(out.code, out.stderr).not.toBe(0);
    expect(out.code).not.toBeNull();
    const lines = out.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, out.stderr).toHaveLength(1);
    expect(lines[0]).toContain(setting);
    expect(lines[0]).not.toMatch(/^\s+at /);
  }

  it('port in use → PORT', { timeout: 60_000 }, async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;
    const out = serve({ DATA_DIR: tempDir('aftercare-port-'), PORT: String(port) });
    expectOneLine(out, 'PORT');
    expect(out.stderr).toContain(String(port));
  });

  it('data directory not writable → DATA_DIR', { timeout: 60_000 }, () => {
    // Below a regular file nothing can be created, whoever runs the test (root ignores permission bits).
    const file = path.join(tempDir('aftercare-datadir-'), 'a-file');
    fs.writeFileSync(file, '');
    const out = serve({ DATA_DIR: path.join(file, 'data'), PORT: '0' });
    expectOneLine(out, 'DATA_DIR');
  });

  it('database unreachable → DATABASE_URL, without its password', { timeout: 60_000 }, async () => {
    const closedPort = await freePort();
    const out = serve({ DATA_DIR: tempDir('aftercare-dburl-'), PORT: '0', DATABASE_URL: `postgres://aftercare:s3cret@127.0.0.1:${closedPort}/aftercare` });
    expectOneLine(out, 'DATABASE_URL');
    expect(out.stderr).not.toContain('s3cret');
  });

  it('database missing → DATABASE_URL', { timeout: 60_000 }, async (ctx) => {
    if (!process.env.TEST_DATABASE_URL) {
      console.log('[operations] skipped "database missing": needs TEST_DATABASE_URL (a PostgreSQL server to ask for a database that is not there)');
      ctx.skip();
    }
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/aftercare_no_such_database';
    const out = serve({ DATA_DIR: tempDir('aftercare-dbmissing-'), PORT: '0', DATABASE_URL: url.toString() });
    expectOneLine(out, 'DATABASE_URL');
    expect(out.stderr).toContain('does not exist');
  });
});

describe('npm run seed', () => {
  function seed(env: Record<string, string>) {
    const r = spawnSync('npm', ['run', 'seed', '--silent'], { cwd: ROOT, env: baseEnv(env), encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  }

  it('with AFTERCARE_DEMO=0 writes base data only, and a second run adds nothing', { timeout: 240_000 }, async () => {
    const dataDir = tempDir('aftercare-seed-');
    const pgdb = process.env.TEST_DATABASE_URL ? await freshPostgres('aftercare_seed') : null;
    if (pgdb) cleanups.push(() => void pgdb.drop());
    const env = { DATA_DIR: dataDir, AFTERCARE_DEMO: '0', ...(pgdb ? { DATABASE_URL: pgdb.url } : {}) };
    const counts = async () => {
      if (pgdb) {
        const { default: pg } = await import('pg');
        const c = new pg.Client({ connectionString: pgdb.url });
        await c.connect();
        const q = async (t: string) => Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
        const out = { users: await q('users'), customers: await q('customers'), tickets: await q('tickets'), categories: await q('categories') };
        await c.end();
        return out;
      }
      const db = new Database(path.join(dataDir, 'aftercare.db'), { readonly: true });
      const q = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      const out = { users: q('users'), customers: q('customers'), tickets: q('tickets'), categories: q('categories') };
      db.close();
      return out;
    };
    expect(seed(env)).toContain('AFTERCARE_DEMO=0');
    const first = await counts();
    expect(first).toMatchObject({ users: 1, customers: 0, tickets: 0 });
    expect(first.categories).toBeGreaterThan(0);
    seed(env);
    expect(await counts()).toEqual(first);
  });
});
