// Knowledge-base articles (SPEC §11): write, read, revise, compare revisions, preview, and make an internal draft from
// an answered ticket (seed 000: 记录常见问题，用于知识库更新). Search is in search.ts, votes and counts in feedback.ts.
import { diffLines, diffWordsWithSpace } from 'diff';
import type { Kysely } from 'kysely';
import type { Language } from '../../../shared/enums.js';
import type { KbArticle, KbArticleCreateBody, KbArticlePatchBody, KbDiff, KbDiffPart, KbRevision } from '../../../shared/kb.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { can, type Actor } from '../../domain/access.js';
import { passages, plainText, renderMarkdown } from '../../domain/kb/markdown.js';
import { isoOrNull, isoString } from '../../domain/iso.js';
import { requireAccess } from '../../http/access.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.js';
import { t } from '../../http/messages.js';
import type { TicketsService } from '../tickets/service.js';
import { appendEvent } from '../tickets/repo.js';
import { articleIndexText, writeArticleIndex, writePassages } from './repo.js';

type ArticleRow = DB['kb_articles'] extends infer T ? { [K in keyof T]: T[K] extends import('kysely').Generated<infer U> ? U : T[K] } : never;

/** Staff read drafts and internal articles; customers and anonymous callers only published public ones. */
export function isStaff(actor: Actor | null): actor is Actor {
  return actor !== null && can(actor, 'kb.internal');
}

export function voterOf(actor: Actor | null, clientId: string | undefined): string | null {
  if (actor) return `u:${actor.id}`;
  return clientId ? `c:${clientId}` : null;
}

const CONTENT_FIELDS = ['title', 'summary', 'body', 'category', 'tags', 'productLine', 'visibility', 'status'] as const;

export class KbService {
  constructor(
    private readonly ctx: AppContext,
    private readonly tickets: TicketsService,
  ) {}

  /** Where a customer reads a public article (the portal's page). */
  articleUrl(id: number): string {
    return `${this.ctx.config.publicUrl}/portal/kb/${id}`;
  }

  private async row(db: Kysely<DB>, id: number): Promise<ArticleRow> {
    const row = await db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw NotFound('error.kb_article_not_found');
    return row as ArticleRow;
  }

  /** The article if the caller may read it; 404 otherwise (a draft's or internal article's id leaks nothing). */
  async readable(actor: Actor | null, id: number, db: Kysely<DB> = this.ctx.db.read): Promise<ArticleRow> {
    const row = await this.row(db, id);
    if (!isStaff(actor) && (row.status !== 'published' || row.visibility !== 'public')) throw NotFound('error.kb_article_not_found');
    return row;
  }

  async get(actor: Actor | null, id: number, clientId?: string): Promise<KbArticle> {
    const row = await this.readable(actor, id);
    const voter = voterOf(actor, clientId);
    const vote = voter ? await this.ctx.db.read.selectFrom('kb_votes').select('helpful').where('article_id', '=', id).where('voter', '=', voter).executeTakeFirst() : undefined;
    return this.toDto(row, actor, vote ? (vote.helpful ? 'yes' : 'no') : null);
  }

  private async toDto(row: ArticleRow, actor: Actor | null, myVote: 'yes' | 'no' | null): Promise<KbArticle> {
    const staff = isStaff(actor);
    // The allow-list of what a customer reads of an article: its published text and counts, never who wrote it,
    // the Markdown source, or the ticket it came from.
    const names = staff ? await this.names([row.created_by, row.updated_by]) : new Map<number, string>();
    const person = (id: number | null) => (staff && id !== null ? { id, name: names.get(id) ?? '' } : null);
    let sourceTicket: string | null = null;
    if (staff && row.source_ticket_id !== null) {
      sourceTicket = (await this.ctx.db.read.selectFrom('tickets').select('number').where('id', '=', row.source_ticket_id).executeTakeFirst())?.number ?? null;
    }
    return {
      id: row.id,
      title: row.title,
      summary: row.summary,
      body: staff ? row.body : null,
      html: renderMarkdown(row.body),
      category: row.category as KbArticle['category'],
      tags: JSON.parse(row.tags) as string[],
      productLine: row.product_line,
      visibility: row.visibility as KbArticle['visibility'],
      status: row.status as KbArticle['status'],
      version: row.version,
      helpfulYes: row.helpful_yes,
      helpfulNo: row.helpful_no,
      myVote,
      createdAt: isoString(row.created_at),
      updatedAt: isoString(row.updated_at),
      publishedAt: isoOrNull(row.published_at),
      createdBy: person(row.created_by),
      updatedBy: person(row.updated_by),
      sourceTicket,
      needsPublicReview: staff && row.source_ticket_id !== null && row.public_reviewed === 0,
    };
  }

