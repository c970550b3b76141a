// Routes: knowledge-base articles, search, suggestions, revisions and diff, feedback and deflections, counts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  IdParams,
  KbArticle,
  KbArticleCreateBody,
  KbArticlePatchBody,
  KbArticleQuery,
  KbDeflectionBody,
  KbDeflectionResult,
  KbDiff,
  KbDiffQuery,
  KbFeedbackBody,
  KbFeedbackResult,
  KbFromTicketBody,
  KbLines,
  KbPreview,
  KbPreviewBody,
  KbRevisionDetail,
  KbRevisionList,
  KbRevisionParams,
  KbSearchPage,
  KbSearchQuery,
  KbStats,
  KbStatsQuery,
  KbSuggestions,
  KbSuggestQuery,
} from '../../../shared/schemas.js';
import { actorOf } from '../../http/auth.js';
import { requireAccess } from '../../http/access.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { publicActor, publicLimit } from './access.js';

export function kbRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge base'];
  const max = s.ctx.config.publicRateLimit;
  // Reading and searching are what a portal page does on every keystroke (debounced) and view; writes are rarer.
  const readLimit = publicLimit(app, 'kb-read', max);
  const writeLimit = publicLimit(app, 'kb-write', Math.max(1, Math.floor(max / 4)));
  const open = { public: true };

  r.get(
    '/api/kb/articles',
    { config: open, preHandler: readLimit, schema: { tags, summary: 'Search (ranked, marked snippets) or list articles; customers and anonymous callers get published public ones', querystring: KbSearchQuery, response: { 200: KbSearchPage } } },
    async (req, reply) => {
      // JSON bytes from a read worker (dispatcher.ts), sent as they are; or the page made on this thread.
      const page = await s.dispatcher.kbSearch(publicActor(req), req.query);
      return Buffer.isBuffer(page) ? reply.type('application/json; charset=utf-8').send(page as never) : page;
    },
  );
  r.get(
    '/api/kb/suggest',
    { config: open, preHandler: readLimit, schema: { tags, summary: 'Articles for what was typed, or (staff) for a ticket', querystring: KbSuggestQuery, response: { 200: KbSuggestions } } },
    async (req) => s.kbSearch.suggest(publicActor(req), req.query),
  );
  r.get(
    '/api/kb/articles/:id',
    { config: open, preHandler: readLimit, schema: { tags, summary: 'One article (rendered and sanitised; staff also get the Markdown)', params: IdParams, querystring: KbArticleQuery, response: { 200: KbArticle } } },
    async (req) => s.kb.get(publicActor(req), req.params.id, req.query.clientId),
  );
  r.post('/api/kb/articles', { schema: { tags, summary: 'Write an article', body: KbArticleCreateBody, response: { 201: KbArticle } } }, async (req, reply) => {
    reply.code(201);
    return s.kb.create(actorOf(req), req.body);
  });
  r.patch('/api/kb/articles/:id', { schema: { tags, summary: 'Change an article (a new revision); needs its version', params: IdParams, body: KbArticlePatchBody, response: { 200: KbArticle } } }, async (req) =>
    s.kb.update(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/kb/articles/from-ticket',
    { schema: { tags, summary: "An internal draft from a ticket's question and solution (the same one again on a retry)", body: KbFromTicketBody, response: { 200: KbArticle, 201: KbArticle } } },
    async (req, reply) => {
      const { article, created } = await s.kb.fromTicket(actorOf(req), req.body.number, requestLanguage(req));
      reply.code(created ? 201 : 200);
      return article;
    },
  );
  r.post('/api/kb/preview', { schema: { tags, summary: 'Markdown rendered and sanitised as an article shows it', body: KbPreviewBody, response: { 200: KbPreview } } }, async (req) => {
    requireAccess(actorOf(req), 'kb.write');
    return s.kb.preview(req.body.body);
  });
  r.get('/api/kb/articles/:id/revisions', { schema: { tags, summary: "An article's revisions, newest first (staff)", params: IdParams, response: { 200: KbRevisionList } } }, async (req) => ({
    items: await s.kb.revisions(actorOf(req), req.params.id),
  }));
  r.get('/api/kb/articles/:id/revisions/:revision', { schema: { tags, summary: 'One revision as it was saved (staff)', params: KbRevisionParams, response: { 200: KbRevisionDetail } } }, async (req) =>
    s.kb.revision(actorOf(req), req.params.id, req.params.revision),
  );
  r.get('/api/kb/articles/:id/diff', { schema: { tags, summary: 'What changed between two revisions (staff)', params: IdParams, querystring: KbDiffQuery, response: { 200: KbDiff } } }, async (req) =>
    s.kb.diff(actorOf(req), req.params.id, req.query.from, req.query.to),
  );
  r.post(
    '/api/kb/articles/:id/feedback',
    { config: open, preHandler: writeLimit, schema: { tags, summary: 'Was this helpful: one vote per person (or browser clientId) and article; a retry changes nothing', params: IdParams, body: KbFeedbackBody, response: { 200: KbFeedbackResult } } },
    async (req) => s.kbFeedback.vote(publicActor(req), req.params.id, req.body.helpful, req.body.clientId),
  );
  r.post(
    '/api/kb/deflections',
    { config: open, preHandler: writeLimit, schema: { tags, summary: '"This solved it": counted once per person (or clientId), article and source', body: KbDeflectionBody, response: { 200: KbDeflectionResult } } },
    async (req) => s.kbFeedback.deflect(publicActor(req), req.body),
  );
  r.get('/api/kb/stats', { schema: { tags, summary: 'Knowledge-base and assistant counts for reports (staff)', querystring: KbStatsQuery, response: { 200: KbStats } } }, async (req) =>
    s.kbFeedback.stats(actorOf(req), req.query),
  );
  r.get('/api/kb/lines', { config: open, preHandler: readLimit, schema: { tags, summary: 'Product lines, labelled in the caller language', response: { 200: KbLines } } }, async (req) => ({
    items: await s.kb.lines(requestLanguage(req)),
  }));
}
