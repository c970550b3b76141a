import { describe, it, expect } from 'vitest';
import { CHANNELS, CUSTOMER_TIERS, FAULT_CLASSES, PRIORITIES, SERVICE_TYPES } from '../../shared/enums.js';
import { CustomerCreateBody, TicketCreateBody } from '../../shared/schemas.js';
import {
  CATEGORY_LEAF_CODES,
  CATEGORY_TREE,
  DEMO_PRODUCTS,
  TICKET_TEMPLATE_COUNT,
  benchTicketBody,
  createRng,
  generateCustomers,
  generateTicketContent,
  generateTicketThread,
  LINE_NOUN,
  nounFor,
  int,
  pick,
  type DemoTicketContent,
} from './demo-content.js';

const TODAY = '2025-06-15';
const DAY_MS = 86_400_000;
const MOBILE = /^1[3-9]\d{9}$/;

function sampleTickets(seed: number, perProduct: number): { product: (typeof DEMO_PRODUCTS)[number]; t: DemoTicketContent }[] {
  const rng = createRng(seed);
  const out: { product: (typeof DEMO_PRODUCTS)[number]; t: DemoTicketContent }[] = [];
  for (const product of DEMO_PRODUCTS) {
    for (let k = 0; k < perProduct; k++) out.push({ product, t: generateTicketContent(rng, product) });
  }
  return out;
}

describe('createRng and helpers', () => {
  it('is deterministic per seed, differs between seeds and stays in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 1000 }, () => a());
    const ys = Array.from({ length: 1000 }, () => b());
    const zs = Array.from({ length: 1000 }, () => c());
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it('int is inclusive and pick covers the list', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = int(rng, 3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    const picked = new Set(Array.from({ length: 200 }, () => pick(rng, ['a', 'b', 'c'])));
    expect(picked.size).toBe(3);
  });
});

describe('DEMO_PRODUCTS', () => {
  it('has ~25 unique products over the expected lines with 12–72 month warranties', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(20);
    expect(DEMO_PRODUCTS.length).toBeLessThanOrEqual(35);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.model)).size).toBe(DEMO_PRODUCTS.length);
    const lines = new Set(DEMO_PRODUCTS.map((p) => p.line));
    for (const l of ['ac', 'fridge', 'washer', 'water_heater', 'purifier', 'robot', 'laptop', 'server', 'medical', 'software']) {
      expect(lines.has(l), l).toBe(true);
    }
    for (const p of DEMO_PRODUCTS) {
      expect(p.warrantyMonths).toBeGreaterThanOrEqual(12);
      expect(p.warrantyMonths).toBeLessThanOrEqual(72);
      expect(p.model.length).toBeLessThanOrEqual(100);
      expect(p.name.length).toBeGreaterThan(0);
    }
    expect(DEMO_PRODUCTS.map((p) => p.model)).toEqual(expect.arrayContaining(['KFR-35GW/BP3DN8Y', 'R740-S', 'ERP-Cloud 5.2']));
  });
});

describe('CATEGORY_TREE', () => {
  it('is the SPEC §3 tree with seed 001\'s 需求反馈: 4 roots, 16 leaves, valid codes, parents exist', () => {
    const codes = CATEGORY_TREE.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CATEGORY_TREE) {
      expect(c.code).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
      expect(c.code.length).toBeLessThanOrEqual(60);
      expect(c.nameZh.length).toBeGreaterThan(0);
      expect(c.nameEn.length).toBeGreaterThan(0);
      if (c.parentCode !== null) {
        expect(codes).toContain(c.parentCode);
        expect(c.code.startsWith(c.parentCode + '.')).toBe(true);
      }
    }
    expect(CATEGORY_TREE.filter((c) => c.parentCode === null).map((c) => c.code)).toEqual(['product', 'service', 'logistics', 'other']);
    expect([...CATEGORY_LEAF_CODES].sort()).toEqual(
      [
        'product.functional_fault', 'product.hardware_damage', 'product.below_spec', 'product.compatibility',
        'service.attitude', 'service.response_speed', 'service.process', 'service.broken_promise',
        'logistics.late_delivery', 'logistics.damaged', 'logistics.wrong_missing', 'logistics.return_shipping',
        'other.consultation', 'other.suggestion', 'other.requirement_feedback', 'other.cooperation',
      ].sort(),
    );
    expect(CATEGORY_TREE.find((c) => c.code === 'service.broken_promise')?.nameZh).toBe('承诺未兑现');
  });
});

