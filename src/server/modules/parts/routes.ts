// Routes: spare parts — catalog, locations, stock views, moves (idempotent with Idempotency-Key), low-stock alerts and
// the consumption / turnover reports (JSON, CSV or XLSX).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { id } from '../../../shared/fields.js';
import {
  ConsumptionQuery,
  ConsumptionReport,
  LocationBody,
  Location,
  LocationPatchBody,
  LocationsQuery,
  LocationsResult,
  MoveBody,
  MoveResult,
  MovesPage,
  MovesQuery,
  Part,
  PartBody,
  PartPatchBody,
  PartsPage,
  PartsQuery,
  PeriodQuery,
  StockResult,
  StockRow,
  ThresholdBody,
  TurnoverReport,
} from '../../../shared/parts.js';
import { IdParams } from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import { CreateHeaders, idempotencyKey } from '../../http/headers.js';
import type { Services } from '../../services.js';
import { toCsv, toXlsx, type Table } from './reports.js';

const PartLocationParams = z.object({ id, locationId: id });

async function sendTable(reply: FastifyReply, format: 'csv' | 'xlsx', table: Table, name: string) {
  const body = format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : await toXlsx(table, name);
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}.${format}"`).send(body);
}

export function partRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['parts'];

  r.get('/api/parts', { schema: { tags, summary: 'The parts catalog with stock summed over locations: search by code, name or model; only low ones', querystring: PartsQuery, response: { 200: PartsPage } } }, async (req) =>
    s.parts.catalog.list(actorOf(req), req.query),
  );
  r.post('/api/parts', { schema: { tags, summary: 'Add a part to the catalog (manager, director, admin)', body: PartBody, response: { 201: Part } } }, async (req, reply) =>
    reply.status(201).send(await s.parts.catalog.create(actorOf(req), req.body)),
  );
  r.get('/api/parts/:id', { schema: { tags, summary: 'A part with its compatible models and stock', params: IdParams, response: { 200: Part } } }, async (req) => s.parts.catalog.get(actorOf(req), req.params.id));
  r.patch('/api/parts/:id', { schema: { tags, summary: 'Edit a part (manager, director, admin)', params: IdParams, body: PartPatchBody, response: { 200: Part } } }, async (req) =>
    s.parts.catalog.update(actorOf(req), req.params.id, req.body),
  );
  r.get('/api/parts/:id/stock', { schema: { tags, summary: "A part's stock per location (on hand, reserved, available, threshold, low)", params: IdParams, response: { 200: StockResult } } }, async (req) => ({
    items: await s.parts.byPart(actorOf(req), req.params.id),
  }));
  r.put('/api/parts/:id/stock/:locationId/threshold', { schema: { tags, summary: "A location's own low-stock threshold for the part (null: the part's, in a warehouse)", params: PartLocationParams, body: ThresholdBody, response: { 200: StockRow } } }, async (req) =>
    s.parts.setThreshold(actorOf(req), req.params.id, req.params.locationId, req.body),
  );

  r.get('/api/stock-locations', { schema: { tags, summary: 'Warehouses and engineers’ vans (active=all: the ones out of use too)', querystring: LocationsQuery, response: { 200: LocationsResult } } }, async (req) => ({
    items: await s.parts.catalog.locations(actorOf(req), req.query),
  }));
  r.post('/api/stock-locations', { schema: { tags, summary: "Add a warehouse or an engineer's van (manager, director, admin)", body: LocationBody, response: { 201: Location } } }, async (req, reply) =>
    reply.status(201).send(await s.parts.catalog.createLocation(actorOf(req), req.body)),
  );
  r.patch('/api/stock-locations/:id', { schema: { tags, summary: "Rename a location, hand a van to another engineer, take a location out of use (manager, director, admin; refused while it holds stock)", params: IdParams, body: LocationPatchBody, response: { 200: Location } } }, async (req) =>
    s.parts.catalog.updateLocation(actorOf(req), req.params.id, req.body),
  );
  r.get('/api/stock-locations/:id/stock', { schema: { tags, summary: 'What one location holds', params: IdParams, response: { 200: StockResult } } }, async (req) => ({
    items: await s.parts.byLocation(actorOf(req), req.params.id),
  }));

  r.get('/api/stock/mine', { schema: { tags, summary: "The signed-in engineer's van(s) and their stock", response: { 200: z.object({ locations: z.array(Location), items: z.array(StockRow) }) } } }, async (req) =>
    s.parts.mine(actorOf(req)),
  );
  r.get('/api/stock/alerts', { schema: { tags, summary: 'Parts whose available stock is below the threshold, per location', response: { 200: StockResult } } }, async (req) => ({ items: await s.parts.alerts(actorOf(req)) }));
  r.get('/api/stock/moves', { schema: { tags, summary: 'The stock ledger, newest first: by part, location or ticket', querystring: MovesQuery, response: { 200: MovesPage } } }, async (req) => s.parts.moves.list(actorOf(req), req.query));
  r.post(
    '/api/stock/moves',
    {
      schema: {
        tags,
        summary: 'Move stock: receive, transfer, reserve, release, consume, return, adjust. Refused (409 insufficient_stock) when it would take more than is available; a retry with the same Idempotency-Key returns the same move',
        headers: CreateHeaders,
        body: MoveBody,
        response: { 201: MoveResult, 200: MoveResult },
      },
    },
    async (req, reply) => {
      const made = await s.parts.moves.move(actorOf(req), req.body, idempotencyKey(req));
      return reply.status(made.created ? 201 : 200).send({ move: made.move, balances: made.balances });
    },
  );

  r.get('/api/reports/parts/consumption', { schema: { tags: ['reports'], summary: 'Parts consumed per part, engineer or month over a period (format=csv|xlsx to export)', querystring: ConsumptionQuery, response: { 200: ConsumptionReport } } }, async (req, reply) => {
    const lang = requestLanguage(req);
    const report = await s.parts.reports.consumption(actorOf(req), req.query, lang);
    if (req.query.format === 'json') return report;
    return sendTable(reply, req.query.format, s.parts.reports.consumptionTable(report, lang), `parts-consumption-${report.from}-${report.to}`);
  });
  r.get('/api/reports/parts/turnover', { schema: { tags: ['reports'], summary: 'Stock turnover per part: consumed quantity and cost over the average on-hand of the period (format=csv|xlsx to export)', querystring: PeriodQuery, response: { 200: TurnoverReport } } }, async (req, reply) => {
    const lang = requestLanguage(req);
    const report = await s.parts.reports.turnover(actorOf(req), req.query, lang);
    if (req.query.format === 'json') return report;
    return sendTable(reply, req.query.format, s.parts.reports.turnoverTable(report, lang), `parts-turnover-${report.from}-${report.to}`);
  });
}
