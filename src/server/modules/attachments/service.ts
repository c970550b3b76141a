// Attachments: streamed to a file under DATA_DIR first, type checked by content, then recorded with a timeline entry.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { fileTypeFromFile } from 'file-type';
import type { Attachment } from '../../../shared/schemas.js';
import type { AppContext } from '../../context.js';
import { can, isProviderActor, type Actor } from '../../domain/access.js';
import { customerAttachments } from '../../domain/customer-view.js';
import { requireAccess } from '../../http/access.js';
import { AppError, NotFound } from '../../http/errors.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { TicketsService } from '../tickets/service.js';
import { isoString as iso } from '../../domain/iso.js';
import { narrowIfExists, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../db/files.js';
import { isUniqueViolation } from '../../db/connect.js';

type AttachmentListRow = { id: number; filename: string; content_type: string; size: number; internal: number; uploaded_by: number | null; created_at: number; display_name: string | null };

/** What a service desk receives: photos, scans, reports, logs, recordings, archives of those. */
const ALLOWED = [/^image\/(png|jpeg|gif|webp|bmp|heic|heif|avif|tiff)$/, /^application\/pdf$/, /^application\/(zip|x-7z-compressed|x-rar-compressed|gzip|x-tar)$/, /^application\/vnd\.openxmlformats-officedocument\./, /^application\/(x-cfb|msword|vnd\.ms-excel)$/, /^audio\//, /^video\//, /^text\/plain$/];


/** Text files have no magic number: accept valid UTF-8 without NUL bytes. */
function looksLikeText(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head.includes(0)) return false;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(n === buf.length ? head.subarray(0, n - 4) : head);
      return true;
    } catch {
      return false;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim().slice(0, 200);
  return cleaned || 'file';
}

export class AttachmentsService {
  private readonly root: string;

  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {
    this.root = path.join(ctx.config.dataDir, 'attachments');
    // An older version created it 0755; its files then were 0644.
    narrowIfExists(this.root, PRIVATE_DIR_MODE);
  }

  /**
   * Stores one upload. With an Idempotency-Key (a phone replaying its offline queue, a retry after a lost answer) the
   * file the key already made is answered (`created: false`) and the new bytes are dropped, so a photo is attached once.
   * `opts` for a caller that wants only some files (a signature: PNG, small) and links the new row to its own record
   * in the same transaction (a visit's photo or signature).
   */
  async upload(
    actor: Actor,
    number: string,
    file: { filename: string; stream: Readable; truncated: () => boolean },
    internal: boolean,
    idempotencyKey?: string,
    opts: { check?: (contentType: string, size: number) => AppError | null; link?: (trx: Kysely<DB>, attachmentId: number) => Promise<void> } = {},
  ): Promise<{ attachment: Attachment; created: boolean }> {
    requireAccess(actor, 'ticket.comment');
    // A provider's engineer files site photos for the staff (the field page's are staff-only) without reading internal ones.
    if (internal && !isProviderActor(actor)) requireAccess(actor, 'ticket.internal');
    const ticketId = await this.tickets.visibleTicketId(actor, number);
    if (idempotencyKey) {
      const prior = await this.byKey(this.ctx.db.read, actor.id, idempotencyKey);
      if (prior) {
        file.stream.resume(); // the body is not needed: let it drain
        return { attachment: await this.dto(prior, number), created: false };
      }
    }
    const now = this.ctx.clock.now();
    const key = `${new Date(now).toISOString().slice(0, 7)}/${crypto.randomUUID()}`;
    const target = path.join(this.root, key);
    // Customers' files: readable by the server's user only (db/files.ts).
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
    const hash = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    let kept = false;
    try {
      await pipeline(file.stream, meter, fs.createWriteStream(target, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
      if (file.truncated()) throw new AppError(413, 'payload_too_large', 'error.payload_too_large');
      if (size === 0) throw new AppError(400, 'validation_failed', 'error.file_required', {}, { file: 'field.required' });
      const detected = await fileTypeFromFile(target);
      const contentType = detected?.mime ?? (looksLikeText(target) ? 'text/plain' : 'application/octet-stream');
      if (!ALLOWED.some((re) => re.test(contentType))) {
        throw new AppError(415, 'unsupported_media_type', 'error.file_type', {}, { file: 'error.file_type' });
      }
      const refused = opts.check?.(contentType, size);
      if (refused) throw refused;
      // fsync before the row that points at the file commits, so a crash never leaves a row without its bytes.
      const fd = fs.openSync(target, 'r');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      const filename = safeFilename(file.filename);
      const sha256 = hash.digest('hex');
      const write = () =>
        this.ctx.db.write(async (trx) => {
          // The same key sent twice at once (the first still streaming when the second arrived): one row.
          const prior = idempotencyKey ? await this.byKey(trx, actor.id, idempotencyKey) : undefined;
          if (prior) return { row: prior, created: false };
          const row = await trx
            .insertInto('attachments')
            .values({ ticket_id: ticketId, filename, content_type: contentType, size, sha256, storage_key: key, internal: internal ? 1 : 0, uploaded_by: actor.id, created_at: now, idempotency_key: idempotencyKey ?? null })
            .returning('id')
            .executeTakeFirstOrThrow();
          await this.tickets.recordAttachment(trx, ticketId, actor.id, row.id, filename, internal, now);
          await opts.link?.(trx, row.id);
          return { row: { id: row.id, filename, content_type: contentType, size, internal: internal ? 1 : 0, uploaded_by: actor.id, created_at: now, display_name: actor.name }, created: true };
        });
      let result: Awaited<ReturnType<typeof write>>;
      try {
        result = await write();
      } catch (e) {
        // PostgreSQL: a concurrent upload with the key committed first and ours rolled back whole.
        if (idempotencyKey && isUniqueViolation(e)) result = await write();
        else throw e;
      }
      kept = result.created;
      return { attachment: await this.dto(result.row, number), created: result.created };
    } finally {
      if (!kept) fs.rmSync(target, { force: true });
    }
  }

  /** The file this user's upload with `key` made on the ticket, if any (a caller checking a replay before its own rules). */
  async replay(actor: Actor, number: string, key: string): Promise<Attachment | undefined> {
    const row = await this.byKey(this.ctx.db.read, actor.id, key);
    return row ? this.dto(row, number) : undefined;
  }

  private byKey(db: Kysely<DB>, userId: number, key: string): Promise<AttachmentListRow | undefined> {
    return this.selectRows(db).where('uploaded_by', '=', userId).where('idempotency_key', '=', key).executeTakeFirst();
  }

  private selectRows(db: Kysely<DB>) {
    return db
      .selectFrom('attachments')
      .leftJoin('users', 'users.id', 'attachments.uploaded_by')
      .select(['attachments.id', 'filename', 'content_type', 'size', 'internal', 'uploaded_by', 'attachments.created_at', 'users.display_name']);
  }

  private dto(r: AttachmentListRow, number: string): Attachment {
    return {
      id: r.id,
      ticketNumber: number,
      filename: r.filename,
      contentType: r.content_type,
      size: r.size,
      uploadedBy: r.uploaded_by ? { id: r.uploaded_by, name: r.display_name ?? `#${r.uploaded_by}` } : null,
      createdAt: iso(r.created_at),
      internal: r.internal === 1,
    };
  }

  async list(actor: Actor, number: string): Promise<Attachment[]> {
    const ticketId = await this.tickets.visibleTicketId(actor, number);
    let q = this.selectRows(this.ctx.db.read).where('ticket_id', '=', ticketId);
    if (!can(actor, 'ticket.internal')) q = q.where('internal', '=', 0);
    const rows = await q.orderBy('attachments.id').limit(500).execute();
    const list = rows.map((r) => this.dto(r, number));
    return actor.role === 'customer' ? customerAttachments(list, await this.tickets.customerLens(actor, number)) : list;
  }

  async open(actor: Actor, id: number): Promise<{ file: string; filename: string; contentType: string; size: number }> {
    const row = await this.ctx.db.read.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw NotFound('error.attachment_not_found');
    await this.tickets.visibleTicketById(actor, row.ticket_id);
    if (row.internal === 1 && !can(actor, 'ticket.internal')) throw NotFound('error.attachment_not_found');
    const file = path.join(this.root, row.storage_key);
    if (!fs.existsSync(file)) throw NotFound('error.attachment_not_found');
    return { file, filename: row.filename, contentType: row.content_type, size: row.size };
  }
}