describe('generateCustomers', () => {
  it('is deterministic for a seed', () => {
    const a = generateCustomers(100, createRng(7), { today: TODAY });
    const b = generateCustomers(100, createRng(7), { today: TODAY });
    const c = generateCustomers(100, createRng(8), { today: TODAY });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(generateCustomers(20, createRng(7))).toEqual(generateCustomers(20, createRng(7)));
  });

  it('gives unique phones (customers and contacts) and unique serial numbers over 500 customers', () => {
    const cs = generateCustomers(500, createRng(2024), { today: TODAY });
    expect(cs).toHaveLength(500);
    const phones = cs.flatMap((c) => [c.phone, ...c.contacts.map((k) => k.phone)]);
    for (const p of phones) expect(p).toMatch(MOBILE);
    expect(new Set(phones).size).toBe(phones.length);
    const serials = cs.flatMap((c) => c.units.map((u) => u.serialNumber));
    expect(serials.length).toBeGreaterThan(500);
    expect(new Set(serials).size).toBe(serials.length);
    const emails = cs.flatMap((c) => [c.email, ...c.contacts.map((k) => k.email)]).filter((e): e is string => e !== null);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(cs.filter((c) => c.kind === 'company').map((c) => c.company)).size).toBe(cs.filter((c) => c.kind === 'company').length);
  });

  it('has realistic shares of companies, tiers and special needs', () => {
    const cs = generateCustomers(3000, createRng(99), { today: TODAY });
    const share = (f: (c: (typeof cs)[number]) => boolean) => cs.filter(f).length / cs.length;
    expect(share((c) => c.kind === 'company')).toBeGreaterThan(0.15);
    expect(share((c) => c.kind === 'company')).toBeLessThan(0.25);
    expect(share((c) => c.tier === 'vip')).toBeGreaterThan(0.06);
    expect(share((c) => c.tier === 'vip')).toBeLessThan(0.14);
    expect(share((c) => c.tier === 'core')).toBeGreaterThan(0.1);
    expect(share((c) => c.tier === 'core')).toBeLessThan(0.2);
    expect(share((c) => c.specialNeeds)).toBeGreaterThan(0.025);
    expect(share((c) => c.specialNeeds)).toBeLessThan(0.08);
  });

  it('produces well-formed customers, contacts and units', () => {
    const cs = generateCustomers(500, createRng(5), { today: TODAY });
    const models = new Set(DEMO_PRODUCTS.map((p) => p.model));
    const todayMs = Date.parse(TODAY);
    for (const c of cs) {
      expect(CUSTOMER_TIERS).toContain(c.tier);
      expect(c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.address).toMatch(/^(.{2,3}省)?.{2,3}市.+区.+号/);
      expect(c.specialNeeds).toBe(c.specialNeedsNote !== null);
      if (c.kind === 'company') {
        expect(c.company).toBe(c.name);
        expect(c.name).toMatch(/(有限公司|医院)$/);
        expect(c.contacts.length).toBeGreaterThanOrEqual(1);
        expect(c.contacts.length).toBeLessThanOrEqual(3);
        expect(c.specialNeeds).toBe(false);
        expect(c.email).not.toBeNull();
      } else {
        expect(c.company).toBeNull();
        expect(c.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      }
      if (c.specialNeeds) expect(c.specialNeedsNote).toMatch(/老人|听力|行动不便|视力|高龄/);
      expect(c.units.length).toBeGreaterThanOrEqual(1);
      expect(c.units.length).toBeLessThanOrEqual(3);
      for (const u of c.units) {
        expect(models.has(u.productModel)).toBe(true);
        expect(u.serialNumber).toMatch(/^SN[A-Z0-9]{4,}\d{8}$/);
        expect(u.purchaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        const purchased = Date.parse(u.purchaseDate);
        expect(purchased).toBeLessThan(todayMs);
        expect(todayMs - purchased).toBeLessThanOrEqual(4 * 365 * DAY_MS);
        if (u.installDate !== null) {
          expect(Date.parse(u.installDate)).toBeGreaterThanOrEqual(purchased);
          expect(Date.parse(u.installDate)).toBeLessThanOrEqual(todayMs);
        }
      }
      const parsed = CustomerCreateBody.safeParse({
        kind: c.kind,
        name: c.name,
        company: c.company,
        phone: c.phone,
        email: c.email,
        address: c.address,
        tier: c.tier,
        specialNeeds: c.specialNeeds,
        specialNeedsNote: c.specialNeedsNote,
        notes: c.notes,
        contacts: c.contacts,
      });
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });
});

describe('generateTicketContent', () => {
  const samples = sampleTickets(11, 200);

  it('uses leaf categories and valid enum members, within schema limits', () => {
    for (const { t } of samples) {
      expect(CATEGORY_LEAF_CODES).toContain(t.category);
      expect(SERVICE_TYPES).toContain(t.serviceType);
      expect(PRIORITIES).toContain(t.priority);
      expect(CHANNELS).toContain(t.channel);
      if (t.faultClass !== null) expect(FAULT_CLASSES).toContain(t.faultClass);
      expect(t.title.length).toBeGreaterThanOrEqual(8);
      expect(t.title.length).toBeLessThanOrEqual(24);
      expect(t.title.length).toBeLessThanOrEqual(200);
      expect(t.description.length, t.description).toBeGreaterThanOrEqual(40);
      expect(t.description.length, t.description).toBeLessThanOrEqual(150);
      for (const s of [t.occurredPlace, t.situation, t.demand, t.firstJudgement]) expect(s.length).toBeGreaterThan(0);
      expect([t.title, t.description, t.occurredPlace, t.situation, t.demand, t.firstJudgement].join('|')).not.toMatch(/undefined|NaN|null|\[object|\$\{/);
      expect(t.demand.length).toBeLessThanOrEqual(500);
    }
  });

  it('passes TicketCreateBody validation', () => {
    for (const { product, t } of samples.slice(0, 2000)) {
      const body: TicketCreateBody = {
        ...t,
        customer: { name: '张女士', phone: '13800138000' },
        productModel: product.model,
      };
      const r = TicketCreateBody.safeParse(body);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    }
  });

  it('keeps category, service type and fault class consistent', () => {
    for (const { product, t } of samples) {
      const root = t.category.split('.')[0];
      if (root === 'logistics' || root === 'service' || root === 'other') expect(t.faultClass).toBeNull();
      if (root === 'product') expect(t.faultClass).not.toBeNull();
      if (root === 'service') expect(t.serviceType).toBe('complaint');
      if (root === 'logistics') expect(['complaint', 'return_exchange']).toContain(t.serviceType);
      if (t.category === 'other.suggestion' || t.category === 'other.consultation') {
        expect(['consultation', 'installation', 'inspection']).toContain(t.serviceType);
      }
      if (product.line === 'software') {
        expect(root).not.toBe('logistics');
        expect(t.faultClass).not.toBe('hardware');
      }
      if (t.priority === 'P1') expect(['product', 'service']).toContain(root);
    }
  });

  it('is varied: ≥ 40 templates, every leaf category reachable, many distinct texts', () => {
    expect(TICKET_TEMPLATE_COUNT).toBeGreaterThanOrEqual(40);
    expect(new Set(samples.map((s) => s.t.category))).toEqual(new Set(CATEGORY_LEAF_CODES));
    expect(new Set(samples.map((s) => s.t.title)).size).toBeGreaterThanOrEqual(80);
    expect(new Set(samples.map((s) => s.t.description)).size).toBeGreaterThan(samples.length / 2);
    expect(new Set(samples.map((s) => s.t.serviceType))).toEqual(new Set(SERVICE_TYPES));
    expect(new Set(samples.map((s) => s.t.faultClass))).toEqual(new Set([...FAULT_CLASSES, null]));
    const all = samples.map((s) => s.t.description).join('\n');
    for (const word of ['不制冷', '异响', '漏水', '结霜', '脱水', 'E4', '滤芯', '回充', '黑屏', 'RAID', '血氧', '登录', '安装', '包装', '态度', '退货']) {
      expect(all, word).toContain(word);
    }
  });

  it('has a plausible priority and channel mix', () => {
    const count = (f: (t: DemoTicketContent) => boolean) => samples.filter((s) => f(s.t)).length / samples.length;
    expect(count((t) => t.priority === 'P1')).toBeGreaterThan(0.05);
    expect(count((t) => t.priority === 'P1')).toBeLessThan(0.17);
    expect(count((t) => t.priority === 'P2')).toBeGreaterThan(0.25);
    expect(count((t) => t.priority === 'P2')).toBeLessThan(0.5);
    expect(count((t) => t.channel === 'phone')).toBeGreaterThan(0.4);
    for (const ch of CHANNELS) expect(count((t) => t.channel === ch), ch).toBeGreaterThan(0);
    // Safety and medical problems are urgent.
    const medical = samples.filter((s) => s.product.line === 'medical' && s.t.category === 'product.functional_fault');
    expect(medical.filter((s) => s.t.priority === 'P1').length / medical.length).toBeGreaterThan(0.4);
  });

  it('is deterministic and works for a product of an unknown line', () => {
    const p = DEMO_PRODUCTS[0];
    const a = Array.from({ length: 50 }, ((r) => () => generateTicketContent(r, p))(createRng(3)));
    const b = Array.from({ length: 50 }, ((r) => () => generateTicketContent(r, p))(createRng(3)));
    expect(a).toEqual(b);
    const rng = createRng(4);
    for (let i = 0; i < 200; i++) {
      const t = generateTicketContent(rng, { model: 'X-1', name: '定制设备', line: 'custom' });
      expect(CATEGORY_LEAF_CODES).toContain(t.category);
      expect(t.description.length).toBeGreaterThanOrEqual(40);
    }
  });
});

describe('generateTicketThread', () => {
  const threads = sampleTickets(21, 60).map(({ product, t }, i) => ({ product, t, th: generateTicketThread(createRng(i), product, t) }));
  const lines = (th: ReturnType<typeof generateTicketThread>) =>
    Object.entries(th).filter((e): e is [string, string] => typeof e[1] === 'string');
  // Every other product's word (a longer noun that holds this one, 燃气热水器 ⊃ 热水器, does not count as another).
  const nouns = [...new Set([...Object.values(LINE_NOUN), ...DEMO_PRODUCTS.map(nounFor)])];

  it('talks about the ticket\'s own product in every line, and never about another product', () => {
    for (const { product, t, th } of threads) {
      const noun = nounFor(product);
      for (const [key, text] of lines(th)) {
        expect(text, `${t.template} ${key}: ${text}`).toContain(noun);
        for (const other of nouns) {
          if (other === noun || noun.includes(other) || other.includes(noun)) continue;
          expect(text.includes(other), `${t.template} (${noun}) ${key} names ${other}: ${text}`).toBe(false);
        }
      }
    }
  });

  it('names the ticket\'s problem in the reply, the solution or the note, and ships only parts of its own line', () => {
    const partsOf = (line: string) => {
      const out = new Set<string>();
      const rng = createRng(1);
      for (let i = 0; i < 400; i++) {
        const th = generateTicketThread(rng, { model: 'X', name: 'x', line }, { ...threads[0].t, category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware' });
        const m = /更换(.+?)并试机/.exec(th.solution);
        if (m) out.add(m[1]);
      }
      return out;
    };
    const serverParts = partsOf('server');
    for (const p of partsOf('fridge')) expect(serverParts.has(p), p).toBe(false);
    for (const { t, th } of threads) {
      expect([th.reply, th.solution, th.internalNote].some((x) => x.includes(t.fault)), `${t.template}: ${t.fault}`).toBe(true);
    }
  });

  it('keeps the voices apart: staff address the customer, the customer speaks as themself', () => {
    for (const { t, th } of threads) {
      expect(th.reply, t.template).toMatch(/^(您好|非常抱歉)/);
      for (const own of [th.customerReply, th.satisfiedWords, th.unsatisfiedWords]) {
        expect(own, t.template).not.toMatch(/^(您好|非常抱歉)|工程师.*将于|我们已/);
      }
      for (const staff of [th.internalNote, th.solution, th.reviewComment, th.followUpNote]) expect(staff).not.toMatch(/^您好/);
    }
  });

  it('is varied and deterministic', () => {
    expect(new Set(threads.map((x) => x.th.reply)).size).toBeGreaterThan(200);
    expect(new Set(threads.map((x) => x.th.solution)).size).toBeGreaterThan(200);
    const { product, t } = threads[5];
    expect(generateTicketThread(createRng(9), product, t)).toEqual(generateTicketThread(createRng(9), product, t));
    for (const { th } of threads) for (const [, text] of lines(th)) expect(text).not.toMatch(/undefined|NaN|null|\$\{/);
  });
});

describe('benchTicketBody', () => {
  it('is a valid TicketCreateBody for many i', () => {
    for (let i = 0; i < 3000; i++) {
      const r = TicketCreateBody.safeParse(benchTicketBody(i));
      expect(r.success, `${i}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
    }
    for (const i of [123_456, 9_999_999, 99_999_999, 1_234_567_890]) {
      expect(TicketCreateBody.safeParse(benchTicketBody(i)).success).toBe(true);
    }
  });

  it('has titles of 12–18 and descriptions of 55–90 characters containing a fault word', () => {
    const faultWords = /漏水|制冷|异响|黑屏|蓝屏|结霜|震动|熄火|回充|告警|宕机|故障|读数/;
    for (let i = 0; i < 20_000; i += 7) {
      const b = benchTicketBody(i);
      expect(b.title.length, b.title).toBeGreaterThanOrEqual(12);
      expect(b.title.length, b.title).toBeLessThanOrEqual(18);
      expect(b.description.length, b.description).toBeGreaterThanOrEqual(55);
      expect(b.description.length, b.description).toBeLessThanOrEqual(90);
      expect(b.description).toMatch(faultWords);
      expect(b.title).toMatch(faultWords);
    }
    for (const word of ['漏水', '制冷', '异响', '黑屏']) {
      expect(Array.from({ length: 100 }, (_, i) => benchTicketBody(i).description).some((d) => d.includes(word)), word).toBe(true);
    }
  });

  it('is deterministic, varies with i and derives phone and serial from i', () => {
    expect(benchTicketBody(77)).toEqual(benchTicketBody(77));
    const bodies = Array.from({ length: 2000 }, (_, i) => benchTicketBody(i));
    expect(new Set(bodies.map((b) => b.description)).size).toBe(bodies.length);
    expect(new Set(bodies.map((b) => b.title)).size).toBeGreaterThan(30);
    expect(new Set(bodies.map((b) => b.customer?.phone)).size).toBe(bodies.length);
    expect(new Set(bodies.map((b) => b.serialNumber)).size).toBe(bodies.length);
    const models = new Set(DEMO_PRODUCTS.map((p) => p.model));
    for (const b of bodies) {
      expect(b.channel).toBe('phone');
      expect(b.customer?.phone).toMatch(MOBILE);
      expect(models.has(b.productModel ?? '')).toBe(true);
    }
    const p1 = bodies.filter((b) => b.priority === 'P1').length / bodies.length;
    expect(p1).toBeGreaterThan(0.05);
    expect(p1).toBeLessThan(0.15);
  });

  it('is fast', () => {
    const start = performance.now();
    let total = 0;
    for (let i = 0; i < 100_000; i++) total += benchTicketBody(i).description.length;
    expect(total).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
