// SLA targets carry their unit (SPEC §4): working minutes / hours, working days or clock (elapsed) minutes / hours.
// Until now every target was working minutes on the policy's calendar.
//
// - `<target>_minutes` becomes `<target>_amount` (the amount in the unit) and `<target>_unit` is added.
// - Every existing target keeps its meaning: working minutes, written as working hours where it is a whole number of
//   hours (same arithmetic: a working hour is 60 working minutes).
// - The three seeded default policies move to the new defaults (P1 in clock time, P2 / P3 in working minutes, hours
//   and days) only where an admin never edited them: the row is still exactly what the seed wrote — version 1 (every
//   edit through the API bumps it), the seed's name, priority and no other criterion, the China calendar, the old
//   targets, 80 % warning, escalation at once, 240 minutes for the manager, active.
// - Open tickets' stored deadlines are recomputed afterwards by the application (SlaAdminService.recomputePending, run
//   by the sweeper's next pass): `sla_recompute` lists the policies whose tickets are due for it. All policies are
//   listed, not only the migrated ones: the China calendar now assumes the fixed-date holidays in years without
//   holiday data, which moves deadlines running into such a year under any policy.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

const TARGETS = ['first_response', 'start_handling', 'first_solution', 'resolve', 'update_interval', 'follow_up'] as const;
type Target = (typeof TARGETS)[number];
type Values = Record<Target, [number, string] | null>;

const OLD: Record<'P1' | 'P2' | 'P3', { name: string; minutes: Record<Target, number | null> }> = {
  P1: { name: 'P1 紧急（核心业务 / 安全）', minutes: { first_response: 30, start_handling: 240, first_solution: 1440, resolve: null, update_interval: 720, follow_up: 1440 } },
  P2: { name: 'P2 重要', minutes: { first_response: 30, start_handling: 480, first_solution: 2880, resolve: null, update_interval: 1440, follow_up: 1440 } },
  P3: { name: 'P3 一般', minutes: { first_response: 1440, start_handling: 1440, first_solution: null, resolve: 4320, update_interval: 1440, follow_up: 1440 } },
};

// The new defaults, as in domain/sla/policy.ts DEFAULT_POLICIES (copied: a migration must not change when the code does).
const NEW: Record<'P1' | 'P2' | 'P3', Values> = {
  P1: { first_response: [30, 'clock_minutes'], start_handling: [4, 'clock_hours'], first_solution: [24, 'clock_hours'], resolve: null, update_interval: [12, 'clock_hours'], follow_up: [1, 'working_days'] },
  P2: { first_response: [30, 'working_minutes'], start_handling: [8, 'working_hours'], first_solution: [2, 'working_days'], resolve: null, update_interval: [1, 'working_days'], follow_up: [1, 'working_days'] },
  P3: { first_response: [30, 'working_minutes'], start_handling: [1, 'working_days'], first_solution: null, resolve: [3, 'working_days'], update_interval: [1, 'working_days'], follow_up: [1, 'working_days'] },
};

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  for (const t of TARGETS) {
    await db.schema.alterTable('sla_policies').renameColumn(`${t}_minutes`, `${t}_amount`).execute();
    await db.schema.alterTable('sla_policies').addColumn(`${t}_unit`, 'text', (c) => c.notNull().defaultTo('working_minutes')).execute();
  }
  for (const t of TARGETS) {
    await sql`UPDATE sla_policies SET ${sql.ref(`${t}_amount`)} = ${sql.ref(`${t}_amount`)} / 60, ${sql.ref(`${t}_unit`)} = 'working_hours'
      WHERE ${sql.ref(`${t}_amount`)} > 0 AND ${sql.ref(`${t}_amount`)} % 60 = 0`.execute(db);
  }

  const china = await db.selectFrom('calendars').select('id').where('code', '=', 'china').executeTakeFirst();
  if (china) {
    for (const priority of ['P1', 'P2', 'P3'] as const) {
      const old = OLD[priority];
      let q = db
        .selectFrom('sla_policies')
        .select('id')
        .where('version', '=', 1)
        .where('name', '=', old.name)
        .where('priority', '=', priority)
        .where('customer_tier', 'is', null)
        .where('product_line', 'is', null)
        .where('service_type', 'is', null)
        .where('calendar_id', '=', china.id)
        .where('warn_percent', '=', 80)
        .where('escalate_after_minutes', '=', 0)
        .where('manager_ack_minutes', '=', 240)
        .where('active', '=', 1);
      for (const t of TARGETS) {
        // Compared after the rewrite to hours above.
        const m = old.minutes[t];
        if (m === null) q = q.where(`${t}_amount`, 'is', null);
        else if (m % 60 === 0) q = q.where(`${t}_amount`, '=', m / 60).where(`${t}_unit`, '=', 'working_hours');
        else q = q.where(`${t}_amount`, '=', m).where(`${t}_unit`, '=', 'working_minutes');
      }
      const rows = await q.execute();
      for (const row of rows) {
        const set: Record<string, unknown> = {};
        for (const t of TARGETS) {
          const v = NEW[priority][t];
          set[`${t}_amount`] = v ? v[0] : null;
          set[`${t}_unit`] = v ? v[1] : 'working_minutes';
        }
        await db.updateTable('sla_policies').set(set).where('id', '=', row.id).execute();
      }
    }
  }

  await db.schema.createTable('sla_recompute').addColumn('policy_id', 'integer', (c) => c.primaryKey()).execute();
  await sql`INSERT INTO sla_recompute (policy_id) SELECT id FROM sla_policies`.execute(db);
}
