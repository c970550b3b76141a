// The knowledge base (issue 15, SPEC §11; seed 000 §二(三)3 记录常见问题，用于知识库更新) and the assistant's counts:
// - `kb_articles`: the current text of each article (Markdown, with its plain text for snippets), its category, tags,
//   product line, visibility (public / internal), status (draft / published), version and helpful counts;
// - `kb_revisions`: every saved state, for the history and the diff between two;
// - `kb_votes`: one "was this helpful" per article and voter (a user, or an anonymous browser's client id);
// - `kb_passages`: each article cut into passages, what the assistant answers with;
// - `kb_events`: deflections ("this solved it") and the assistant's questions, answers, clarifications and hand-overs,
//   counted for reports; `dedupe` makes a retried one count once;
// - the search indexes: on SQLite contentless FTS5 tables with the tokens in two columns (head: title and tags; body)
//   and positions kept (detail=full), because bm25() ranks by how often a token occurs; on PostgreSQL a tsvector per
//   article / passage written out by the app (domain/kb/query.ts tsVectorLiteral, weights A for the head) with a GIN
//   index, ranked by ts_rank.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const id = (t: string) => db.schema.createTable(t).addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));

  await id('kb_articles')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('plain_text', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull()) // JSON array of strings
    .addColumn('product_line', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull()) // public | internal
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('helpful_yes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful_no', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source_ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('public_reviewed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('published_at', bigint)
    .execute();
  await db.schema.createIndex('kb_articles_list').on('kb_articles').columns(['status', 'visibility', 'updated_at']).execute();
  // One draft per ticket: a retried "create article from this ticket" finds the first one.
  await db.schema.createIndex('kb_articles_source').on('kb_articles').column('source_ticket_id').unique().execute();

  await id('kb_revisions')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('kb_revisions_article').on('kb_revisions').columns(['article_id', 'revision']).unique().execute();

  await db.schema
    .createTable('kb_votes')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('voter', 'text', (c) => c.notNull()) // u:<user id> | c:<client id>
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_votes_pk', ['article_id', 'voter'])
    .execute();

  await id('kb_passages')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('kb_articles.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_passages_article').on('kb_passages').columns(['article_id', 'position']).execute();

  await id('kb_events')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('article_id', 'integer')
    .addColumn('conversation', 'text')
    .addColumn('query', 'text')
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('dedupe', 'text')
    .execute();
  await db.schema.createIndex('kb_events_dedupe').on('kb_events').column('dedupe').unique().execute();
  await db.schema.createIndex('kb_events_kind_at').on('kb_events').columns(['kind', 'at']).execute();

  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE kb_fts USING fts5(head, body, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
    await sql`CREATE VIRTUAL TABLE kb_passage_fts USING fts5(head, body, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
  } else {
    await sql`CREATE TABLE kb_search (article_id integer PRIMARY KEY REFERENCES kb_articles(id), doc tsvector NOT NULL)`.execute(db);
    await sql`CREATE INDEX kb_search_doc ON kb_search USING gin (doc)`.execute(db);
    await sql`CREATE TABLE kb_passage_search (passage_id integer PRIMARY KEY REFERENCES kb_passages(id) ON DELETE CASCADE, doc tsvector NOT NULL)`.execute(db);
    await sql`CREATE INDEX kb_passage_search_doc ON kb_passage_search USING gin (doc)`.execute(db);
  }
}