  private async names(ids: (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.ctx.db.read.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /**
   * Who may save an article in this state: anyone who writes articles for drafts and internal ones; putting one in
   * front of customers (public and published) needs kb.publish; one made from a ticket needs an editor to have chosen
   * to show it to customers (reviewedForPublic), because it began as the team's words about one customer's case.
   */
  private checkPublishing(actor: Actor, next: { visibility: string; status: string }, fromTicket: boolean, reviewed: boolean) {
    if (next.visibility === 'public' && next.status === 'published' && !can(actor, 'kb.publish')) throw Forbidden('error.kb_publish');
    if (fromTicket && next.visibility === 'public' && !reviewed) throw Invalid({ reviewedForPublic: 'field.kb_review_public' });
  }

  async create(actor: Actor, body: KbArticleCreateBody, source?: { ticketId: number }): Promise<KbArticle> {
    requireAccess(actor, 'kb.write');
    this.checkPublishing(actor, body, false, true);
    const now = this.ctx.clock.now();
    const id = await this.ctx.db.write(async (trx) => {
      const plain = plainText(body.body);
      const row = await trx
        .insertInto('kb_articles')
        .values({
          title: body.title,
          summary: body.summary,
          body: body.body,
          plain_text: plain,
          category: body.category,
          tags: JSON.stringify(body.tags),
          product_line: body.productLine,
          visibility: body.visibility,
          status: body.status,
          version: 1,
          source_ticket_id: source?.ticketId ?? null,
          created_by: actor.id,
          created_at: now,
          updated_by: actor.id,
          updated_at: now,
          published_at: body.status === 'published' ? now : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.saveRevision(trx, row.id, 1, body, actor.id, now, body.note ?? null);
      await this.reindex(trx, row.id, body, plain);
      if (source) await appendEvent(trx, source.ticketId, now, actor.id, 'kb_article_created', { internal: true, note: body.title, details: { articleId: row.id, title: body.title } });
      return row.id;
    });
    return this.get(actor, id);
  }

  private async saveRevision(trx: Kysely<DB>, articleId: number, revision: number, a: ArticleContent, authorId: number, now: number, note: string | null) {
    await trx
      .insertInto('kb_revisions')
      .values({
        article_id: articleId,
        revision,
        title: a.title,
        summary: a.summary,
        body: a.body,
        category: a.category,
        tags: JSON.stringify(a.tags),
        product_line: a.productLine,
        visibility: a.visibility,
        status: a.status,
        author_id: authorId,
        created_at: now,
        note,
      })
      .execute();
  }

  private async reindex(trx: Kysely<DB>, articleId: number, a: ArticleContent, plain: string) {
    const { head, body } = articleIndexText({ title: a.title, tags: a.tags, summary: a.summary, plainText: plain });
    await writeArticleIndex(trx, this.ctx.db.dialect, articleId, head, body);
    await writePassages(trx, this.ctx.db.dialect, articleId, a.title, passages(a.body));
  }

  async update(actor: Actor, id: number, patch: KbArticlePatchBody): Promise<KbArticle> {
    requireAccess(actor, 'kb.write');
    const now = this.ctx.clock.now();
    await this.ctx.db.write(async (trx) => {
      const row = await this.row(trx, id);
      if (row.version !== patch.version) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      const before = contentOf(row);
      const next: ArticleContent = {
        title: patch.title ?? before.title,
        summary: patch.summary ?? before.summary,
        body: patch.body ?? before.body,
        category: patch.category ?? before.category,
        tags: patch.tags ?? before.tags,
        productLine: patch.productLine !== undefined ? patch.productLine : before.productLine,
        visibility: patch.visibility ?? before.visibility,
        status: patch.status ?? before.status,
      };
      const changed = CONTENT_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(next[f]));
      if (changed.length === 0) return;
      const reviewed = row.public_reviewed === 1 || patch.reviewedForPublic === true;
      // A public published article stays in front of customers after any edit: the edit needs the right to publish.
      this.checkPublishing(actor, next, row.source_ticket_id !== null, reviewed);
      const plain = changed.includes('body') ? plainText(next.body) : row.plain_text;
      const res = await trx
        .updateTable('kb_articles')
        .set({
          title: next.title,
          summary: next.summary,
          body: next.body,
          plain_text: plain,
          category: next.category,
          tags: JSON.stringify(next.tags),
          product_line: next.productLine,
          visibility: next.visibility,
          status: next.status,
          version: row.version + 1,
          public_reviewed: reviewed && next.visibility === 'public' ? 1 : row.public_reviewed,
          updated_by: actor.id,
          updated_at: now,
          published_at: next.status === 'published' ? (row.published_at ?? now) : null,
        })
        .where('id', '=', id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw Conflict('stale_version', 'error.stale_version', { current: row.version });
      await this.saveRevision(trx, id, row.version + 1, next, actor.id, now, patch.note ?? null);
      await this.reindex(trx, id, next, plain);
    });
    return this.get(actor, id);
  }

  async revisions(actor: Actor, id: number): Promise<KbRevision[]> {
    requireAccess(actor, 'kb.internal');
    await this.row(this.ctx.db.read, id);
    const rows = await this.ctx.db.read
      .selectFrom('kb_revisions')
      .leftJoin('users', 'users.id', 'kb_revisions.author_id')
      .select(['kb_revisions.revision', 'kb_revisions.title', 'kb_revisions.status', 'kb_revisions.visibility', 'kb_revisions.author_id', 'users.display_name', 'kb_revisions.created_at', 'kb_revisions.note'])
      .where('article_id', '=', id)
      .orderBy('revision', 'desc')
      .execute();
    return rows.map((r) => revisionDto(r));
  }

  private async revisionRow(id: number, revision: number) {
    const r = await this.ctx.db.read
      .selectFrom('kb_revisions')
      .leftJoin('users', 'users.id', 'kb_revisions.author_id')
      .selectAll('kb_revisions')
      .select('users.display_name')
      .where('article_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (!r) throw NotFound('error.kb_revision_not_found', { revision });
    return r;
  }

  async revision(actor: Actor, id: number, revision: number) {
    requireAccess(actor, 'kb.internal');
    const r = await this.revisionRow(id, revision);
    return {
      ...revisionDto(r),
      summary: r.summary,
      body: r.body,
      html: renderMarkdown(r.body),
      category: r.category as KbArticle['category'],
      tags: JSON.parse(r.tags) as string[],
      productLine: r.product_line,
    };
  }

  /** What changed from one revision to another: the title word by word, summary and body line by line (jsdiff). */
  async diff(actor: Actor, id: number, from: number, to: number): Promise<KbDiff> {
    requireAccess(actor, 'kb.internal');
    const [a, b] = await Promise.all([this.revisionRow(id, from), this.revisionRow(id, to)]);
    const fields: KbDiff['fields'] = [];
    const meta = [
      ['category', a.category, b.category],
      ['tags', JSON.parse(a.tags), JSON.parse(b.tags)],
      ['productLine', a.product_line, b.product_line],
      ['visibility', a.visibility, b.visibility],
      ['status', a.status, b.status],
    ] as const;
    for (const [field, before, after] of meta) if (JSON.stringify(before) !== JSON.stringify(after)) fields.push({ field, before, after });
    return {
      from: revisionDto(a),
      to: revisionDto(b),
      fields,
      title: parts(diffWordsWithSpace(a.title, b.title)),
      summary: parts(diffLines(a.summary, b.summary)),
      body: parts(diffLines(a.body, b.body)),
    };
  }

  preview(body: string): { html: string } {
    return { html: renderMarkdown(body) };
  }

  /**
   * An internal draft from an answered ticket: the customer's question (title, description) and the solution given,
   * or the latest public reply when there is no solution. Never the internal notes, first judgement or other staff-only
   * fields, and internal: making it public needs an editor's explicit choice (reviewedForPublic). A second call for the
   * same ticket returns the draft already made (a retry makes no second article).
   */
  async fromTicket(actor: Actor, number: string, lang: Language): Promise<{ article: KbArticle; created: boolean }> {
    requireAccess(actor, 'kb.write');
    const ticket = await this.tickets.get(actor, number);
    const ticketId = await this.tickets.visibleTicketId(actor, number);
    const existing = await this.ctx.db.read.selectFrom('kb_articles').select('id').where('source_ticket_id', '=', ticketId).orderBy('id').executeTakeFirst();
    if (existing) return { article: await this.get(actor, existing.id), created: false };
    let answer = ticket.solution;
    if (!answer) {
      // The team's latest public reply: not an internal note, not the customer's own words.
      const replies = (await this.tickets.comments(actor, number)).filter((c) => !c.internal && c.author !== null);
      const authors = replies.length ? await this.ctx.db.read.selectFrom('users').select(['id', 'role']).where('id', 'in', [...new Set(replies.map((c) => c.author!.id))]).execute() : [];
      const staffIds = new Set(authors.filter((u) => u.role !== 'customer').map((u) => u.id));
      const staffReplies = replies.filter((c) => staffIds.has(c.author!.id));
      answer = staffReplies.length ? staffReplies[staffReplies.length - 1].body : null;
    }
    if (!answer) throw Conflict('conflict', 'error.kb_ticket_unanswered', { number });
    const line = ticket.productModel
      ? ((await this.ctx.db.read.selectFrom('products').select('line').where('model', '=', ticket.productModel).executeTakeFirst())?.line ?? null)
      : null;
    const body = [`## ${t(lang, 'kb.template.question')}`, '', ticket.description, '', `## ${t(lang, 'kb.template.answer')}`, '', answer, ''].join('\n');
    const draft: KbArticleCreateBody = {
      title: ticket.title.slice(0, 200),
      summary: '',
      body,
      category: 'faq',
      tags: [],
      productLine: line && /^[a-z0-9_]+$/.test(line) ? line : null,
      visibility: 'internal',
      status: 'draft',
      note: t(lang, 'kb.template.note', { number }),
    };
    try {
      return { article: await this.create(actor, draft, { ticketId }), created: true };
    } catch (e) {
      // A concurrent call made it first (the unique source_ticket_id): answer with that one.
      if (!isUniqueViolation(e)) throw e;
      const first = await this.ctx.db.read.selectFrom('kb_articles').select('id').where('source_ticket_id', '=', ticketId).executeTakeFirstOrThrow();
      return { article: await this.get(actor, first.id), created: false };
    }
  }

  /** The product lines known (products and articles), labelled in the caller's language. */
  async lines(lang: Language): Promise<{ line: string; label: string }[]> {
    const a = await this.ctx.db.read.selectFrom('products').select('line').distinct().execute();
    const b = await this.ctx.db.read.selectFrom('kb_articles').select('product_line as line').where('product_line', 'is not', null).distinct().execute();
    const all = [...new Set([...a.map((r) => r.line), ...b.map((r) => r.line as string)])].sort();
    return all.map((line) => ({ line, label: lineLabel(lang, line) }));
  }
}

/** A product line's name in the caller's language (the code itself for a line the texts do not know). */
export function lineLabel(lang: Language, line: string): string {
  const key = `kb.line.${line}`;
  const label = t(lang, key);
  return label === key ? line : label;
}

interface ArticleContent {
  title: string;
  summary: string;
  body: string;
  category: string;
  tags: string[];
  productLine: string | null;
  visibility: string;
  status: string;
}

function contentOf(row: ArticleRow): ArticleContent {
  return {
    title: row.title,
    summary: row.summary,
    body: row.body,
    category: row.category,
    tags: JSON.parse(row.tags) as string[],
    productLine: row.product_line,
    visibility: row.visibility,
    status: row.status,
  };
}

function revisionDto(r: { revision: number; title: string; status: string; visibility: string; author_id: number | null; display_name: string | null; created_at: number; note: string | null }): KbRevision {
  return {
    revision: r.revision,
    title: r.title,
    status: r.status as KbRevision['status'],
    visibility: r.visibility as KbRevision['visibility'],
    author: r.author_id !== null ? { id: r.author_id, name: r.display_name ?? '' } : null,
    createdAt: isoString(r.created_at),
    note: r.note,
  };
}

function parts(changes: { value: string; added?: boolean; removed?: boolean }[]): KbDiffPart[] {
  return changes.map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}
