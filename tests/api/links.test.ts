// The link secret lives in the database: every node signs alike, and an admin reading settings never sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinksService } from '../../src/server/modules/links/service.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

describe.each(TEST_DIALECTS)('signed links on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs with one secret per installation, kept in the database', async () => {
    const url = await t.services.links.url('ticket', 42);
    expect(url).toMatch(/^http:\/\/localhost:3000\/portal\/t\/ticket\.16\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    const token = url.split('/').pop()!;
    // A second node (a new service over the same database) accepts it.
    const other = new LinksService(t.services.ctx);
    expect(await other.check(token, 'ticket')).toMatchObject({ ok: true, claims: { subject: 42 } });
    expect((await other.check(token, 'survey')).ok).toBe(false);
    // Expired after its lifetime.
    t.clock.advance(181 * 86_400_000);
    expect(await other.check(token, 'ticket')).toEqual({ ok: false, reason: 'expired' });
  });

  it('never shows the secret in the admin settings', async () => {
    await t.services.links.load();
    const res = await t.as.admin.get('/api/admin/settings');
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).not.toMatch(/link_secret|secret/i);
  });
});
