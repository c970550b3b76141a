// The data directory is private to the server's user: the SQLite database with its -wal / -shm files 0600, the data
// and attachment directories 0700, each attachment 0600 — also when an older version left them more open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import { AttachmentsService } from '../../src/server/modules/attachments/service.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('the embedded database files', () => {
  const scratch: string[] = [];
  afterAll(() => {
    for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
  });

  it('creates DATA_DIR 0700 and the database, -wal and -shm files 0600, whatever the umask', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-perm-'));
    scratch.push(root);
    const dataDir = path.join(root, 'nested', 'data');
    const previous = process.umask(0o022);
    try {
      const db = openDatabase({ dataDir });
      await migrate(db);
      const file = path.join(dataDir, 'aftercare.db');
      expect(fs.existsSync(file + '-wal')).toBe(true);
      expect(fs.existsSync(file + '-shm')).toBe(true);
      expect(mode(dataDir).toString(8)).toBe('700');
      for (const f of [file, file + '-wal', file + '-shm']) expect(mode(f).toString(8), f).toBe('600');
      await db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('narrows what an older version created more openly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-perm-'));
    scratch.push(dataDir);
    const file = path.join(dataDir, 'aftercare.db');
    const first = openDatabase({ dataDir });
    await migrate(first);
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(file, 0o644);
    const again = openDatabase({ dataDir });
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(file).toString(8)).toBe('600');
    await again.close();
  });
});

describe.each(TEST_DIALECTS)('attachment files on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores each upload 0600 in 0700 directories', async () => {
    const number = (await t.as.agent.post('/api/tickets', { title: '外机破损', description: '收货时外机外壳破损', customerId: t.customers.own })).json().number;
    const boundary = '----aftercare-perm';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const previous = process.umask(0o022);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/tickets/${number}/attachments`,
        headers: { authorization: `Bearer ${t.as.agent.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      expect(res.statusCode).toBe(201);
    } finally {
      process.umask(previous);
    }
    const row = await t.db.read.selectFrom('attachments').select('storage_key').executeTakeFirstOrThrow();
    const root = path.join(t.services.ctx.config.dataDir, 'attachments');
    const file = path.join(root, row.storage_key);
    expect(mode(root).toString(8)).toBe('700');
    expect(mode(path.dirname(file)).toString(8)).toBe('700');
    expect(mode(file).toString(8)).toBe('600');

    // An attachments folder an older version left 0755 is narrowed when the service starts.
    fs.chmodSync(root, 0o755);
    new AttachmentsService(t.services.ctx, t.services.tickets);
    expect(mode(root).toString(8)).toBe('700');
  });
});
