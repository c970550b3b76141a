// Routes: the product catalog, fault classes, customers' units (list, lookup by serial, page, create, edit, replace) and
// the units import.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../shared/schemas.js';
import {
  FaultClassesBody,
  FaultClassList,
  Product,
  ProductCreateBody,
  ProductDetail,
  ProductPatchBody,
  ProductsQuery,
  UnitCreateBody,
  UnitDetail,
  UnitImportResult,
  UnitLookupQuery,
  UnitPatchBody,
  UnitRecord,
  UnitReplaceBody,
  UnitsQuery,
} from '../../../shared/products.js';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import { AppError, requestLanguage } from '../../http/errors.js';
import { ifMatchVersion, WriteHeaders } from '../../http/headers.js';
import type { Services } from '../../services.js';

export function productRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['products'];
  r.get('/api/products', { schema: { tags, summary: 'The product catalog: search by model, name or line', querystring: ProductsQuery, response: { 200: page(Product) } } }, async (req) =>
    s.products.list(actorOf(req), req.query),
  );
  r.post('/api/products', { schema: { tags, summary: 'Add a model (managers and admins)', body: ProductCreateBody, response: { 201: ProductDetail } } }, async (req, reply) =>
    reply.status(201).send(await s.products.create(actorOf(req), req.body)),
  );
  r.get('/api/products/:id', { schema: { tags, summary: 'A model with its fee standard and the spare parts that fit it', params: IdParams, response: { 200: ProductDetail } } }, async (req) =>
    s.products.get(actorOf(req), req.params.id),
  );
  r.patch(
    '/api/products/:id',
    { schema: { tags, summary: "Edit a model; its units' warranty is derived again", params: IdParams, headers: WriteHeaders, body: ProductPatchBody, response: { 200: ProductDetail } } },
    async (req) => s.products.update(actorOf(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  r.get('/api/fault-classes', { schema: { tags, summary: 'Fault classes the labour charges are priced by', response: { 200: FaultClassList } } }, async (req) => s.products.faultClasses(actorOf(req)));
  r.put('/api/fault-classes', { schema: { tags, summary: 'Replace the fault classes (a class priced on a product stays)', body: FaultClassesBody, response: { 200: FaultClassList } } }, async (req) =>
    s.products.setFaultClasses(actorOf(req), req.body),
  );

  const utags = ['units'];
  r.get('/api/units', { schema: { tags: utags, summary: 'Units: search by serial, model, customer name or phone; filter by warranty today', querystring: UnitsQuery, response: { 200: page(UnitRecord) } } }, async (req) =>
    s.units.list(actorOf(req), req.query),
  );
  r.get('/api/units/lookup', { schema: { tags: utags, summary: 'The unit with this serial (and model): fills a ticket and shows its warranty', querystring: UnitLookupQuery, response: { 200: z.object({ items: z.array(UnitRecord) }) } } }, async (req) =>
    s.units.lookup(actorOf(req), req.query.serial, req.query.model),
  );
  r.post('/api/units', { schema: { tags: utags, summary: 'Register a unit', body: UnitCreateBody, response: { 201: UnitDetail } } }, async (req, reply) =>
    reply.status(201).send(await s.units.create(actorOf(req), req.body)),
  );
  r.post(
    '/api/units/import',
    {
      schema: {
        tags: utags,
        summary: 'Import units from a CSV or XLSX file (multipart field "file"); a report per row; rows already on file are skipped',
        consumes: ['multipart/form-data'],
        response: { 200: UnitImportResult },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'error.unsupported_media_type');
      const part = await req.file();
      if (!part) throw new AppError(400, 'validation_failed', 'error.file_required', {}, { file: 'field.required' });
      const data = await part.toBuffer();
      return s.unitImport.run(actorOf(req), requestLanguage(req), { filename: part.filename, data });
    },
  );
  r.get('/api/units/:id', { schema: { tags: utags, summary: "A unit: warranty, full service history (its predecessors' too), label link", params: IdParams, response: { 200: UnitDetail } } }, async (req) =>
    s.units.get(actorOf(req), req.params.id),
  );
  r.patch(
    '/api/units/:id',
    { schema: { tags: utags, summary: 'Edit a unit; its warranty is derived again', params: IdParams, headers: WriteHeaders, body: UnitPatchBody, response: { 200: UnitDetail } } },
    async (req) => s.units.update(actorOf(req), req.params.id, req.body, ifMatchVersion(req)),
  );
  r.post('/api/units/:id/replace', { schema: { tags: utags, summary: 'Replace a faulty unit by a new one (both serials recorded, history carried over)', params: IdParams, body: UnitReplaceBody, response: { 201: UnitDetail } } }, async (req, reply) =>
    reply.status(201).send(await s.units.replace(actorOf(req), req.params.id, req.body)),
  );
}
