// Demo data: a user per role, ~200 customers with their products, ~2,000 tickets over 90 days in every state.
// Written through the real services with a moved clock, so timelines, numbers and search indexes are genuine.
import { sql } from 'kysely';
import pino from 'pino';
import type { TicketStatus } from '../../shared/enums.js';
import type { Config } from '../config.js';
import { ManualClock } from '../context.js';
import type { Database } from '../db/connect.js';
import type { Actor } from '../domain/access.js';
import { unitStoredWarranty } from '../modules/products/facts.js';
import { demoProductFields, demoUnitFields } from './demo-units.js';
import { hashPassword } from '../modules/auth/password.js';
import { actorOf } from '../modules/users/service.js';
import { Sweeper } from '../jobs/sweeper.js';
import { seedDemoVisits } from './demo-visits.js';
import { seedDemoCare } from './demo-care.js';
import { seedDemoReturns } from './demo-returns.js';
import { createServices } from '../services.js';
import { DEMO_PASSWORD } from './base.js';
import { seedDemoKb } from './demo-kb.js';
import { seedDemoParts } from './demo-parts.js';
import { answerDemoSurvey } from './demo-surveys.js';
import { createRng, DEMO_PRODUCTS, generateCustomers, generateTicketContent, generateTicketThread, nounFor } from './demo-content.js';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

const DEMO_USERS = [
  { username: 'director', display_name: '陈总监', role: 'director', dept: null },
  { username: 'manager', display_name: '周经理', role: 'manager', dept: 'tech_support' },
  { username: 'supervisor', display_name: '刘主管', role: 'supervisor', dept: 'customer_service' },
  { username: 'agent', display_name: '小李', role: 'agent', dept: 'customer_service' },
  { username: 'agent2', display_name: '小张', role: 'agent', dept: 'customer_service' },
  { username: 'engineer', display_name: '王工', role: 'engineer', dept: 'tech_support', skills: ['空调', '冰箱', '制冷'] },
  { username: 'engineer2', display_name: '李工', role: 'engineer', dept: 'tech_support', skills: ['服务器', '笔记本电脑', '软件'] },
  { username: 'engineer3', display_name: '赵工', role: 'engineer', dept: 'tech_support', skills: ['洗衣机', '热水器', '净水器'] },
  { username: 'dispatcher', display_name: '孙调度', role: 'dispatcher', dept: 'logistics' },
  { username: 'logistics_mgr', display_name: '吴经理', role: 'manager', dept: 'logistics' },
  { username: 'cs_mgr', display_name: '郑经理', role: 'manager', dept: 'customer_service' },
  { username: 'qa', display_name: '钱质检', role: 'qa', dept: 'quality' },
  { username: 'customer', display_name: '张伟（客户）', role: 'customer', dept: null },
] as const;

/** Which department a category goes to (SPEC §5). */
const ROUTE: Record<string, string> = { product: 'tech_support', service: 'customer_service', logistics: 'logistics', other: 'customer_service' };

