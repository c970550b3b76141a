// Satisfaction surveys (issue 15; SPEC §12; seed 000 §二(四)1 满意度调查): the admin's form in versions, one survey
// per ticket — created when the ticket closes (the customer message about the closing carries its signed link), or
// sent by hand or through the API — answered once by signed link without signing in or from the signed-in portal. A
// low answer opens a follow-up task (follow-ups.ts); the report's numbers are in reports.ts.
import type { Kysely, Selectable } from 'kysely';
import type { Language } from '../../../shared/enums.js';
import type { CustomerSurvey, SurveyAnswer, SurveyAnswerBody, SurveyForm, SurveyFormBody, SurveyQuestion, SurveySource, SurveyWording, TicketSurvey } from '../../../shared/surveys.js';
import type { AppContext } from '../../context.js';
import type { DB, SurveyFormsTable, SurveysTable } from '../../db/schema.js';
import { writesTickets, type Actor } from '../../domain/access.js';
import { isoString as iso } from '../../domain/iso.js';
import { checkAnswers, checkForm, customerSurvey, followUpReasons, normaliseForm } from '../../domain/surveys.js';
import { requireAccess } from '../../http/access.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import type { LinksService } from '../links/service.js';
import { LINK_LIFETIME_MS } from '../links/service.js';
import type { SlaService } from '../sla/service.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent, type TicketRow } from '../tickets/repo.js';
import { SurveyFollowUps } from './follow-ups.js';
import { SurveyReports } from './reports.js';

export type SurveyRow = Selectable<SurveysTable>;
type FormRow = Selectable<SurveyFormsTable>;
type ParsedForm = { version: number; wording: SurveyWording; questions: SurveyQuestion[]; createdAt: number; createdBy: number | null };

