// Routes: upload (multipart field "file"), list and download attachments.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Attachment, IdParams, NumberParams } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey } from '../../http/headers.js';
import type { Services } from '../../services.js';

const UploadQuery = z.object({ internal: z.enum(['true', 'false']).optional() });

export function attachmentRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/tickets/:number/attachments', { schema: { tags: ['attachments'], params: NumberParams, response: { 200: z.object({ items: z.array(Attachment) }) } } }, async (req) => ({
    items: await s.attachments.list(actorOf(req), req.params.number),
  }));

  r.post(
    '/api/tickets/:number/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Upload one file as multipart/form-data field "file" (internal=true for staff-only); type is checked by content; a retry with the same Idempotency-Key answers 200 with the file it made',
        params: NumberParams,
        querystring: UploadQuery,
        headers: CreateHeaders,
        consumes: ['multipart/form-data'],
        response: { 200: Attachment, 201: Attachment },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const key = idempotencyKey(req);
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
      const part = await req.file();
      if (!part) throw new AppError(400, 'validation_failed', 'error.file_required', {}, { file: 'field.required' });
      const fieldInternal = (part.fields.internal as { value?: unknown } | undefined)?.value;
      const internal = req.query.internal === 'true' || fieldInternal === 'true';
      const { attachment, created } = await s.attachments.upload(actor, req.params.number, { filename: part.filename, stream: part.file, truncated: () => part.file.truncated }, internal, key);
      return reply.status(created ? 201 : 200).send(attachment);
    },
  );

  r.get('/api/attachments/:id', { schema: { tags: ['attachments'], summary: 'Download an attachment', params: IdParams } }, async (req, reply) => {
    const f = await s.attachments.open(actorOf(req), req.params.id);
    const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    reply
      .header('content-type', f.contentType)
      .header('content-length', f.size)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    return reply.send(fs.createReadStream(f.file));
  });
}
