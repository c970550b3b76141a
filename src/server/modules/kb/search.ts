// Knowledge-base search (ranked, with marked snippets), suggestions beside a ticket or the portal's request form, and
// the passages the assistant answers from. Customers and anonymous callers search published public articles only.
import type { KbSearchItem, KbSearchPage, KbSearchQuery, KbSuggestions } from '../../../shared/kb.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/access.js';
import { coverage, kbQueryTokens, snippet } from '../../domain/kb/query.js';
import { isoString } from '../../domain/iso.js';
import { Forbidden } from '../../http/errors.js';
import type { TicketsService } from '../tickets/service.js';
import { countAllMatches, listArticles, searchArticles, searchPassages, type ArticleFilter, type RankedArticle, type RankedPassage } from './repo.js';
import { isStaff, type KbService } from './service.js';

export class KbSearch {
  constructor(
    private readonly ctx: AppContext,
    private readonly kb: KbService,
    private readonly tickets: TicketsService,
  ) {}

  async search(actor: Actor | null, q: KbSearchQuery): Promise<KbSearchPage> {
    const staff = isStaff(actor);
    const filter: ArticleFilter = {
      publicOnly: !staff,
      category: q.category,
      productLine: q.productLine,
      tag: q.tag,
      visibility: staff ? q.visibility : undefined,
      status: staff ? q.status : undefined,
    };
    const offset = q.cursor ? Number(q.cursor) : 0;
    const tokens = q.q ? kbQueryTokens(q.q) : [];
    // One more than the page tells whether there is a next one.
    const rows = tokens.length ? await this.ranked(tokens, filter, q.limit + 1, offset) : await listArticles(this.ctx.db.read, filter, q.limit + 1, offset);
    const more = rows.length > q.limit;
    return {
      items: rows.slice(0, q.limit).map((r) => item(r, tokens, tokens.length > 0)),
      nextCursor: more ? String(offset + q.limit) : null,
      tokens,
    };
  }

  /**
   * A page of the ranked order: the articles holding every token (best first), then those holding some (best first).
   * The second query runs only when the first ends within the page.
   */
  private async ranked(tokens: string[], filter: ArticleFilter, limit: number, offset: number): Promise<RankedArticle[]> {
    const { read, dialect } = this.ctx.db;
    const all = await searchArticles(read, dialect, tokens, filter, limit, offset, 'all');
    if (all.length === limit || tokens.length === 1) return all;
    const allCount = all.length > 0 || offset === 0 ? offset + all.length : await countAllMatches(read, dialect, tokens, filter);
    const some = await searchArticles(read, dialect, tokens, filter, limit - all.length, Math.max(0, offset - allCount), 'some');
    return [...all, ...some];
  }

  /**
   * Articles that may answer what someone has typed (the portal's request form), or a ticket's title and description
   * (staff, beside the ticket). Published only; internal ones for staff too. An article must hold at least two of the
   * text's search tokens (one when the text has one), so a long description does not pull in every article that
   * shares a single common word.
   */
  async suggest(actor: Actor | null, opts: { q?: string; ticket?: string; limit: number }): Promise<KbSuggestions> {
    const staff = isStaff(actor);
    let textValue = opts.q ?? '';
    if (opts.ticket) {
      if (!staff) throw Forbidden();
      const t = await this.tickets.get(actor, opts.ticket);
      textValue = `${t.title}\n${t.description}\n${textValue}`;
    }
    const tokens = kbQueryTokens(textValue);
    if (tokens.length === 0) return { items: [], tokens };
    const rows = await searchArticles(this.ctx.db.read, this.ctx.db.dialect, tokens, { publicOnly: !staff, publishedOnly: true }, opts.limit * 3, 0);
    const need = Math.min(2, tokens.length);
    const items = rows
      .filter((r) => Math.round(coverage(`${r.title}\n${r.summary}\n${r.plain_text}`, tokens) * tokens.length) >= need)
      .slice(0, opts.limit)
      .map((r) => ({
        id: r.id,
        title: r.title,
        summary: r.summary,
        snippet: snippet(r.plain_text, tokens, 100),
        productLine: r.product_line,
        visibility: r.visibility as 'public' | 'internal',
        url: r.visibility === 'public' ? this.kb.articleUrl(r.id) : null,
      }));
    return { items, tokens };
  }

  /** Passages of published public articles for a question, best first (the assistant's retrieval). */
  async passages(tokens: string[], productLine: string | null, limit: number): Promise<RankedPassage[]> {
    if (tokens.length === 0) return [];
    return searchPassages(this.ctx.db.read, this.ctx.db.dialect, tokens, productLine, limit);
  }
}

function item(r: RankedArticle, tokens: string[], ranked: boolean): KbSearchItem {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    snippet: tokens.length ? snippet(r.plain_text, tokens) : snippet(r.summary || r.plain_text, []),
    category: r.category as KbSearchItem['category'],
    tags: JSON.parse(r.tags) as string[],
    productLine: r.product_line,
    visibility: r.visibility as KbSearchItem['visibility'],
    status: r.status as KbSearchItem['status'],
    helpfulYes: Number(r.helpful_yes),
    helpfulNo: Number(r.helpful_no),
    updatedAt: isoString(Number(r.updated_at)),
    score: ranked ? Math.round(r.score * 1e4) / 1e4 : null,
  };
}
