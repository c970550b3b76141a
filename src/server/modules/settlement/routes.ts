// Routes: settlement review of finished visits and the monthly settlement per engineer or provider (JSON, CSV, XLSX).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  MonthlyExportQuery,
  MonthlySettlement,
  MonthlySettlementQuery,
  SettlementDecisionBody,
  SettlementItem,
  SettlementList,
  SettlementQuery,
  VisitIdParam,
} from '../../../shared/settlement.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { Services } from '../../services.js';
import { toCsv, toXlsx, type Table } from '../parts/reports.js';

export function settlementRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['settlement'];

  r.get('/api/settlements', { schema: { tags, summary: "The month's finished visits with charges, parts and review state (manager, director, admin)", querystring: SettlementQuery, response: { 200: SettlementList } } }, async (req) =>
    s.settlement.list(actorOf(req), req.query, requestLanguage(req)),
  );
  r.post(
    '/api/settlements/:visitId/decision',
    { schema: { tags, summary: "Approve or reject a finished visit's charges and parts as listed (the fingerprint); the same decision again is a no-op", params: VisitIdParam, body: SettlementDecisionBody, response: { 200: SettlementItem } } },
    async (req) => s.settlement.decide(actorOf(req), req.params.visitId, req.body, requestLanguage(req)),
  );
  r.get('/api/settlements/monthly', { schema: { tags, summary: 'The month per engineer or per service provider: approved money, open reviews', querystring: MonthlySettlementQuery, response: { 200: MonthlySettlement } } }, async (req) =>
    s.settlement.monthly(actorOf(req), req.query, requestLanguage(req)),
  );
  r.get('/api/settlements/monthly/export', { schema: { tags, summary: 'The monthly settlement as CSV or XLSX (amounts in yuan)', querystring: MonthlyExportQuery } }, async (req, reply) => {
    const lang = requestLanguage(req);
    const m = await s.settlement.monthly(actorOf(req), req.query, lang);
    const col = (k: string) => t(lang, `settlement.col.${k}`);
    const yuan = (fen: number) => fen / 100;
    const line = (name: string, x: MonthlySettlement['total']) => [name, x.visits, x.approved, x.pending, x.rejected, yuan(x.charged), yuan(x.collected), yuan(x.difference), yuan(x.labour), yuan(x.partsBilled), yuan(x.partsCost)];
    const table: Table = {
      headers: [t(lang, `settlement.by.${m.by}`), ...['visits', 'approved', 'pending', 'rejected', 'charged', 'collected', 'difference', 'labour', 'parts_billed', 'parts_cost'].map(col)],
      rows: [...m.rows.map((x) => line(x.name, x)), line(col('total'), m.total)],
    };
    const name = `settlement-${m.month}-${m.by}`;
    const format = req.query.format;
    const body = format === 'csv' ? Buffer.from(toCsv(table), 'utf8') : await toXlsx(table, name);
    const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return reply.header('content-type', type).header('content-disposition', `attachment; filename="${name}.${format}"`).send(body);
  });
}
