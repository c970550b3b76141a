// Test harness: a fresh database per suite (SQLite in a temp dir, or a new PostgreSQL database), the app, and
// signed-in clients for each role. Used by the API tests and the end-to-end tests; never by the server itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { ManualClock, type Clock } from './context.js';
import { openDatabase, type Database, type Dialect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { hashPassword } from './modules/auth/password.js';
import { actorOf } from './modules/users/service.js';
import { ensureBaseData } from './seed/base.js';
import { seedDemo } from './seed/demo.js';
import type { Services } from './services.js';
import type { Sweeper } from './jobs/sweeper.js';
import type { PortalLimits } from './modules/portal/routes.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const TEST_DIALECTS: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!process.env.TEST_DATABASE_URL && !process.env.AFTERCARE_QUIET_DIALECTS) {
  process.env.AFTERCARE_QUIET_DIALECTS = '1';
  console.log('[aftercare tests] TEST_DATABASE_URL is not set: API tests run on SQLite only (CI runs them on PostgreSQL as well).');
}

export interface TestDatabase {
  db: Database;
  config: Config;
  dialect: Dialect;
  cleanup(): Promise<void>;
}

/**
 * `readWorkers`, `writeWorker`: API tests answer the queue and create tickets in the server thread unless a test asks
 * for the workers (or TEST_WRITE_WORKER=1 runs a whole suite with the write worker).
 */
/**
 * `upgrade`: a database that an older version wrote — migrated up to (not including) `before`, then `setup` writes
 * the older version's data, then the remaining migrations run and the base data is ensured as at a start.
 */
export interface UpgradeFrom {
  before: string;
  setup(db: Database, dialect: Dialect): Promise<void>;
}

