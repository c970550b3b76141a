// A full disk answers 507 and a read-only database 503, with a translated message, never 500; nothing acknowledged
// is lost, and writes work again once there is room. The full disk is a real 3 MB tmpfs (SQLite: the database file
// and the attachments live in DATA_DIR), with the write worker and without; read-only is an injected SQLite error.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { storageError } from '../../src/server/http/errors.js';
import { actorOf } from '../../src/server/modules/users/service.js';
import { ensureBaseData } from '../../src/server/seed/base.js';

function tryMount(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e);
  }
}

describe('storage errors map to 507 / 503', () => {
  it.each([
    [{ code: 'SQLITE_FULL' }, 507],
    [{ code: 'ENOSPC' }, 507],
    [{ code: 'EDQUOT' }, 507],
    [{ code: '53100' }, 507], // PostgreSQL disk_full
    [{ code: 'SQLITE_READONLY' }, 503],
    [{ code: 'SQLITE_READONLY_DBMOVED' }, 503],
    [{ code: 'EROFS' }, 503],
    [{ code: 'SQLITE_CANTOPEN' }, 503],
    [{ code: '25006' }, 503], // PostgreSQL read_only_sql_transaction
    [new Error('fetch failed', { cause: { code: 'ENOSPC' } }), 507],
  ])('%o → %i', (e, status) => {
    expect(storageError(e)?.status).toBe(status);
  });

  it('leaves other errors alone', () => {
    expect(storageError(new Error('boom'))).toBeNull();
    expect(storageError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeNull();
  });
});

describe.each([false, true])('a full or read-only data directory (SQLite, write worker %s)', (writeWorker) => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('answers 507 / 503 with a translated message, keeps every acknowledged ticket, and recovers', { timeout: 120_000 }, async (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-full-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const refused = tryMount(dir);
    if (refused) {
      console.log(`[storage] skipped: cannot mount a small tmpfs here (needs root): ${refused}`);
      ctx.skip();
    }
    cleanups.push(() => void execFileSync('umount', ['-l', dir]));

    const config = loadConfig({ DATA_DIR: dir, AFTERCARE_ADMIN_PASSWORD: 'storage-test-pw', AFTERCARE_DEMO: '0', LOG_LEVEL: 'silent', AFTERCARE_READ_WORKERS: '0', AFTERCARE_WRITE_WORKER: writeWorker ? '1' : '0' });
    const db = openDatabase({ dataDir: dir });
    await migrate(db);
    await ensureBaseData(db, config);
    const { app, services } = await buildApp({ config, db, logger: false, serveWeb: false });
    cleanups.push(async () => {
      await app.close();
      await db.close();
    });
    await app.ready();
    await services.writers?.ready();
    const admin = await db.read.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const { token } = await services.auth.createToken(actorOf(await services.auth.userRow(admin.id)), { name: 'storage' });
    const auth = { authorization: `Bearer ${token}` };
    const create = (i: number, lang = 'zh-CN') =>
      app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: { ...auth, 'content-type': 'application/json', 'accept-language': lang },
        payload: { title: `磁盘测试 ${i}`, description: `工单 ${i}：`.padEnd(3000, '满'), customer: { name: `客户${i}`, phone: `139${String(i).padStart(8, '0')}` } },
      });
    const upload = (number: string) => {
      const boundary = 'aftercareboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="log.txt"\r\nContent-Type: text/plain\r\n\r\n`),
        Buffer.from('故障日志 '.repeat(20_000)),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({ method: 'POST', url: `/api/tickets/${number}/attachments`, headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    };

    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await create(i);
      expect(r.statusCode).toBe(201);
      acknowledged.push(r.json().number);
    }

    // Fill the disk to the last byte.
    const filler = path.join(dir, 'filler');
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (;;) {
      try {
        fs.writeSync(fd, chunk);
      } catch {
        try {
          for (;;) fs.writeSync(fd, chunk.subarray(0, 512));
        } catch {
          break;
        }
      }
    }
    fs.closeSync(fd);

    // Until the database and its WAL need a new page, creates may still fit; then every one is refused with 507.
    const statuses = new Map<number, number>();
    let full: { message: string } | null = null;
    for (let i = 5; i < 400 && !full; i++) {
      const r = await create(i);
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      if (r.statusCode === 201) acknowledged.push(r.json().number);
      else {
        expect(r.statusCode).toBe(507);
        expect(r.json().error.code).toBe('insufficient_storage');
        full = r.json().error;
      }
    }
    expect(full, `no create was refused: ${JSON.stringify([...statuses])}`).not.toBeNull();
    expect(full!.message).toBe('服务器存储空间已满，本次提交未保存；请联系管理员释放磁盘空间后重试');
    const en = await create(999, 'en');
    expect(en.statusCode).toBe(507);
    expect(en.json().error.message).toMatch(/out of storage space/);
    expect(statuses.get(500)).toBeUndefined();

    // An attachment is written to DATA_DIR before its row: the same answer, and no file or row left behind.
    const att = await upload(acknowledged[0]);
    expect(att.statusCode).toBe(507);
    expect((await app.inject({ method: 'GET', url: `/api/tickets/${acknowledged[0]}/attachments`, headers: auth })).json().items).toHaveLength(0);

    // Everything acknowledged reads back.
    for (const number of acknowledged) {
      const r = await app.inject({ method: 'GET', url: `/api/tickets/${number}`, headers: auth });
      expect(r.statusCode, number).toBe(200);
    }

    // Room again: writes succeed.
    fs.rmSync(filler);
    const again = await create(1000);
    expect(again.statusCode).toBe(201);
    acknowledged.push(again.json().number);
    expect((await upload(again.json().number)).statusCode).toBe(201);

    // A read-only database (a remount with open files is refused, so the error SQLite raises then is injected on the
    // server thread's connection): 503, translated; then writes work again.
    if (!writeWorker) {
      const realWrite = db.write.bind(db);
      db.write = () => Promise.reject(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }));
      try {
        const ro = await create(1001);
        expect(ro.statusCode).toBe(503);
        expect(ro.json().error).toMatchObject({ code: 'unavailable', message: '服务器数据目录当前为只读，本次提交未保存；请联系管理员检查数据目录后重试' });
      } finally {
        db.write = realWrite;
      }
    }
    const last = await create(1002);
    expect(last.statusCode).toBe(201);
    acknowledged.push(last.json().number);

    // And after a restart of the database connection, every acknowledged ticket is still there.
    const reopened = openDatabase({ dataDir: dir });
    try {
      const rows = await reopened.read.selectFrom('tickets').select('number').where('number', 'in', acknowledged).execute();
      expect(rows.map((r) => r.number).sort()).toEqual([...acknowledged].sort());
    } finally {
      await reopened.close();
    }
  });
});
