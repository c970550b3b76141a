// The satisfaction report (SPEC §12, seed 003: satisfaction and NPS targets): answers over a period (answered_at in
// [from, to)), in total and per department (the ticket's department when answered), and the list of answers behind
// the numbers, with the same filter, so every figure can be traced to the answers it counts (SPEC §13). Beside them: the
// response rate of the surveys sent in the period, and the answers per day for the trend.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../../shared/enums.js';
import type { SurveyListQuery, SurveyReport, SurveyReportQuery } from '../../../shared/surveys.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { seesAllTickets, type Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { isoString as iso } from '../../domain/iso.js';
import { aggregate, type SurveyCounts } from '../../domain/surveys.js';
import { Forbidden, Invalid } from '../../http/errors.js';
import type { TicketsService } from '../tickets/service.js';

const DAY = 86_400_000;
/** Without a period: the last 30 days. */
const DEFAULT_PERIOD_MS = 30 * DAY;
/** The trend's days are China's (no daylight saving time): what the service desk calls "that day". */
const CHINA_OFFSET_MS = 8 * 3600_000;

type Filter = { from: number; to: number; departmentId: number | null };

export class SurveyReports {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  /** The period and department a caller may ask for: those who see every ticket any department, others their own. */
  private async filter(actor: Actor, q: z.infer<typeof SurveyReportQuery>): Promise<Filter> {
    requireAccess(actor, 'report.read');
    const to = q.to ? Date.parse(q.to) : this.ctx.clock.now();
    const from = q.from ? Date.parse(q.from) : to - DEFAULT_PERIOD_MS;
    if (from >= to) throw Invalid({ to: 'field.survey_period' });
    let departmentId = q.departmentId ?? null;
    if (!seesAllTickets(actor, await this.tickets.core.settings.access(this.ctx.db.read))) {
      if (actor.departmentId === null || (departmentId !== null && departmentId !== actor.departmentId)) throw Forbidden();
      departmentId = actor.departmentId;
    }
    return { from, to, departmentId };
  }

  private answered(db: Kysely<DB>, f: Filter) {
    // Qualified: the answer list joins tickets, which has its own department_id.
    let q = db.selectFrom('surveys').where('surveys.answered_at', '>=', f.from).where('surveys.answered_at', '<', f.to);
    if (f.departmentId !== null) q = q.where('surveys.department_id', '=', f.departmentId);
    return q;
  }

  async report(actor: Actor, q: z.infer<typeof SurveyReportQuery>, lang: Language): Promise<SurveyReport> {
    const f = await this.filter(actor, q);
    const db = this.ctx.db.read;
    const rows = await this.answered(db, f)
      .select((eb) => ['department_id', ...sums(eb)])
      .groupBy('department_id')
      .orderBy('department_id')
      .execute();
    const departments = await this.tickets.core.users.departments(db);
    const total: SurveyCounts = { count: 0, scoreSum: 0, satisfied: 0, promoters: 0, detractors: 0 };
    const byDepartment = rows.map((r) => {
      const c = countsOf(r);
      for (const k of Object.keys(total) as (keyof SurveyCounts)[]) total[k] += c[k];
      const d = departments.find((x) => x.id === r.department_id);
      return { departmentId: r.department_id, departmentName: d ? (lang === 'en' ? d.name_en : d.name_zh) : null, ...aggregate(c) };
    });
    // The day number in China time; integer division on both dialects. Literals, not parameters: PostgreSQL would not
    // take a GROUP BY with parameters of its own ($3) for the selected expression (with $1).
    const day = sql<number>`(answered_at + ${sql.lit(CHINA_OFFSET_MS)}) / ${sql.lit(DAY)}`;
    const days = await this.answered(db, f)
      .select((eb) => [day.as('day'), ...sums(eb)])
      .groupBy(day)
      .orderBy(day)
      .execute();
    const trend = days.map((r) => ({ date: iso(Number(r.day) * DAY).slice(0, 10), ...aggregate(countsOf(r)) }));
    return { from: iso(f.from), to: iso(f.to), departmentId: f.departmentId, total: aggregate(total), response: await this.response(db, f), trend, byDepartment };
  }

  /**
   * The surveys sent in the period and how many of them are answered by now. An unanswered survey has no department of
   * its own yet (it takes the ticket's when answered), so the ticket's counts for those.
   */
  private async response(db: Kysely<DB>, f: Filter): Promise<SurveyReport['response']> {
    let q = db.selectFrom('surveys as s').innerJoin('tickets as t', 't.id', 's.ticket_id').where('s.sent_at', '>=', f.from).where('s.sent_at', '<', f.to);
    if (f.departmentId !== null) q = q.where((eb) => eb(eb.fn.coalesce('s.department_id', 't.department_id'), '=', f.departmentId));
    const r = await q
      .select((eb) => [eb.fn.countAll<number>().as('sent'), eb.fn.count<number>('s.answered_at').as('answered')])
      .executeTakeFirstOrThrow();
    const sent = Number(r.sent);
    const answered = Number(r.answered);
    return { sent, answered, rate: sent === 0 ? null : Math.round((answered * 1000) / sent) / 10 };
  }

  /** The answers the report counts, newest first. */
  async list(actor: Actor, q: z.infer<typeof SurveyListQuery>) {
    const f = await this.filter(actor, q);
    let query = this.answered(this.ctx.db.read, f)
      .innerJoin('tickets as t', 't.id', 'surveys.ticket_id')
      .select(['surveys.id', 'surveys.department_id', 'surveys.score', 'surveys.nps', 'surveys.comment', 'surveys.answered_at', 't.number', 't.title']);
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['n', 'n']);
      if (!c) throw Invalid({ cursor: 'field.invalid_format' });
      const [at, id] = c as number[];
      query = query.where((eb) => eb.or([eb('surveys.answered_at', '<', at), eb.and([eb('surveys.answered_at', '=', at), eb('surveys.id', '<', id)])]));
    }
    const rows = await query.orderBy('surveys.answered_at', 'desc').orderBy('surveys.id', 'desc').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, ticketNumber: r.number, ticketTitle: r.title, departmentId: r.department_id, score: r.score!, nps: r.nps!, comment: r.comment, answeredAt: iso(r.answered_at!) })),
      nextCursor: more && last ? encodeCursor([last.answered_at!, last.id]) : null,
    };
  }
}

/** What aggregate() needs, summed in SQL. */
function sums(eb: ExpressionBuilder<DB, 'surveys'>) {
  return [
    eb.fn.countAll<number>().as('n'),
    eb.fn.sum<number>('score').as('score_sum'),
    eb.fn.sum<number>(eb.case().when('score', '>=', 4).then(1).else(0).end()).as('satisfied'),
    eb.fn.sum<number>(eb.case().when('nps', '>=', 9).then(1).else(0).end()).as('promoters'),
    eb.fn.sum<number>(eb.case().when('nps', '<=', 6).then(1).else(0).end()).as('detractors'),
  ] as const;
}

/** PostgreSQL sums integers as numeric and counts as bigint (strings); SQLite as numbers. */
function countsOf(r: { n: number; score_sum: number; satisfied: number; promoters: number; detractors: number }): SurveyCounts {
  return { count: Number(r.n), scoreSum: Number(r.score_sum), satisfied: Number(r.satisfied), promoters: Number(r.promoters), detractors: Number(r.detractors) };
}
