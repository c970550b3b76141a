// Webhook administration (admin only) and the cached list of active webhooks the enqueue step consults.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kysely, Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB, WebhooksTable } from '../../db/schema.js';
import type { Actor } from '../../domain/access.js';
import type { NotifyEvent, WebhookKind } from '../../domain/notify/index.js';
import { requireAccess } from '../../http/access.js';
import { Invalid, NotFound } from '../../http/errors.js';
import { checkWebhookTarget } from './egress.js';
import type { Webhook, WebhookCreateBody, WebhookPatchBody } from './schemas.js';
import { webhookEvents, type OutboxPayload } from './types.js';

export class WebhookAdmin {
  constructor(private readonly ctx: AppContext) {}

  private webhookDto(row: Selectable<WebhooksTable>): Webhook {
    return {
      id: row.id,
      name: row.name,
      url: row.url,
      kind: row.kind as WebhookKind,
      events: webhookEvents(row.events),
      active: row.active === 1,
      hasSecret: row.secret !== null && row.secret !== '',
      departmentId: row.department_id ?? null,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async listWebhooks(actor: Actor): Promise<Webhook[]> {
    requireAccess(actor, 'admin');
    const rows = await this.ctx.db.read.selectFrom('webhooks').selectAll().orderBy('id').execute();
    return rows.map((r) => this.webhookDto(r));
  }

  private hooksCache: { at: number; rows: { id: number; events: string; department_id: number | null }[] } | null = null;

  /** Forget the cached webhook list (after changing the table other than through this service). */
  forgetWebhooks() {
    this.hooksCache = null;
    this.ctx.cacheChanged?.('webhooks');
  }

  /** Active webhooks, cached for 10 s (edits on this node clear it at once; other nodes see them within 10 s). */
  async activeHooks(trx: Kysely<DB>): Promise<{ id: number; events: string; department_id: number | null }[]> {
    const now = performance.now();
    if (this.hooksCache && now - this.hooksCache.at < 10_000) return this.hooksCache.rows;
    const rows = await trx.selectFrom('webhooks').select(['id', 'events', 'department_id']).where('active', '=', 1).execute();
    this.hooksCache = { at: now, rows };
    return rows;
  }

  /** A department robot must name a department that exists. */
  private async checkDepartment(trx: Kysely<DB>, departmentId: number | null | undefined) {
    if (departmentId === null || departmentId === undefined) return;
    const dept = await trx.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst();
    if (!dept) throw Invalid({ departmentId: 'field.department_unknown' });
  }

  /** Refuses (400 on `url`) a target at an address webhooks may not reach, judged after DNS resolution. */
  private async checkTarget(url: string) {
    const check = await checkWebhookTarget(url, this.ctx.config?.webhookAllowPrivate === true);
    if (check.ok) return;
    const key = check.verdict.class === 'internal' ? 'field.webhook_address_internal' : 'field.webhook_address_never';
    throw Invalid({ url: { key, params: { host: check.host, address: check.verdict.address } } });
  }

  async createWebhook(actor: Actor, body: WebhookCreateBody): Promise<Webhook> {
    requireAccess(actor, 'admin');
    await this.checkTarget(body.url);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write(async (trx) => {
      await this.checkDepartment(trx, body.departmentId);
      return trx
        .insertInto('webhooks')
        .values({ name: body.name, url: body.url, kind: body.kind, secret: body.secret ?? null, events: JSON.stringify(body.events), active: body.active ? 1 : 0, created_at: now, updated_at: now, department_id: body.departmentId ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    // After the commit: a create in the same batch may have filled the cache from the table as it was.
    this.forgetWebhooks();
    return this.webhookDto(row);
  }

  async updateWebhook(actor: Actor, id: number, body: WebhookPatchBody): Promise<Webhook> {
    requireAccess(actor, 'admin');
    if (body.url !== undefined) await this.checkTarget(body.url);
    const now = this.ctx.clock.now();
    const row = await this.ctx.db.write(async (trx) => {
      const set: Partial<Record<keyof WebhooksTable, unknown>> = { updated_at: now };
      if (body.name !== undefined) set.name = body.name;
      if (body.url !== undefined) set.url = body.url;
      if (body.kind !== undefined) set.kind = body.kind;
      if (body.secret !== undefined) set.secret = body.secret;
      if (body.events !== undefined) set.events = JSON.stringify(body.events);
      if (body.active !== undefined) set.active = body.active ? 1 : 0;
      if (body.departmentId !== undefined) {
        await this.checkDepartment(trx, body.departmentId);
        set.department_id = body.departmentId;
      }
      return trx
        .updateTable('webhooks')
        .set(set as never)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    });
    this.forgetWebhooks();
    if (!row) throw NotFound();
    return this.webhookDto(row);
  }

  /** Deletes the webhook; its undelivered messages are marked failed in the same transaction. */
  async deleteWebhook(actor: Actor, id: number): Promise<void> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const deleted = await this.ctx.db.write(async (trx) => {
      const r = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await trx
        .updateTable('outbox')
        .set({ failed_at: now, locked_until: null, last_error: 'webhook deleted' })
        .where('channel', '=', 'webhook')
        .where('target', '=', String(id))
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute();
      return true;
    });
    this.forgetWebhooks();
    if (!deleted) throw NotFound();
  }

  /** Queues a test message to the webhook (also when it is inactive); the next delivery run sends it. */
  async testWebhook(actor: Actor, id: number): Promise<{ outboxId: number }> {
    requireAccess(actor, 'admin');
    const now = this.ctx.clock.now();
    const event: NotifyEvent = {
      kind: 'test',
      occurredAt: now,
      ticket: null,
      data: { message: '这是一条来自 Aftercare 售后服务管理系统的测试消息 / A test message from Aftercare', by: actor.name },
    };
    const row = await this.ctx.db.write(async (trx) => {
      const hook = await trx.selectFrom('webhooks').select('id').where('id', '=', id).executeTakeFirst();
      if (!hook) return null;
      return trx
        .insertInto('outbox')
        .values({ channel: 'webhook', target: String(id), dedupe_key: `test:${id}:${now}:${crypto.randomUUID()}`, payload: JSON.stringify({ event } satisfies OutboxPayload), created_at: now, next_attempt_at: now, attempts: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    if (!row) throw NotFound();
    return { outboxId: row.id };
  }
}