export async function seedDemo(db: Database, config: Config, opts: { force: boolean; customers?: number; tickets?: number }) {
  const existing = await db.read.selectFrom('customers').select('id').limit(1).executeTakeFirst();
  if (existing && !opts.force) return null;
  const customerCount = opts.customers ?? 200;
  const ticketCount = opts.tickets ?? 2000;
  const realNow = Date.now();
  const clock = new ManualClock(realNow);
  const services = createServices({ db, clock, config, log: pino({ level: 'silent' }) });
  const rng = createRng(20261123);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

  // Demo data is re-creatable, so it need not pay for an fsync per batch.
  db.sqlite?.writer.pragma('synchronous = OFF');
  try {
    const departments = await db.read.selectFrom('departments').selectAll().execute();
    const deptId = (code: string) => departments.find((d) => d.code === code)!.id;

    await db.write(async (trx) => {
      for (const p of DEMO_PRODUCTS) {
        const found = await trx.selectFrom('products').select('id').where('model', '=', p.model).executeTakeFirst();
        if (!found) await trx.insertInto('products').values({ model: p.model, name: p.name, line: p.line, warranty_months: p.warrantyMonths, ...demoProductFields(p), created_at: realNow, updated_at: realNow }).execute();
      }
    });
    const productOf = new Map(DEMO_PRODUCTS.map((p) => [p.model, p]));

    const generated = generateCustomers(customerCount, rng);
    const customerIds: number[] = [];
    await db.write(async (trx) => {
      for (const c of generated) {
        const row = await trx
          .insertInto('customers')
          .values({
            kind: c.kind,
            name: c.name,
            company: c.company,
            phone: c.phone,
            phone_digits: c.phone.replace(/\D/g, ''),
            email: c.email,
            email_lower: c.email?.toLowerCase() ?? null,
            address: c.address,
            tier: c.tier,
            special_needs: c.specialNeeds ? 1 : 0,
            special_needs_note: c.specialNeedsNote,
            notes: c.notes,
            created_at: realNow - 400 * DAY,
            updated_at: realNow - 400 * DAY,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        customerIds.push(row.id);
        for (const ct of c.contacts) {
          await trx
            .insertInto('contacts')
            .values({ customer_id: row.id, name: ct.name, phone: ct.phone, phone_digits: ct.phone?.replace(/\D/g, '') ?? null, email: ct.email, title: ct.title })
            .execute();
        }
        for (const u of c.units) {
          const product = productOf.get(u.productModel);
          const facts = { purchase_date: u.purchaseDate, proof_attachment_id: null, ...demoUnitFields(u, product) };
          await trx
            .insertInto('units')
            .values({
              customer_id: row.id,
              product_model: u.productModel,
              serial_number: u.serialNumber,
              install_date: u.installDate,
              ...facts,
              ...unitStoredWarranty(facts, product ? { warranty_months: product.warrantyMonths, needs_installation: demoProductFields(product).needs_installation } : null),
              created_at: realNow - 400 * DAY,
            })
            .execute();
        }
      }
    });

    const hash = await hashPassword(DEMO_PASSWORD);
    const actors = new Map<string, Actor>();
    for (const u of DEMO_USERS) {
      let row = await db.read.selectFrom('users').selectAll().where('username', '=', u.username).executeTakeFirst();
      if (!row) {
        row = await db.write((trx) =>
          trx
            .insertInto('users')
            .values({
              username: u.username,
              // The demo customer's account belongs to the first customer: it carries that customer's name, so the
              // portal and the console's customer card name the same person.
              display_name: u.role === 'customer' ? generated[0].name : u.display_name,
              password_hash: hash,
              role: u.role,
              department_id: u.dept ? deptId(u.dept) : null,
              customer_id: u.role === 'customer' ? customerIds[0] : null,
              skills: JSON.stringify('skills' in u ? u.skills : []),
              email: `${u.username}@aftercare.example`,
              phone: null,
              active: 1,
              created_at: realNow - 400 * DAY,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
      }
      actors.set(u.username, actorOf(row));
    }
    for (const [dept, user] of [['tech_support', 'manager'], ['logistics', 'logistics_mgr'], ['customer_service', 'cs_mgr']] as const) {
      await db.write((trx) => trx.updateTable('departments').set({ manager_id: actors.get(user)!.id }).where('code', '=', dept).execute());
    }

    const agents = [actors.get('agent')!, actors.get('agent2')!];
    const owners: Record<string, Actor[]> = {
      tech_support: [actors.get('engineer')!, actors.get('engineer2')!, actors.get('engineer3')!],
      customer_service: agents,
      logistics: [actors.get('dispatcher')!],
    };
    // The solution is reviewed by the lead of the department that owns the ticket (SPEC §8).
    const reviewers: Record<string, Actor> = {
      tech_support: actors.get('manager')!,
      customer_service: actors.get('supervisor')!,
      logistics: actors.get('logistics_mgr')!,
    };
    const supervisorActor = actors.get('supervisor')!;
    const units = await db.read.selectFrom('units').selectAll().execute();
    const unitsByCustomer = new Map<number, typeof units>();
    for (const u of units) unitsByCustomer.set(u.customer_id, [...(unitsByCustomer.get(u.customer_id) ?? []), u]);
    const products = new Map(DEMO_PRODUCTS.map((p) => [p.model, p]));

    let created = 0;
    // Tickets are written by eight lanes at once, each with its own clock, so their writes share group commits.
    const lanes = Array.from({ length: 8 }, () => {
      const laneClock = new ManualClock(realNow);
      return { clock: laneClock, services: createServices({ db, clock: laneClock, config, log: pino({ level: 'silent' }) }) };
    });
    const seedOne = async (i: number, lane: (typeof lanes)[number]) => {
      const rng = createRng(20261123 + i);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
      const { clock, services } = lane;
      // Older tickets first, so numbers grow with time as they would in real use.
      const ageDays = 90 * (1 - i / ticketCount) * (0.9 + 0.1 * rng());
      const createdAt = Math.round(Math.min(realNow - 5 * 60_000, realNow - ageDays * DAY + rng() * 8 * HOUR));
      const customerId = pick(customerIds);
      const unit = pick(unitsByCustomer.get(customerId) ?? units);
      const product = products.get(unit.product_model) ?? DEMO_PRODUCTS[0];
      const content = generateTicketContent(rng, product);
      const thread = generateTicketThread(rng, product, content);
      // The demo customer's own tickets: their answers and confirmations come from their account. For everyone else
      // (no account) an agent relays what they said, marked as their words.
      const customerActor = customerId === customerIds[0] ? actors.get('customer')! : null;
      const relayed = (words: string) => (customerActor ? words : `客户来电反馈：“${words}”`);
      const dept = ROUTE[content.category.split('.')[0]] ?? 'customer_service';
      const agent = pick(agents);
      let at = createdAt;
      clock.set(at);
      const { ticket } = await services.tickets.create(
        agent,
        {
          title: content.title,
          description: content.description,
          channel: content.channel,
          reportedAt: new Date(at - reportDelayMinutes(rng()) * 60_000).toISOString(),
          customerId,
          productModel: unit.product_model,
          serialNumber: unit.serial_number,
          purchaseDate: unit.purchase_date,
          occurredAt: new Date(at - Math.floor(rng() * 72) * HOUR).toISOString(),
          occurredPlace: content.occurredPlace,
          situation: content.situation,
          demand: content.demand,
          firstJudgement: content.firstJudgement,
          category: content.category,
          serviceType: content.serviceType,
          faultClass: content.faultClass,
          priority: content.priority,
          departmentId: deptId(dept),
        },
        undefined,
      );
      created++;
      const target = targetStatus(ageDays, rng());
      if (target === 'new') return;
      const owner = pick(owners[dept] ?? agents);
      const step = (minHours: number, maxHours: number) => {
        at = Math.round(Math.min(realNow - 60_000, at + (minHours + rng() * (maxHours - minHours)) * HOUR));
        clock.set(at);
      };
      let version = ticket.version;
      const move = async (who: Actor, to: TicketStatus, note?: string) => {
        const t = await services.tickets.transition(who, ticket.number, { to, note }, undefined, 'zh-CN');
        version = t.version;
      };
      if (target === 'cancelled') {
        step(0.2, 6);
        await move(agent, 'cancelled', thread.cancelNote);
        return;
      }
      step(0.1, 3);
      version = (await services.tickets.update(agent, ticket.number, { assigneeId: owner.id }, version)).version;
      if (target === 'assigned') return;
      step(0.2, 8);
      await move(owner, 'in_progress');
      step(0.2, 6);
      await services.tickets.addComment(owner, ticket.number, { body: thread.internalNote, internal: true });
      if (target === 'in_progress') return;
      step(0.5, 12);
      await services.tickets.addComment(owner, ticket.number, { body: thread.reply, internal: false });
      if (customerActor) {
        step(0.2, 4);
        await services.tickets.addComment(customerActor, ticket.number, { body: thread.customerReply, internal: false });
      }
      if (target === 'waiting_customer') {
        await move(owner, 'waiting_customer', thread.waitingNote);
        return;
      }
      // Some tickets need a collaborating department (logistics ships the spare part), done before the solution.
      if (thread.subtaskTitle && dept === 'tech_support' && rng() < 0.15) {
        const sub = await services.subtasks.create(owner, ticket.number, {
          departmentId: deptId('logistics'),
          ownerId: actors.get('dispatcher')!.id,
          title: thread.subtaskTitle,
          dueAt: new Date(at + 24 * HOUR).toISOString(),
        });
        step(2, 20);
        await services.subtasks.update(actors.get('dispatcher')!, sub.id, { status: 'done', note: `${thread.subtaskTitle}：顺丰已签收`, version: sub.version });
      }
      step(1, 24);
      await services.resolution.submitSolution(owner, ticket.number, { solution: thread.solution }, 'zh-CN');
      if (target === 'pending_review') return;
      step(0.5, 8);
      const reviewer = reviewers[dept] ?? actors.get('director')!;
      await services.resolution.review(reviewer, ticket.number, { approve: true, comment: thread.reviewComment }, 'zh-CN');
      if (target === 'pending_confirmation') return;
      step(2, 30);
      if (target === 'reopened') {
        await services.resolution.confirm(customerActor ?? agent, ticket.number, { satisfied: false, customerWords: relayed(thread.unsatisfiedWords) }, 'zh-CN');
        // An unsatisfied complaint starts its second review (二次复核); QA has recorded about half of them.
        if (content.serviceType === 'complaint' && rng() < 0.5) {
          step(1, 12);
          const noun = nounFor(product);
          await services.resolution.secondReview(actors.get('qa')!, ticket.number, {
            verdict: 'service_failure',
            finding: `复核${noun}投诉的处理记录：首次方案没有回应客户“${content.fault}”的主要诉求，客户不满意属实`,
            nextSteps: `由主管把关${noun}的改进方案，并对处理人员做一次沟通培训`,
          });
        }
        return;
      }
      await services.resolution.confirm(customerActor ?? agent, ticket.number, { satisfied: true, customerWords: relayed(thread.satisfiedWords) }, 'zh-CN');
      // Most closed tickets get their follow-up call within a day.
      if (rng() < 0.8) {
        step(1, 30);
        await services.resolution.followUp(agent, ticket.number, { note: thread.followUpNote }, 'zh-CN');
      }
      await answerDemoSurvey(services, { ticket, customerActor, supervisor: supervisorActor, director: actors.get('director')!, rng, product, fault: content.fault, step, realNow });
    };
    // The sweeper runs as the days go by (a running server would have), so deadlines missed in the past were warned
    // of, breached and escalated then, not all at once at the first start after seeding.
    const sweeper = new Sweeper(services);
    const sweepAt = async (at: number) => {
      clock.set(at);
      await sweeper.sweepDue(at);
    };
    for (let i = 0; i < ticketCount; i += lanes.length) {
      await Promise.all(lanes.map((lane, k) => (i + k < ticketCount ? seedOne(i + k, lane) : null)));
      if ((i / lanes.length) % 8 === 7) await sweepAt(Math.min(...lanes.map((l) => l.clock.now())));
    }
    await sweepAt(realNow);
    await settleDemoNotifications(db, realNow);
    // The knowledge base: written by the customer-service supervisor (who publishes) and an agent (internal drafts).
    clock.set(realNow);
    await seedDemoKb(createServices({ db, clock, config, log: pino({ level: 'silent' }) }), actors.get('supervisor')!, actors.get('agent')!);
    // Spare parts: a warehouse, the engineers' vans, parts received, taken and used on closed repairs (some now low).
    const partsClock = new ManualClock(realNow);
    await seedDemoParts(createServices({ db, clock: partsClock, config, log: pino({ level: 'silent' }) }), (ms) => partsClock.set(ms), realNow, {
      manager: actors.get('manager')!,
      engineers: { engineer: actors.get('engineer')!, engineer2: actors.get('engineer2')!, engineer3: actors.get('engineer3')! },
    });
    await settleDemoNotifications(db, realNow);
    await seedDemoVisits(db, realNow);
    // Installation acceptance, inspection plans and a repeat repair (issue 16).
    await seedDemoCare(createServices({ db, clock: new ManualClock(realNow), config, log: pino({ level: 'silent' }) }), realNow, {
      manager: actors.get('manager')!,
      agent: actors.get('agent')!,
      engineer: actors.get('engineer')!,
      engineer2: actors.get('engineer2')!,
    });
    // Returns: an exchange on its way back to us, a take-back at the workshop, two loaners (one lent).
    await seedDemoReturns(db, realNow);
    return { customers: customerIds.length, tickets: created };
  } finally {
    db.sqlite?.writer.pragma('synchronous = FULL');
  }
}

/** Unread notifications a demo user is left with at most: the newest of the last few days. */
export const DEMO_UNREAD_PER_USER = 20;
const DEMO_UNREAD_DAYS = 3;

/**
 * Ninety days of simulated work leave every demo user hundreds of notifications. People read theirs: everything but
 * the newest few of the last days is marked read (an hour or two after it came), and the outbox rows the simulation
 * queued are closed unsent, so a first start does not mail ninety days of history.
 */
export async function settleDemoNotifications(db: Database, now: number) {
  const users = await db.read.selectFrom('notifications').select('user_id').where('read_at', 'is', null).groupBy('user_id').execute();
  await db.write(async (trx) => {
    for (const { user_id } of users) {
      const keep = await trx
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', user_id)
        .where('read_at', 'is', null)
        .where('created_at', '>=', now - DEMO_UNREAD_DAYS * DAY)
        .orderBy('id', 'desc')
        .limit(DEMO_UNREAD_PER_USER)
        .execute();
      let q = trx
        .updateTable('notifications')
        .set({ read_at: sql<number>`CASE WHEN created_at + ${2 * HOUR} < ${now} THEN created_at + ${2 * HOUR} ELSE ${now} END` })
        .where('user_id', '=', user_id)
        .where('read_at', 'is', null);
      if (keep.length) q = q.where('id', 'not in', keep.map((k) => k.id));
      await q.execute();
    }
    await trx
      .updateTable('outbox')
      .set({ failed_at: now, last_error: 'demo data: history not sent' })
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .execute();
    // Messages to the demo customers (written when SMTP or SMS was configured) say so too.
    await trx.updateTable('customer_messages').set({ status: 'failed', last_error: 'demo data: history not sent' }).where('status', '=', 'queued').execute();
  });
}

/** Older tickets are mostly finished; the last fortnight spreads over every open state. */
function targetStatus(ageDays: number, r: number): TicketStatus {
  if (ageDays > 14) {
    if (r < 0.82) return 'closed';
    if (r < 0.87) return 'cancelled';
    if (r < 0.9) return 'reopened';
    if (r < 0.94) return 'pending_confirmation';
    if (r < 0.97) return 'waiting_customer';
    return 'in_progress';
  }
  const states: TicketStatus[] = ['new', 'assigned', 'in_progress', 'in_progress', 'waiting_customer', 'pending_review', 'pending_confirmation', 'closed', 'closed', 'reopened', 'cancelled'];
  return states[Math.floor(r * states.length)];
}

/**
 * Minutes between the customer's first contact and registration: mostly within the hour and a half, and about one
 * ticket in 25 registered late (2.5–7.5 h, past seed 001's 2-hour limit), so the late-registration flag and its
 * queue filter have something to show. One draw of the generator, as before, so the rest of the data stays the same.
 */
function reportDelayMinutes(r: number): number {
  return r < 0.04 ? 150 + Math.floor(r * 25 * 300) : Math.floor(r * 90);
}
