// The knowledge base's SQL: its search indexes on both dialects and the ranked searches over articles and passages.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { Passage } from '../../domain/kb/markdown.js';
import { ftsAllExpression, ftsAnyExpression, ftsColumns, tsQueryAll, tsQueryAny, tsVectorLiteral } from '../../domain/kb/query.js';

/** Title and tags are the head of an article (ranked above the body); summary and text its body. */
export function articleIndexText(a: { title: string; tags: string[]; summary: string; plainText: string }) {
  return { head: [a.title, ...a.tags].join('\n'), body: `${a.summary}\n${a.plainText}` };
}

/** Writes (or rewrites) an article's search row in the caller's transaction: searchable once it commits. */
export async function writeArticleIndex(trx: Kysely<DB>, dialect: Dialect, articleId: number, head: string, body: string) {
  if (dialect === 'sqlite') {
    const cols = ftsColumns(head, body);
    await sql`DELETE FROM kb_fts WHERE rowid = ${articleId}`.execute(trx);
    await sql`INSERT INTO kb_fts (rowid, head, body) VALUES (${articleId}, ${cols.head}, ${cols.body})`.execute(trx);
  } else {
    await sql`INSERT INTO kb_search (article_id, doc) VALUES (${articleId}, ${tsVectorLiteral(head, body)}::tsvector)
      ON CONFLICT (article_id) DO UPDATE SET doc = EXCLUDED.doc`.execute(trx);
  }
}

/** Replaces an article's passages and their index rows. */
export async function writePassages(trx: Kysely<DB>, dialect: Dialect, articleId: number, title: string, passages: Passage[]) {
  const old = await trx.selectFrom('kb_passages').select('id').where('article_id', '=', articleId).execute();
  if (dialect === 'sqlite') for (const p of old) await sql`DELETE FROM kb_passage_fts WHERE rowid = ${p.id}`.execute(trx);
  if (old.length > 0) {
    if (dialect === 'postgres') await sql`DELETE FROM kb_passage_search WHERE passage_id IN (SELECT id FROM kb_passages WHERE article_id = ${articleId})`.execute(trx);
    await trx.deleteFrom('kb_passages').where('article_id', '=', articleId).execute();
  }
  for (let i = 0; i < passages.length; i++) {
    const p = passages[i];
    const row = await trx.insertInto('kb_passages').values({ article_id: articleId, position: i, heading: p.heading, text: p.text }).returning('id').executeTakeFirstOrThrow();
    const head = [title, p.heading ?? ''].join('\n');
    if (dialect === 'sqlite') {
      const cols = ftsColumns(head, p.text);
      await sql`INSERT INTO kb_passage_fts (rowid, head, body) VALUES (${row.id}, ${cols.head}, ${cols.body})`.execute(trx);
    } else {
      await sql`INSERT INTO kb_passage_search (passage_id, doc) VALUES (${row.id}, ${tsVectorLiteral(head, p.text)}::tsvector)`.execute(trx);
    }
  }
}

export interface ArticleFilter {
  /** Customers and anonymous callers: published public articles only. */
  publicOnly: boolean;
  /** Staff searching for suggestions: published only (public and internal). */
  publishedOnly?: boolean;
  category?: string;
  productLine?: string;
  tag?: string;
  visibility?: string;
  status?: string;
}

function conditions(f: ArticleFilter): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  if (f.publicOnly) c.push(sql`a.status = 'published' AND a.visibility = 'public'`);
  if (f.publishedOnly) c.push(sql`a.status = 'published'`);
  if (f.category) c.push(sql`a.category = ${f.category}`);
  if (f.productLine) c.push(sql`a.product_line = ${f.productLine}`);
  if (f.tag) c.push(sql`a.tags LIKE ${`%${JSON.stringify(f.tag).replace(/[\\%_]/g, (m) => `\\${m}`)}%`} ESCAPE '\\'`);
  if (f.visibility && !f.publicOnly) c.push(sql`a.visibility = ${f.visibility}`);
  if (f.status && !f.publicOnly) c.push(sql`a.status = ${f.status}`);
  return c;
}

const where = (c: RawBuilder<unknown>[]) => (c.length ? sql`AND ${sql.join(c, sql` AND `)}` : sql``);

export interface RankedArticle {
  id: number;
  score: number;
  title: string;
  summary: string;
  plain_text: string;
  category: string;
  tags: string;
  product_line: string | null;
  visibility: string;
  status: string;
  helpful_yes: number;
  helpful_no: number;
  updated_at: number;
}

const ARTICLE_COLUMNS = sql`a.id, a.title, a.summary, a.plain_text, a.category, a.tags, a.product_line, a.visibility, a.status, a.helpful_yes, a.helpful_no, a.updated_at`;

/**
 * Which matches a search reads: `all` the articles holding every token, `some` those holding at least one but not all.
 * A search shows the first before the second, and rarely needs the second: on a typical question the articles with
 * every word fill the page, and they are far fewer (at 10,000 articles, 空调 AND 漏水 matches a tenth of what 空调 OR
 * 漏水 does), so ranking them is that much cheaper.
 */
export type MatchMode = 'all' | 'some';

function matchFts(tokens: string[], mode: MatchMode | 'any'): string {
  if (mode === 'all') return ftsAllExpression(tokens);
  if (mode === 'any' || tokens.length === 1) return ftsAnyExpression(tokens);
  return `(${ftsAnyExpression(tokens)}) NOT (${ftsAllExpression(tokens)})`;
}

