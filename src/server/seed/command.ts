// `npm run seed`: base data always; demo data only in demo mode and only once, so running it again adds nothing.
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { ensureBaseData } from './base.js';
import { seedDemo } from './demo.js';

export interface SeedResult {
  base: { adminPassword: string | null; demoPassword: string | null };
  /** What demo data was written now: null when demo mode is off or the database already holds customers. */
  demo: { customers: number; tickets: number } | null;
}

export async function runSeed(db: Database, config: Config, size?: { customers: number; tickets: number }): Promise<SeedResult> {
  await migrate(db);
  const base = await ensureBaseData(db, config);
  if (!config.demo) return { base, demo: null };
  // seedDemo skips a database that already has customers: a second run, or a live installation's own data.
  const demo = await seedDemo(db, config, { force: false, ...size });
  return { base, demo };
}
