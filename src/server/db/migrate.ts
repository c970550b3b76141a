// Numbered migrations, applied in order once each; several processes starting together on PostgreSQL take turns.
import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from './connect.js';
import * as m0001 from './migrations/0001_init.js';
import * as m0002 from './migrations/0002_sla.js';
import * as m0003 from './migrations/0003_notification_keys.js';
import * as m0004 from './migrations/0004_uncovered_index.js';
import * as m0005 from './migrations/0005_drop_customers_name.js';
import * as m0006 from './migrations/0006_append_only_indexes.js';
import * as m0007 from './migrations/0007_fts_automerge.js';
import * as m0008 from './migrations/0008_fts_detail_none.js';
import * as m0009 from './migrations/0009_sla_units.js';
import * as m0010 from './migrations/0010_token_expiry.js';
import * as m0011 from './migrations/0011_notify_prefs.js';
import * as m0012 from './migrations/0012_classification.js';
import * as m0013 from './migrations/0013_review_loop.js';
import * as m0014 from './migrations/0014_late_registration_partial.js';
import * as m0015 from './migrations/0015_knowledge_base.js';
import * as m0016 from './migrations/0016_portal.js';
import * as m0017 from './migrations/0017_customer_messages.js';
import * as m0018 from './migrations/0018_surveys.js';
import * as m0019 from './migrations/0019_products_units.js';
import * as m0020 from './migrations/0020_parts.js';
import * as m0024 from './migrations/0024_visits.js';
import * as m0028 from './migrations/0028_service_providers.js';
import * as m0031 from './migrations/0031_returns.js';
import * as m0034 from './migrations/0034_care.js';
import * as m0037 from './migrations/0037_offline_replays.js';
import * as m0025 from './migrations/0025_visit_reports.js';
import * as m0041 from './migrations/0041_settlement.js';

interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

// Landed migrations are never edited: add a new file and list it here.
const MIGRATIONS: Migration[] = [
  { name: '0001_init', up: m0001.up },
  { name: '0002_sla', up: m0002.up },
  { name: '0003_notification_keys', up: m0003.up },
  { name: '0004_uncovered_index', up: m0004.up },
  { name: '0005_drop_customers_name', up: m0005.up },
  { name: '0006_append_only_indexes', up: m0006.up },
  { name: '0007_fts_automerge', up: m0007.up },
  { name: '0008_fts_detail_none', up: m0008.up },
  { name: '0009_sla_units', up: m0009.up },
  { name: '0010_token_expiry', up: m0010.up },
  { name: '0011_notify_prefs', up: m0011.up },
  { name: '0012_classification', up: m0012.up },
  { name: '0013_review_loop', up: m0013.up },
  { name: '0014_late_registration_partial', up: m0014.up },
  { name: '0015_knowledge_base', up: m0015.up },
  { name: '0016_portal', up: m0016.up },
  { name: '0017_customer_messages', up: m0017.up },
  { name: '0018_surveys', up: m0018.up },
  { name: '0019_products_units', up: m0019.up },
  { name: '0020_parts', up: m0020.up },
  { name: '0024_visits', up: m0024.up },
  { name: '0028_service_providers', up: m0028.up },
  { name: '0031_returns', up: m0031.up },
  { name: '0034_care', up: m0034.up },
  { name: '0037_offline_replays', up: m0037.up },
  { name: '0025_visit_reports', up: m0025.up },
  { name: '0041_settlement', up: m0041.up },
];

/**
 * Applies the migrations not yet applied. `stopBefore` (tests of an upgrade) stops before the named migration, so a
 * test can write data as an older version had it and then migrate the rest.
 */
export async function migrate(database: Database, opts: { stopBefore?: string } = {}): Promise<string[]> {
  const stop = opts.stopBefore ? MIGRATIONS.findIndex((m) => m.name === opts.stopBefore) : -1;
  if (opts.stopBefore && stop < 0) throw new Error(`no migration named ${opts.stopBefore}`);
  const migrations = stop < 0 ? MIGRATIONS : MIGRATIONS.slice(0, stop);
  const applied: string[] = [];
  if (database.dialect === 'postgres') {
    await database.read.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(724001)`.execute(conn);
      try {
        await ensureTable(conn as unknown as Kysely<any>);
        const done = await doneSet(conn as unknown as Kysely<any>);
        for (const m of migrations) {
          if (done.has(m.name)) continue;
          await (conn as unknown as Kysely<any>).transaction().execute(async (trx) => {
            await m.up(trx, 'postgres');
            await trx.insertInto('schema_migrations').values({ name: m.name, applied_at: Date.now() }).execute();
          });
          applied.push(m.name);
        }
      } finally {
        await sql`SELECT pg_advisory_unlock(724001)`.execute(conn);
      }
    });
    return applied;
  }
  // SQLite: the reader connection is query_only, so migrate through the write queue (one transaction per migration).
  await database.write(async (trx) => ensureTable(trx as unknown as Kysely<any>));
  const done = await database.write(async (trx) => doneSet(trx as unknown as Kysely<any>));
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    await database.write(async (trx) => {
      await m.up(trx as unknown as Kysely<any>, 'sqlite');
      await (trx as unknown as Kysely<any>).insertInto('schema_migrations').values({ name: m.name, applied_at: Date.now() }).execute();
    });
    applied.push(m.name);
  }
  return applied;
}

async function ensureTable(db: Kysely<any>) {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
}

async function doneSet(db: Kysely<any>): Promise<Set<string>> {
  const rows = await db.selectFrom('schema_migrations').select('name').execute();
  return new Set(rows.map((r: { name: string }) => r.name));
}
