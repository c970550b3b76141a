// Routes: the smart assistant (public: the portal's chat box works before signing in).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AssistAskBody, AssistHandover, AssistHandoverBody, AssistReply, AssistSolvedBody, KbDeflectionResult } from '../../../shared/schemas.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';
import { publicLimit } from '../kb/access.js';

export function assistRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistant'];
  const limit = publicLimit(app, 'assist', Math.max(1, Math.floor(s.ctx.config.publicRateLimit / 2)));
  const config = { public: true };
  r.post(
    '/api/assist/ask',
    { config, preHandler: limit, schema: { tags, summary: 'Ask the assistant: an answer from a public article, one clarifying question, or a hand-over to a person', body: AssistAskBody, response: { 200: AssistReply } } },
    async (req) => s.assist.ask(requestLanguage(req), req.body),
  );
  r.post(
    '/api/assist/handover',
    { config, preHandler: limit, schema: { tags, summary: "A new request's title and description from the conversation; counts the hand-over once", body: AssistHandoverBody, response: { 200: AssistHandover } } },
    async (req) => s.assist.handover(requestLanguage(req), req.body.conversationId, req.body.turns),
  );
  r.post(
    '/api/assist/solved',
    { config, preHandler: limit, schema: { tags, summary: '"This solved it" on an answer: a deflection, counted once per conversation', body: AssistSolvedBody, response: { 200: KbDeflectionResult } } },
    async (req) => s.assist.solved(req.body.conversationId, req.body.articleId),
  );
}