export class SurveysService {
  readonly followUps: SurveyFollowUps;
  readonly reports: SurveyReports;

  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
    private readonly links: LinksService,
    sla: SlaService,
  ) {
    this.followUps = new SurveyFollowUps(ctx, tickets, sla);
    this.reports = new SurveyReports(ctx, tickets);
    // A ticket that closes gets its survey in the same transaction; a second review recorded closes its follow-up.
    tickets.core.closedHooks.push((trx, _actor, row) => this.ensure(trx, row, 'auto', null).then(() => undefined));
    tickets.core.secondReviewRecordedHooks.push((trx, actor, review) => this.followUps.closeBySecondReview(trx, actor, review));
  }

  // ------------------------------------------------------------ the form

  private parse(r: FormRow): ParsedForm {
    return { version: r.version, wording: JSON.parse(r.wording) as SurveyWording, questions: JSON.parse(r.questions) as SurveyQuestion[], createdAt: r.created_at, createdBy: r.created_by };
  }

  private async current(db: Kysely<DB>): Promise<ParsedForm> {
    const r = await db.selectFrom('survey_forms').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
    return this.parse(r);
  }

  private async version(db: Kysely<DB>, version: number): Promise<ParsedForm | null> {
    const r = await db.selectFrom('survey_forms').selectAll().where('version', '=', version).executeTakeFirst();
    return r ? this.parse(r) : null;
  }

  private async formDto(f: ParsedForm): Promise<SurveyForm> {
    return { version: f.version, wording: f.wording, questions: f.questions, createdAt: iso(f.createdAt), createdBy: await this.tickets.core.userRef(f.createdBy) };
  }

  async form(actor: Actor, version?: number): Promise<SurveyForm> {
    requireAccess(actor, 'admin');
    const f = version === undefined ? await this.current(this.ctx.db.read) : await this.version(this.ctx.db.read, version);
    if (!f) throw NotFound('error.survey_form_not_found', { version: version ?? 0 });
    return this.formDto(f);
  }

  /** A changed form is a new version: surveys already sent keep theirs, and their answers the questions they answered. */
  async saveForm(actor: Actor, body: SurveyFormBody): Promise<SurveyForm> {
    requireAccess(actor, 'admin');
    const errors = checkForm(body);
    if (Object.keys(errors).length > 0) throw Invalid(errors);
    const next = normaliseForm(body);
    const saved = await this.ctx.db.write(async (trx) => {
      const cur = await this.current(trx);
      if (JSON.stringify({ wording: cur.wording, questions: cur.questions }) === JSON.stringify(next)) return cur;
      const row = { version: cur.version + 1, wording: JSON.stringify(next.wording), questions: JSON.stringify(next.questions), created_at: this.ctx.clock.now(), created_by: actor.id };
      // Two admins saving at once: the version is the primary key, so the second one fails and is told to reload.
      const res = await trx.insertInto('survey_forms').values(row).onConflict((oc) => oc.column('version').doNothing()).executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) throw Conflict('stale_version', 'error.survey_form_stale');
      return this.parse(row);
    });
    return this.formDto(saved);
  }

  // ------------------------------------------------------------ sending

  /** The ticket's survey, created (with the current form) if it has none; its creation is in the timeline. */
  private async ensure(trx: Kysely<DB>, row: Pick<TicketRow, 'id'>, source: SurveySource, actorId: number | null): Promise<SurveyRow> {
    const existing = await trx.selectFrom('surveys').selectAll().where('ticket_id', '=', row.id).executeTakeFirst();
    if (existing) return existing;
    const now = this.ctx.clock.now();
    const form = await this.current(trx);
    const res = await trx
      .insertInto('surveys')
      .values({ ticket_id: row.id, form_version: form.version, source, sent_at: now, sent_by: actorId, answered_at: null, answered_via: null, answered_by: null, language: null, score: null, nps: null, comment: null, answers: null, department_id: null })
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .executeTakeFirst();
    // Another transaction may have made it first (PostgreSQL): theirs stands, and so does its one timeline entry.
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) {
      await appendEvent(trx, row.id, now, actorId, 'survey_sent', { internal: true, details: { source, formVersion: form.version } });
    }
    return trx.selectFrom('surveys').selectAll().where('ticket_id', '=', row.id).executeTakeFirstOrThrow();
  }

  /** Staff (the ticket page's button) or an API client: the survey of a closed ticket and its link to send or copy. */
  async send(actor: Actor, number: string, source: 'manual' | 'api'): Promise<TicketSurvey> {
    if (!writesTickets(actor)) throw Forbidden();
    await this.tickets.tx(async (trx) => {
      const row = await this.tickets.findVisible(trx, actor, number);
      if (row.status !== 'closed') throw Conflict('invalid_transition', 'error.survey_ticket_not_closed');
      await this.ensure(trx, row, source, actor.id);
    });
    return (await this.forTicket(actor, number))!;
  }

  /** The ticket's survey as staff see it: the link while unanswered, the answer with the questions it answered, the follow-up. */
  async forTicket(actor: Actor, number: string): Promise<TicketSurvey | null> {
    requireAccess(actor, 'ticket.internal');
    const db = this.ctx.db.read;
    const row = await this.tickets.findVisible(db, actor, number);
    const s = await db.selectFrom('surveys').selectAll().where('ticket_id', '=', row.id).executeTakeFirst();
    if (!s) return null;
    const form = (await this.version(db, s.form_version))!;
    const answered = s.answered_at !== null;
    return {
      id: s.id,
      status: answered ? 'answered' : 'sent',
      source: s.source as SurveySource,
      sentAt: iso(s.sent_at),
      sentBy: await this.tickets.core.userRef(s.sent_by),
      link: answered ? null : await this.links.url('survey', row.id),
      linkExpiresAt: answered ? null : iso(this.ctx.clock.now() + LINK_LIFETIME_MS.survey),
      form: await this.formDto(form),
      answer: answerOf(s),
      answeredVia: (s.answered_via as TicketSurvey['answeredVia']) ?? null,
      followUp: await this.followUps.ofSurvey(s.id),
    };
  }

  // ------------------------------------------------------------ the customer

  /** The ticket a survey link opens; an expired link and a wrong one are told apart, so the page can say which. */
  private async ticketOfToken(token: string): Promise<number> {
    const check = await this.links.check(token, 'survey');
    if (check.ok) return check.claims.subject;
    if (check.reason === 'expired') throw new AppError(410, 'link_expired', 'error.survey_link_expired');
    throw NotFound('error.survey_link_invalid');
  }

  private async ticketById(db: Kysely<DB>, id: number): Promise<TicketRow> {
    const row = (await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()) as TicketRow | undefined;
    if (!row) throw NotFound('error.survey_link_invalid');
    return row;
  }

  private async customerView(db: Kysely<DB>, ticket: TicketRow): Promise<CustomerSurvey> {
    const s = await db.selectFrom('surveys').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirst();
    if (!s && ticket.status !== 'closed') throw Conflict('conflict', 'error.survey_not_available');
    // A ticket closed before surveys existed (or whose survey row the closing did not make) answers the current form.
    const form = s ? (await this.version(db, s.form_version))! : await this.current(db);
    return customerSurvey({ ticket: { number: ticket.number, title: ticket.title }, form, answer: s ? answerOf(s) : null });
  }

  async publicView(token: string): Promise<CustomerSurvey> {
    const ticketId = await this.ticketOfToken(token);
    return this.customerView(this.ctx.db.read, await this.ticketById(this.ctx.db.read, ticketId));
  }

  async publicAnswer(token: string, body: SurveyAnswerBody, lang: Language): Promise<CustomerSurvey> {
    const ticketId = await this.ticketOfToken(token);
    await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.ticketById(trx, ticketId);
      await this.answerIn(trx, ticket, body, { via: 'link', userId: null, lang }, notified);
    });
    return this.customerView(this.ctx.db.read, await this.ticketById(this.ctx.db.read, ticketId));
  }

  /** The signed-in customer's survey of their own ticket (the portal's ticket page). */
  async portalView(actor: Actor, number: string): Promise<CustomerSurvey> {
    if (actor.role !== 'customer') throw Forbidden();
    const ticket = await this.tickets.findVisible(this.ctx.db.read, actor, number);
    return this.customerView(this.ctx.db.read, ticket);
  }

  async portalAnswer(actor: Actor, number: string, body: SurveyAnswerBody, lang: Language): Promise<CustomerSurvey> {
    if (actor.role !== 'customer') throw Forbidden();
    await this.tickets.tx(async (trx, notified) => {
      const ticket = await this.tickets.findVisible(trx, actor, number);
      await this.answerIn(trx, ticket, body, { via: 'portal', userId: actor.id, lang }, notified);
    });
    return this.portalView(actor, number);
  }

  /**
   * One answer per ticket: the same answer sent again (a retry) is taken as given; another one is refused. A score of
   * 1–2 or an NPS of 0–6 opens the follow-up task in the same transaction.
   */
  private async answerIn(trx: Kysely<DB>, ticket: TicketRow, body: SurveyAnswerBody, by: { via: 'link' | 'portal'; userId: number | null; lang: Language }, notified: Set<number>) {
    let s = await trx.selectFrom('surveys').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirst();
    if (!s) {
      if (ticket.status !== 'closed') throw Conflict('conflict', 'error.survey_not_available');
      s = await this.ensure(trx, ticket, 'auto', null);
    }
    const comment = body.comment ? body.comment : null;
    if (s.answered_at !== null) {
      if (s.score === body.score && s.nps === body.nps && (s.comment ?? null) === comment) return;
      throw Conflict('conflict', 'error.survey_answered');
    }
    const form = (await this.version(trx, s.form_version))!;
    const { errors, clean } = checkAnswers(form.questions, body.answers);
    if (Object.keys(errors).length > 0) throw Invalid(errors);
    const now = this.ctx.clock.now();
    const res = await trx
      .updateTable('surveys')
      .set({ answered_at: now, answered_via: by.via, answered_by: by.userId, language: by.lang, score: body.score, nps: body.nps, comment, answers: JSON.stringify(clean), department_id: ticket.department_id })
      .where('id', '=', s.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw Conflict('conflict', 'error.survey_answered');
    await trx.updateTable('tickets').set({ updated_at: now }).where('id', '=', ticket.id).execute();
    await appendEvent(trx, ticket.id, now, by.userId, 'survey_answered', {
      internal: true,
      note: comment,
      details: { score: body.score, nps: body.nps, via: by.via, formVersion: s.form_version, answers: clean },
    });
    const reasons = followUpReasons(body.score, body.nps);
    if (reasons.length > 0) await this.followUps.open(trx, ticket, { id: s.id, score: body.score, nps: body.nps, comment }, reasons, notified);
  }
}

function answerOf(s: SurveyRow): SurveyAnswer | null {
  if (s.answered_at === null || s.score === null || s.nps === null) return null;
  return { score: s.score, nps: s.nps, comment: s.comment, answers: s.answers ? (JSON.parse(s.answers) as SurveyAnswer['answers']) : {}, answeredAt: iso(s.answered_at) };
}
