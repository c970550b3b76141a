// Data every installation needs: departments, the category tree, the admin account (and the demo accounts in demo mode).
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import { hashPassword, randomSecret } from '../modules/auth/password.js';
import { CATEGORY_TREE } from './demo-content.js';

/** SPEC §5's departments; routing by category points at these codes. */
export const DEPARTMENTS = [
  { code: 'customer_service', name_zh: '客服部', name_en: 'Customer Service' },
  { code: 'tech_support', name_zh: '技术支持部', name_en: 'Technical Support' },
  { code: 'logistics', name_zh: '物流部', name_en: 'Logistics' },
  { code: 'production', name_zh: '生产部', name_en: 'Production' },
  { code: 'quality', name_zh: '质量管理部', name_en: 'Quality' },
];

export const DEMO_PASSWORD = 'demo12345';

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

  // The environment is authoritative for the admin password: setting it again resets a forgotten one.
  let adminPassword: string | null = null;
  const admin = await db.read.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst();
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
  } else if (config.adminPassword) {
    const hash = await hashPassword(config.adminPassword);
    await db.write((trx) => trx.updateTable('users').set({ password_hash: hash, active: 1 }).where('id', '=', admin.id).execute());
  }
  return { adminPassword, demoPassword: config.demo ? DEMO_PASSWORD : null };
}