export async function createTestDatabase(dialect: Dialect, readWorkers = '0', writeWorker = process.env.TEST_WRITE_WORKER === '1', upgrade?: UpgradeFrom): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL is not set');
    const name = `aftercare_t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    // template0 + C.UTF-8 collation-independent: search works through token arrays, not the locale.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, AFTERCARE_ADMIN_PASSWORD: 'admin-test-pw', AFTERCARE_DEMO: '0', LOG_LEVEL: 'silent', AFTERCARE_READ_WORKERS: readWorkers, AFTERCARE_WRITE_WORKER: writeWorker ? '1' : '0' });
  const db = openDatabase({ databaseUrl, dataDir, poolSize: 5 });
  if (upgrade) {
    await migrate(db, { stopBefore: upgrade.before });
    await upgrade.setup(db, dialect);
  }
  await migrate(db);
  await ensureBaseData(db, config);
  return {
    db,
    config,
    dialect,
    async cleanup() {
      await db.close();
      await dropDatabase?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  userId: number;
  token: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse & { json(): any }>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse & { json(): any }>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse & { json(): any }>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse & { json(): any }>;
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  sweeper: Sweeper;
  db: Database;
  dialect: Dialect;
  clock: ManualClock;
  departments: Record<string, number>;
  /** Bearer clients: admin, agent (customer service), agentTs (tech support agent), engineer, engineer2, supervisor, manager, director, qa, customer, otherCustomer */
  as: Record<string, Client>;
  customers: { own: number; other: number };
  close(): Promise<void>;
}

const ROLE_USERS = [
  { username: 't_agent', key: 'agent', role: 'agent', dept: 'customer_service' },
  { username: 't_agent_ts', key: 'agentTs', role: 'agent', dept: 'tech_support' },
  { username: 't_engineer', key: 'engineer', role: 'engineer', dept: 'tech_support' },
  { username: 't_engineer2', key: 'engineer2', role: 'engineer', dept: 'tech_support' },
  { username: 't_dispatcher', key: 'dispatcher', role: 'dispatcher', dept: 'logistics' },
  { username: 't_supervisor', key: 'supervisor', role: 'supervisor', dept: 'customer_service' },
  { username: 't_manager', key: 'manager', role: 'manager', dept: 'tech_support' },
  { username: 't_director', key: 'director', role: 'director', dept: null },
  { username: 't_qa', key: 'qa', role: 'qa', dept: 'quality' },
  { username: 't_customer', key: 'customer', role: 'customer', dept: null },
  { username: 't_customer2', key: 'otherCustomer', role: 'customer', dept: null },
] as const;

export const TEST_PASSWORD = 'test-password-1';

export async function createTestApp(
  opts: { dialect?: Dialect; clock?: ManualClock; loginRateLimit?: number; loginAddressRateLimit?: number; readWorkers?: number; writeWorker?: boolean; upgrade?: UpgradeFrom; config?: Partial<Config>; portalLimits?: PortalLimits } = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase(opts.dialect ?? 'sqlite', String(opts.readWorkers ?? 0), opts.writeWorker, opts.upgrade);
  Object.assign(tdb.config, opts.config);
  const clock = opts.clock ?? new ManualClock(Date.parse('2026-11-23T02:00:00.000Z'));
  const { app, services, sweeper } = await buildApp({ config: tdb.config, db: tdb.db, clock, logger: false, loginRateLimit: opts.loginRateLimit ?? 1000, loginAddressRateLimit: opts.loginAddressRateLimit ?? 1000, portalLimits: opts.portalLimits, serveWeb: false });
  await app.ready();
  // A test that asked for the write worker means it to create: wait until it can.
  await services.writers?.ready();
  const db = tdb.db;
  const departments = Object.fromEntries((await db.read.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const now = clock.now();
  const mkCustomer = (name: string, phone: string) =>
    db.write((trx) =>
      trx
        .insertInto('customers')
        .values({ kind: 'person', name, company: null, phone, phone_digits: phone, email: null, email_lower: null, address: '上海市浦东新区世纪大道100号', tier: 'normal', special_needs: 0, special_needs_note: null, notes: null, created_at: now, updated_at: now, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
  const own = (await mkCustomer('张伟', '13812345678')).id;
  const other = (await mkCustomer('李娜', '13987654321')).id;
  const hash = await hashPassword(TEST_PASSWORD);
  const as: Record<string, Client> = {};
  const admin = await db.read.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const users: { key: string; id: number }[] = [{ key: 'admin', id: admin.id }];
  for (const u of ROLE_USERS) {
    const row = await db.write((trx) =>
      trx
        .insertInto('users')
        .values({
          username: u.username,
          display_name: u.username,
          password_hash: hash,
          role: u.role,
          department_id: u.dept ? departments[u.dept] : null,
          customer_id: u.key === 'customer' ? own : u.key === 'otherCustomer' ? other : null,
          skills: '[]',
          email: null,
          phone: null,
          active: 1,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    users.push({ key: u.key, id: row.id });
  }
  // The tech-support manager heads their department (first escalation level, reviewer).
  const manager = users.find((u) => u.key === 'manager')!;
  await db.write((trx) => trx.updateTable('departments').set({ manager_id: manager.id }).where('code', '=', 'tech_support').execute());
  for (const u of users) {
    const actor = actorOf(await services.auth.userRow(u.id));
    const { token } = await services.auth.createToken(actor, { name: 'test' });
    as[u.key] = makeClient(app, u.id, token);
  }
  return {
    app,
    services,
    sweeper,
    db,
    dialect: tdb.dialect,
    clock,
    departments,
    as,
    customers: { own, other },
    async close() {
      await app.close();
      await tdb.cleanup();
    },
  };
}

function makeClient(app: FastifyInstance, userId: number, token: string): Client {
  const request = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return res as LightMyRequestResponse & { json(): any };
  };
  return {
    userId,
    token,
    request,
    get: (url, headers) => request('GET', url, undefined, headers),
    post: (url, body, headers) => request('POST', url, body ?? {}, headers),
    patch: (url, body, headers) => request('PATCH', url, body ?? {}, headers),
  };
}

/** For end-to-end tests: the real server on a free port with demo data, as `npm start` would run it. */
/** `env`: further settings as the environment gives them (e.g. AFTERCARE_SMTP_URL for a local SMTP stub). */
export async function startTestServer(opts: { demo?: boolean; clock?: Clock; env?: Record<string, string> } = {}) {
  // The sweeper does not run on a timer here: tests call sweeper.runOnce() after moving the clock.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-e2e-'));
  const config = loadConfig({ ...opts.env, DATA_DIR: dataDir, AFTERCARE_ADMIN_PASSWORD: 'admin-e2e-pw', AFTERCARE_DEMO: opts.demo === false ? '0' : '1', LOG_LEVEL: 'warn', PORT: '0' });
  const db = openDatabase({ dataDir });
  await migrate(db);
  const base = await ensureBaseData(db, config);
  if (opts.demo !== false) await seedDemo(db, config, { force: false, customers: 60, tickets: 300 });
  const { app, services, sweeper } = await buildApp({ config, db, clock: opts.clock, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const demoUsers = ['agent', 'supervisor', 'engineer', 'dispatcher', 'manager', 'director', 'qa', 'customer'];
  return {
    url: `http://127.0.0.1:${port}`,
    services: Object.assign(services, { sweeper }),
    sweeper,
    users: [
      { username: 'admin', password: 'admin-e2e-pw', role: 'admin' },
      ...(base.demoPassword ? demoUsers.map((u) => ({ username: u, password: base.demoPassword!, role: u })) : []),
    ],
    async close() {
      await app.close();
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
