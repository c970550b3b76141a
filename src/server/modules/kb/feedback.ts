// "Was this helpful" votes (one per voter and article; a retry or a second click changes nothing, a changed mind moves
// the vote), deflections ("this solved it"), the assistant's counted steps, and the counts reports read.
import { sql } from 'kysely';
import type { KB_DEFLECTION_SOURCES, KbStats } from '../../../shared/kb.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { Actor } from '../../domain/access.js';
import { requireAccess } from '../../http/access.js';
import { Invalid } from '../../http/errors.js';
import { voterOf, type KbService } from './service.js';

export type AssistEventKind = 'assist_question' | 'assist_answer' | 'assist_clarify' | 'assist_handover' | 'assist_solved';

export class KbFeedback {
  constructor(
    private readonly ctx: AppContext,
    private readonly kb: KbService,
  ) {}

  async vote(actor: Actor | null, articleId: number, helpful: boolean, clientId: string | undefined) {
    const voter = voterOf(actor, clientId);
    if (!voter) throw Invalid({ clientId: 'field.required' });
    await this.kb.readable(actor, articleId);
    const now = this.ctx.clock.now();
    const value = helpful ? 1 : 0;
    return this.ctx.db.write(async (trx) => {
      const prior = await trx.selectFrom('kb_votes').select('helpful').where('article_id', '=', articleId).where('voter', '=', voter).executeTakeFirst();
      if (!prior) {
        // On PostgreSQL a racing twin inserts first: nothing is counted twice, this one then reads as a repeat.
        const ins = await trx.insertInto('kb_votes').values({ article_id: articleId, voter, helpful: value, at: now }).onConflict((oc) => oc.columns(['article_id', 'voter']).doNothing()).returning('voter').executeTakeFirst();
        if (ins) {
          await trx
            .updateTable('kb_articles')
            .set(helpful ? { helpful_yes: sql`helpful_yes + 1` } : { helpful_no: sql`helpful_no + 1` })
            .where('id', '=', articleId)
            .execute();
        }
      } else if (prior.helpful !== value) {
        await trx.updateTable('kb_votes').set({ helpful: value, at: now }).where('article_id', '=', articleId).where('voter', '=', voter).execute();
        await trx
          .updateTable('kb_articles')
          .set(
            helpful
              ? { helpful_yes: sql`helpful_yes + 1`, helpful_no: sql`CASE WHEN helpful_no > 0 THEN helpful_no - 1 ELSE 0 END` }
              : { helpful_no: sql`helpful_no + 1`, helpful_yes: sql`CASE WHEN helpful_yes > 0 THEN helpful_yes - 1 ELSE 0 END` },
          )
          .where('id', '=', articleId)
          .execute();
      }
      const a = await trx.selectFrom('kb_articles').select(['helpful_yes', 'helpful_no']).where('id', '=', articleId).executeTakeFirstOrThrow();
      return { helpfulYes: a.helpful_yes, helpfulNo: a.helpful_no, myVote: helpful ? ('yes' as const) : ('no' as const) };
    });
  }

  /** "This solved it": counted once per voter, article and place it was clicked. */
  async deflect(actor: Actor | null, body: { articleId: number; source: (typeof KB_DEFLECTION_SOURCES)[number]; query?: string; clientId?: string }) {
    const voter = voterOf(actor, body.clientId);
    if (!voter) throw Invalid({ clientId: 'field.required' });
    await this.kb.readable(actor, body.articleId);
    const recorded = await this.record('deflection', { source: body.source, articleId: body.articleId, query: body.query ?? null, dedupe: `d:${body.source}:${body.articleId}:${voter}` });
    return { recorded };
  }

  /** Counts one step; with `dedupe`, a second one with the same key counts nothing (answers false). */
  async record(kind: 'deflection' | AssistEventKind, e: { source?: string | null; articleId?: number | null; conversation?: string | null; query?: string | null; dedupe?: string | null }): Promise<boolean> {
    const now = this.ctx.clock.now();
    try {
      return await this.ctx.db.write(async (trx) => {
        const res = await trx
          .insertInto('kb_events')
          .values({ kind, source: e.source ?? null, article_id: e.articleId ?? null, conversation: e.conversation ?? null, query: e.query ? e.query.slice(0, 500) : null, at: now, dedupe: e.dedupe ?? null })
          .onConflict((oc) => oc.column('dedupe').doNothing())
          .returning('id')
          .executeTakeFirst();
        return res !== undefined;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async stats(actor: Actor, range: { from?: string; to?: string }): Promise<KbStats> {
    requireAccess(actor, 'kb.internal');
    const db = this.ctx.db.read;
    const from = range.from ? Date.parse(range.from) : 0;
    const to = range.to ? Date.parse(range.to) : Number.MAX_SAFE_INTEGER;
    const articles = await db
      .selectFrom('kb_articles')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'published').then(1).else(0).end()).as('published'),
        eb.fn.sum<number>(eb.case().when('visibility', '=', 'public').then(1).else(0).end()).as('public'),
        eb.fn.sum<number>('helpful_yes').as('yes'),
        eb.fn.sum<number>('helpful_no').as('no'),
      ])
      .executeTakeFirstOrThrow();
    const events = await db
      .selectFrom('kb_events')
      .select(['kind', 'source', (eb) => eb.fn.countAll<number>().as('n')])
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy(['kind', 'source'])
      .execute();
    const n = (kind: string, source?: string) => events.filter((e) => e.kind === kind && (source === undefined || e.source === source)).reduce((s, e) => s + Number(e.n), 0);
    const top = await db
      .selectFrom('kb_events')
      .innerJoin('kb_articles', 'kb_articles.id', 'kb_events.article_id')
      .select(['kb_articles.id', 'kb_articles.title', 'kb_articles.helpful_yes', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kb_events.kind', 'in', ['deflection', 'assist_solved'])
      .where('kb_events.at', '>=', from)
      .where('kb_events.at', '<', to)
      .groupBy(['kb_articles.id', 'kb_articles.title', 'kb_articles.helpful_yes'])
      .orderBy('n', 'desc')
      .orderBy('kb_articles.id')
      .limit(10)
      .execute();
    const all = Number(articles.all);
    const published = Number(articles.published ?? 0);
    const pub = Number(articles.public ?? 0);
    return {
      articles: { published, drafts: all - published, public: pub, internal: all - pub },
      helpful: { yes: Number(articles.yes ?? 0), no: Number(articles.no ?? 0) },
      deflections: { suggestion: n('deflection', 'suggestion'), assistant: n('deflection', 'assistant'), article: n('deflection', 'article'), total: n('deflection') },
      assistant: { questions: n('assist_question'), answered: n('assist_answer'), clarified: n('assist_clarify'), handovers: n('assist_handover'), solved: n('assist_solved') },
      topArticles: top.map((r) => ({ id: r.id, title: r.title, deflections: Number(r.n), helpfulYes: r.helpful_yes })),
    };
  }
}