function matchTs(tokens: string[], mode: MatchMode | 'any'): string {
  if (mode === 'all') return tsQueryAll(tokens);
  if (mode === 'any' || tokens.length === 1) return tsQueryAny(tokens);
  return `(${tsQueryAny(tokens)}) & !(${tsQueryAll(tokens)})`;
}

/**
 * Articles matching the tokens (`mode`), best first. SQLite: FTS5's bm25() with the head weighted 4 to the body's 1
 * (bm25 is lower for better matches; the score answered is its negation, so higher is better everywhere).
 * PostgreSQL: ts_rank over the app-written tsvector (head weight A = 1.0, body D = 0.25), normalised by the log of
 * the document's length (flag 1); it counts how often each token occurs but, unlike BM25, not how rare it is.
 * The ranking reads only ids and scores; the page's columns are read for the page's rows alone (the sorter would
 * otherwise carry every match's text).
 */
export async function searchArticles(db: Kysely<DB>, dialect: Dialect, tokens: string[], f: ArticleFilter, limit: number, offset: number, mode: MatchMode | 'any' = 'any'): Promise<RankedArticle[]> {
  const c = conditions(f);
  if (dialect === 'sqlite') {
    const r = await sql<RankedArticle>`SELECT ${ARTICLE_COLUMNS}, r.score FROM (
        SELECT kb_fts.rowid AS id, -bm25(kb_fts, 4.0, 1.0) AS score FROM kb_fts ${c.length ? sql`JOIN kb_articles a ON a.id = kb_fts.rowid` : sql``}
        WHERE kb_fts MATCH ${matchFts(tokens, mode)} ${where(c)}
        ORDER BY bm25(kb_fts, 4.0, 1.0), kb_fts.rowid DESC LIMIT ${limit} OFFSET ${offset}
      ) r JOIN kb_articles a ON a.id = r.id ORDER BY r.score DESC, a.id DESC`.execute(db);
    return r.rows;
  }
  const r = await sql<RankedArticle>`SELECT ${ARTICLE_COLUMNS}, ts_rank('{0.25,0.4,0.6,1.0}', s.doc, q.q, 1) AS score
    FROM kb_search s JOIN kb_articles a ON a.id = s.article_id, (SELECT CAST(${matchTs(tokens, mode)} AS tsquery) AS q) q
    WHERE s.doc @@ q.q ${where(c)}
    ORDER BY score DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows.map((x) => ({ ...x, score: Number(x.score) }));
}

/** How many articles hold every token (where the `some` matches start in a search's order). */
export async function countAllMatches(db: Kysely<DB>, dialect: Dialect, tokens: string[], f: ArticleFilter): Promise<number> {
  const c = conditions(f);
  if (dialect === 'sqlite') {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM kb_fts ${c.length ? sql`JOIN kb_articles a ON a.id = kb_fts.rowid` : sql``}
      WHERE kb_fts MATCH ${ftsAllExpression(tokens)} ${where(c)}`.execute(db);
    return Number(r.rows[0].n);
  }
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM kb_search s JOIN kb_articles a ON a.id = s.article_id
    WHERE s.doc @@ CAST(${tsQueryAll(tokens)} AS tsquery) ${where(c)}`.execute(db);
  return Number(r.rows[0].n);
}

/** Articles without a query: the most recently changed first. */
export async function listArticles(db: Kysely<DB>, f: ArticleFilter, limit: number, offset: number): Promise<RankedArticle[]> {
  const r = await sql<Omit<RankedArticle, 'score'>>`SELECT ${ARTICLE_COLUMNS} FROM kb_articles a WHERE 1 = 1 ${where(conditions(f))}
    ORDER BY a.updated_at DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows.map((x) => ({ ...x, score: 0 }));
}

export interface RankedPassage {
  id: number;
  article_id: number;
  heading: string | null;
  text: string;
  title: string;
  product_line: string | null;
  score: number;
}

/**
 * Passages of published public articles holding any of the tokens, best first (ranked like articles). `productLine`
 * keeps the passages of that line's articles and of articles for every product (no line).
 */
export async function searchPassages(db: Kysely<DB>, dialect: Dialect, tokens: string[], productLine: string | null, limit: number): Promise<RankedPassage[]> {
  const line = productLine ? sql`AND (a.product_line = ${productLine} OR a.product_line IS NULL)` : sql``;
  if (dialect === 'sqlite') {
    const r = await sql<RankedPassage>`SELECT p.id, p.article_id, p.heading, p.text, a.title, a.product_line, -bm25(kb_passage_fts, 3.0, 1.0) AS score
      FROM kb_passage_fts JOIN kb_passages p ON p.id = kb_passage_fts.rowid JOIN kb_articles a ON a.id = p.article_id
      WHERE kb_passage_fts MATCH ${ftsAnyExpression(tokens)} AND a.status = 'published' AND a.visibility = 'public' ${line}
      ORDER BY bm25(kb_passage_fts, 3.0, 1.0), p.id LIMIT ${limit}`.execute(db);
    return r.rows;
  }
  const r = await sql<RankedPassage>`SELECT p.id, p.article_id, p.heading, p.text, a.title, a.product_line, ts_rank('{0.25,0.4,0.6,1.0}', s.doc, q.q, 1) AS score
    FROM kb_passage_search s JOIN kb_passages p ON p.id = s.passage_id JOIN kb_articles a ON a.id = p.article_id,
      (SELECT CAST(${tsQueryAny(tokens)} AS tsquery) AS q) q
    WHERE s.doc @@ q.q AND a.status = 'published' AND a.visibility = 'public' ${line}
    ORDER BY score DESC, p.id LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, score: Number(x.score) }));
}
