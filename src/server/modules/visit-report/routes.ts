// Routes: completing a visit — report, parts used, photos, signature, quote, acceptance, payment — and the
// customer's view of their quotes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Attachment, NumberParams } from '../../../shared/schemas.js';
import { PartsUsedBody, PaymentBody, PortalQuotes, QuoteAcceptBody, VisitReport, VisitReportBody } from '../../../shared/visit-report.js';
import { SignatureQuery, VisitIdParams } from '../../../shared/visits.js';
import { actorOf } from '../../http/auth.js';
import { AppError, requestLanguage } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey } from '../../http/headers.js';
import type { Services } from '../../services.js';

async function oneFile(req: FastifyRequest) {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
  const part = await req.file();
  if (!part) throw new AppError(400, 'validation_failed', 'error.file_required', {}, { file: 'field.required' });
  return { filename: part.filename, stream: part.file, truncated: () => part.file.truncated };
}

export function visitReportRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['visits'];
  const read = (req: FastifyRequest, id: number) => s.visitReport.read(actorOf(req), id);

  r.get('/api/visits/:id/report', { schema: { tags, summary: "A visit's service report: visit, unit, warranty, report, parts used with cost, photos, signature, quote, payment", params: VisitIdParams, response: { 200: VisitReport } } }, async (req) =>
    read(req, req.params.id),
  );
  r.put('/api/visits/:id/report', { schema: { tags, summary: "Save the report (the visit's engineer, on site); version 0 first; the same save retried answers the saved report", params: VisitIdParams, body: VisitReportBody, response: { 200: VisitReport } } }, async (req) => {
    await s.visitWork.saveReport(actorOf(req), req.params.id, req.body, requestLanguage(req));
    return read(req, req.params.id);
  });
  r.post(
    '/api/visits/:id/parts-used',
    { schema: { tags, summary: 'Parts used: consumed from the reservation, else free stock (409 insufficient_stock beyond); Idempotency-Key makes a retry answer the first', params: VisitIdParams, headers: CreateHeaders, body: PartsUsedBody, response: { 200: VisitReport } } },
    async (req) => {
      await s.visitWork.useParts(actorOf(req), req.params.id, req.body, idempotencyKey(req), requestLanguage(req));
      return read(req, req.params.id);
    },
  );
  r.post(
    '/api/visits/:id/photos',
    { schema: { tags, summary: 'A photo of the job (multipart field "file", an image); staff-only attachment of the ticket; a retry with the same Idempotency-Key answers the file it made (also once the engineer has left)', params: VisitIdParams, headers: CreateHeaders, consumes: ['multipart/form-data'], response: { 201: Attachment } } },
    async (req, reply) => {
      const key = idempotencyKey(req);
      return reply.status(201).send(await s.visitWork.addPhoto(actorOf(req), req.params.id, await oneFile(req), requestLanguage(req), key));
    },
  );
  r.post(
    '/api/visits/:id/signature',
    {
      schema: {
        tags,
        summary: "The customer's signature (multipart field \"file\", PNG, at most 256 KB): records the 'signed' step at `at` (when it was signed; a phone that was offline sends it later); a retry with the same Idempotency-Key answers the signature it made",
        params: VisitIdParams,
        querystring: SignatureQuery,
        headers: CreateHeaders,
        consumes: ['multipart/form-data'],
        response: { 201: Attachment },
      },
    },
    async (req, reply) => {
      const key = idempotencyKey(req);
      return reply.status(201).send(await s.visitWork.sign(actorOf(req), req.params.id, await oneFile(req), requestLanguage(req), { key, at: req.query.at }));
    },
  );
  r.post('/api/visits/:id/quote', { schema: { tags, summary: 'Price the visit (fee standard, warranty, fault class, parts reserved and used) for the customer to accept', params: VisitIdParams, response: { 200: VisitReport } } }, async (req) => {
    await s.visitCharges.quote(actorOf(req), req.params.id, requestLanguage(req));
    return read(req, req.params.id);
  });
  r.post('/api/visits/:id/quote/accept', { schema: { tags, summary: 'The customer accepted the quote on the engineer’s phone', params: VisitIdParams, body: QuoteAcceptBody, response: { 200: VisitReport } } }, async (req) => {
    await s.visitCharges.accept(actorOf(req), req.params.id, req.body);
    return read(req, req.params.id);
  });
  r.post('/api/visits/:id/payment', { schema: { tags, summary: "What was collected (cash, transfer, QR with reference) against the accepted quote: receipt number, 'charged' step", params: VisitIdParams, body: PaymentBody, response: { 200: VisitReport } } }, async (req) => {
    await s.visitCharges.charge(actorOf(req), req.params.id, req.body, requestLanguage(req));
    return read(req, req.params.id);
  });
  r.get('/api/tickets/:number/quotes', { schema: { tags, summary: "The customer's quotes and payments of their ticket's visits (customer-safe: no costs, no staff)", params: NumberParams, response: { 200: PortalQuotes } } }, async (req) => ({
    items: await s.visitCharges.forCustomer(actorOf(req), req.params.number),
  }));
}
