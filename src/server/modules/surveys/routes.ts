// Routes: satisfaction surveys — the admin's form, a ticket's survey (staff), answering by signed link (public) or
// from the portal (signed-in customer), follow-up tasks (回访) and the report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, NumberParams } from '../../../shared/schemas.js';
import {
  CustomerSurvey,
  FollowUpCloseBody,
  FollowUpsPage,
  FollowUpsQuery,
  SendSurveyBody,
  SurveyAnswerBody,
  SurveyFollowUp,
  SurveyForm,
  SurveyFormBody,
  SurveyFormVersionParams,
  SurveyListPage,
  SurveyListQuery,
  SurveyReport,
  SurveyReportQuery,
  SurveyTokenParams,
  TicketSurvey,
  TicketSurveyResult,
} from '../../../shared/surveys.js';
import { actorOf } from '../../http/auth.js';
import { requestLanguage } from '../../http/errors.js';
import type { Services } from '../../services.js';

/** The public pages: a link's token is 128 bits, the limit only keeps a loop from filling the log. */
const PUBLIC_LIMIT = { rateLimit: { max: 60, timeWindow: 60_000 } };

export function surveyRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['surveys'];

  r.get('/api/admin/survey-form', { schema: { tags, summary: 'The current survey form: wording and extra questions (admin)', response: { 200: SurveyForm } } }, async (req) => s.surveys.form(actorOf(req)));
  r.put('/api/admin/survey-form', { schema: { tags, summary: 'Save the survey form as a new version (admin); surveys already sent keep theirs', body: SurveyFormBody, response: { 200: SurveyForm } } }, async (req) =>
    s.surveys.saveForm(actorOf(req), req.body),
  );
  r.get('/api/admin/survey-form/versions/:version', { schema: { tags, summary: 'An earlier version of the survey form (admin)', params: SurveyFormVersionParams, response: { 200: SurveyForm } } }, async (req) =>
    s.surveys.form(actorOf(req), req.params.version),
  );

  r.get('/api/tickets/:number/survey', { schema: { tags, summary: "The ticket's survey as staff see it: link while unanswered, answer, follow-up", params: NumberParams, response: { 200: TicketSurveyResult } } }, async (req) => ({
    survey: await s.surveys.forTicket(actorOf(req), req.params.number),
  }));
  r.post('/api/tickets/:number/survey', { schema: { tags, summary: 'Send the survey of a closed ticket (once; again returns it) and get its signed link', params: NumberParams, body: SendSurveyBody, response: { 200: TicketSurvey } } }, async (req) =>
    s.surveys.send(actorOf(req), req.params.number, req.body.source),
  );
  r.get('/api/tickets/:number/survey/form', { schema: { tags, summary: "The signed-in customer's survey of their ticket", params: NumberParams, response: { 200: CustomerSurvey } } }, async (req) =>
    s.surveys.portalView(actorOf(req), req.params.number),
  );
  r.post('/api/tickets/:number/survey/answer', { schema: { tags, summary: 'The signed-in customer answers (once; the same answer again is taken as given)', params: NumberParams, body: SurveyAnswerBody, response: { 200: CustomerSurvey } } }, async (req) =>
    s.surveys.portalAnswer(actorOf(req), req.params.number, req.body, requestLanguage(req)),
  );

  r.get('/api/public/surveys/:token', { config: { public: true, ...PUBLIC_LIMIT }, schema: { tags, summary: 'The survey a signed link opens, without signing in (410 once expired)', params: SurveyTokenParams, response: { 200: CustomerSurvey } } }, async (req) =>
    s.surveys.publicView(req.params.token),
  );
  r.post('/api/public/surveys/:token', { config: { public: true, ...PUBLIC_LIMIT }, schema: { tags, summary: 'Answer by signed link (once; the same answer again is taken as given)', params: SurveyTokenParams, body: SurveyAnswerBody, response: { 200: CustomerSurvey } } }, async (req) =>
    s.surveys.publicAnswer(req.params.token, req.body, requestLanguage(req)),
  );

  r.get('/api/survey-follow-ups', { schema: { tags, summary: 'Follow-up calls (回访) opened by low answers: open ones soonest deadline first', querystring: FollowUpsQuery, response: { 200: FollowUpsPage } } }, async (req) =>
    s.surveys.followUps.list(actorOf(req), req.query),
  );
  r.post('/api/survey-follow-ups/:id/close', { schema: { tags, summary: "Close a follow-up with its finding (a complaint's also records its second review: verdict needed)", params: IdParams, body: FollowUpCloseBody, response: { 200: SurveyFollowUp } } }, async (req) =>
    s.surveys.followUps.close(actorOf(req), req.params.id, req.body),
  );

  r.get('/api/reports/satisfaction', { schema: { tags: ['reports'], summary: 'Satisfaction over a period: count, average score, CSAT (4–5), NPS; total and per department', querystring: SurveyReportQuery, response: { 200: SurveyReport } } }, async (req) =>
    s.surveys.reports.report(actorOf(req), req.query, requestLanguage(req)),
  );
  r.get('/api/reports/satisfaction/answers', { schema: { tags: ['reports'], summary: 'The answers the satisfaction report counts (same filter), newest first', querystring: SurveyListQuery, response: { 200: SurveyListPage } } }, async (req) =>
    s.surveys.reports.list(actorOf(req), req.query),
  );
}
