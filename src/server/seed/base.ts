// Data every installation needs: departments, the category tree, the admin account (and the demo accounts in demo mode).
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import { DEMO_PASSWORD, hashPassword, randomSecret, verifyPassword } from '../modules/auth/password.js';
import { endCredentials } from '../modules/auth/service.js';
import { DEFAULT_POLICIES, DEFAULT_WEEK_HOURS } from '../domain/sla/index.js';
import { allTargetColumns } from '../modules/sla/service.js';
import { CATEGORY_TREE } from './demo-content.js';

/** SPEC §5's departments; routing by category points at these codes. */
export const DEPARTMENTS = [
  { code: 'customer_service', name_zh: '客服部', name_en: 'Customer Service' },
  { code: 'tech_support', name_zh: '技术支持部', name_en: 'Technical Support' },
  { code: 'logistics', name_zh: '物流部', name_en: 'Logistics' },
  { code: 'production', name_zh: '生产部', name_en: 'Production' },
  { code: 'quality', name_zh: '质量管理部', name_en: 'Quality' },
];

export { DEMO_PASSWORD };

export async function ensureBaseData(db: Database, config: Config): Promise<{ adminPassword: string | null; demoPassword: string | null }> {
  const now = Date.now();
  const hasDepartments = await db.read.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (!hasDepartments) {
    await db.write((trx) => trx.insertInto('departments').values(DEPARTMENTS.map((d) => ({ ...d, manager_id: null, created_at: now }))).execute());
  }
  const hasCategories = await db.read.selectFrom('categories').select('code').limit(1).executeTakeFirst();
  if (!hasCategories) {
    await db.write((trx) =>
      trx
        .insertInto('categories')
        .values(CATEGORY_TREE.map((c) => ({ code: c.code, parent_code: c.parentCode, name_zh: c.nameZh, name_en: c.nameEn, sort: c.sort, active: 1 })))
        .execute(),
    );
  }

  await ensureSlaDefaults(db, now);
  await ensureRoutingDefaults(db, now);

  // The environment is authoritative for the admin password: setting it again resets a forgotten one.
  let adminPassword: string | null = null;
  const admin = await db.read.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', 'admin').executeTakeFirst();
  if (!admin) {
    const password = config.adminPassword ?? randomSecret(9);
    if (!config.adminPassword) adminPassword = password;
    const hash = await hashPassword(password);
    await db.write((trx) =>
      trx
        .insertInto('users')
        .values({ username: 'admin', display_name: '系统管理员', password_hash: hash, role: 'admin', department_id: null, customer_id: null, skills: '[]', email: null, phone: null, active: 1, created_at: now })
        .execute(),
    );
  } else if (config.adminPassword && (admin.active !== 1 || !(await verifyPassword(config.adminPassword, admin.password_hash)))) {
    // A reset like an admin's: the admin's sessions end and their API tokens are revoked. Starting again with
    // the same password changes nothing.
    const hash = await hashPassword(config.adminPassword);
    await db.write(async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash, active: 1 }).where('id', '=', admin.id).execute();
      await endCredentials(trx, admin.id);
    });
  }
  return { adminPassword, demoPassword: config.demo ? DEMO_PASSWORD : null };
}

/** The China mainland calendar, a 24×7 calendar and SPEC §4's default policies. */
async function ensureSlaDefaults(db: Database, now: number) {
  const has = await db.read.selectFrom('calendars').select('id').limit(1).executeTakeFirst();
  if (has) return;
  await db.write(async (trx) => {
    const china = await trx
      .insertInto('calendars')
      .values({ code: 'china', name_zh: '中国大陆工作日历', name_en: 'China mainland working days', kind: 'china', time_zone: 'Asia/Shanghai', week_hours: JSON.stringify(DEFAULT_WEEK_HOURS), workday_hours: null, covered_years: '[]', created_at: now, updated_at: now, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('calendars')
      .values({ code: '24x7', name_zh: '7×24 小时', name_en: '24×7', kind: 'always', time_zone: 'Asia/Shanghai', week_hours: '{}', workday_hours: null, covered_years: '[]', created_at: now, updated_at: now, version: 1 })
      .execute();
    // Names as a Chinese service team calls them (the domain's English names stay for code and tests).
    const names: Record<string, string> = { P1: 'P1 紧急（核心业务 / 安全）', P2: 'P2 重要', P3: 'P3 一般' };
    for (const p of DEFAULT_POLICIES) {
      await trx
        .insertInto('sla_policies')
        .values({
          name: (p.priority && names[p.priority]) || p.name,
          priority: p.priority ?? null,
          customer_tier: p.customerTier ?? null,
          product_line: p.productLine ?? null,
          service_type: p.serviceType ?? null,
          calendar_id: china.id,
          ...allTargetColumns(p.targets),
          warn_percent: p.warnAtPercent ?? 80,
          escalate_after_minutes: 0,
          manager_ack_minutes: 240,
          active: 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
    }
  });
}

/** SPEC §5: product → technical support, service → customer service, logistics → logistics. */
async function ensureRoutingDefaults(db: Database, now: number) {
  const has = await db.read.selectFrom('routing_rules').select('id').limit(1).executeTakeFirst();
  if (has) return;
  const departments = await db.read.selectFrom('departments').select(['id', 'code']).execute();
  const dept = (code: string) => departments.find((d) => d.code === code)?.id;
  const rules = [
    { name: '产品故障 → 技术支持部', sort: 10, category_prefix: 'product', department: 'tech_support', strategy: 'least_loaded' },
    { name: '服务投诉 → 客服部', sort: 20, category_prefix: 'service', department: 'customer_service', strategy: 'round_robin' },
    { name: '物流问题 → 物流部', sort: 30, category_prefix: 'logistics', department: 'logistics', strategy: 'round_robin' },
    { name: '咨询建议 → 客服部', sort: 40, category_prefix: 'other', department: 'customer_service', strategy: 'none' },
  ];
  await db.write(async (trx) => {
    for (const r of rules) {
      const id = dept(r.department);
      if (!id) continue;
      await trx
        .insertInto('routing_rules')
        .values({ name: r.name, sort: r.sort, category_prefix: r.category_prefix, product_line: null, customer_tier: null, channel: null, department_id: id, strategy: r.strategy, active: 1, created_at: now, updated_at: now, version: 1 })
        .execute();
    }
  });
}
