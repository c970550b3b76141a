// Products and units (issue 16): the catalog gets what field service needs (installation, fee standard, return window),
// units get proof of purchase, installation acceptance, extended warranty, the derived warranty stored for queries,
// replacement links and optimistic locking; a serial is unique per model. Fault classes for the labour charges are a
// small editable list of their own.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const addTo = (table: string, columns: [string, string, ((c: any) => any)?][]) =>
    columns.reduce((p, [name, type, build]) => p.then(() => db.schema.alterTable(table).addColumn(name, type as any, build ?? ((c) => c)).execute()), Promise.resolve());

  await addTo('products', [
    ['needs_installation', 'integer', (c) => c.notNull().defaultTo(0)],
    ['callout_fee', 'integer', (c) => c.notNull().defaultTo(0)], // fen
    ['labour_fees', 'text', (c) => c.notNull().defaultTo('{}')], // JSON: { faultClassCode: fen }
    ['return_days', 'integer', (c) => c.notNull().defaultTo(7)],
    ['created_at', bigint],
    ['updated_at', bigint],
    ['version', 'integer', (c) => c.notNull().defaultTo(1)],
  ]);
  await db.schema.createIndex('products_line').on('products').column('line').execute();

  await db.schema
    .createTable('fault_classes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  // The ticket's own fault classes (shared/enums FAULT_CLASSES) to begin with.
  await db
    .insertInto('fault_classes')
    .values([
      { code: 'hardware', name_zh: '硬件故障', name_en: 'Hardware fault', position: 1 },
      { code: 'software', name_zh: '软件故障', name_en: 'Software fault', position: 2 },
      { code: 'usage', name_zh: '使用问题', name_en: 'Usage problem', position: 3 },
    ])
    .execute();

  await addTo('units', [
    ['proof_attachment_id', 'integer'],
    ['proof_ref', 'text'], // invoice / order number
    ['acceptance_date', 'text'],
    ['extended_months', 'integer', (c) => c.notNull().defaultTo(0)],
    ['warranty_start', 'text'],
    ['warranty_basis', 'text', (c) => c.notNull().defaultTo('none')],
    ['replaces_id', 'integer'],
    ['replaced_by_id', 'integer'],
    ['replaced_at', bigint],
    ['notes', 'text'],
    ['updated_at', bigint],
    ['version', 'integer', (c) => c.notNull().defaultTo(1)],
  ]);

  // A serial is unique per model. Intake used to register a unit per customer, so one serial could appear twice: the
  // oldest row stays and the tickets of the others point at it.
  const dupes = await db
    .selectFrom('units')
    .select(['product_model', 'serial_number', (eb) => eb.fn.min('id').as('keep')])
    .where('serial_number', 'is not', null)
    .groupBy(['product_model', 'serial_number'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of dupes) {
    const others = (await db.selectFrom('units').select('id').where('product_model', '=', d.product_model).where('serial_number', '=', d.serial_number).where('id', '<>', Number(d.keep)).execute()).map((r) => r.id);
    await db.updateTable('tickets').set({ unit_id: Number(d.keep) }).where('unit_id', 'in', others).execute();
    await db.deleteFrom('units').where('id', 'in', others).execute();
  }
  await db.schema.createIndex('units_model_serial').on('units').columns(['product_model', 'serial_number']).unique().execute();
  await db.schema.createIndex('units_warranty_end').on('units').column('warranty_end').execute();
  // A unit's service history; partial, so tickets without a unit (most of them) cost creation nothing here.
  await db.schema.createIndex('tickets_unit').on('tickets').column('unit_id').where('unit_id', 'is not', null).execute();

  // Warranty by the new rule: no unit has proof of purchase yet, so those with a purchase date are unknown until someone
  // records the proof (the old end from the purchase date alone is what issue 16 replaces).
  await db.updateTable('units').set({ warranty_start: null, warranty_end: null, warranty_basis: 'none' }).execute();
}
