// The satisfaction page's server side (issue 15): the report's response rate (answered / sent over the surveys sent in
// the period) and its trend per China day, both traced to the answers listed behind them; the follow-up list (回访)
// filtered by department, with the ticket's handler and whether closing needs the second review's verdict; who may
// read what (QA reads, agents neither).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, countAnswers } from '../../src/server/domain/surveys.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // 10:00 in Beijing
const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Res = Awaited<ReturnType<TestApp['as'][string]['get']>>;
type Listed = { score: number; nps: number; answeredAt: string; departmentId: number | null; ticketNumber: string };

describe.each(TEST_DIALECTS)('satisfaction report page API on %s', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
  });
  afterAll(async () => {
    await t?.close();
  });

  const anonAnswer = async (number: string, body: Record<string, unknown>) => {
    const link = (await t.as.supervisor.get(`/api/tickets/${number}/survey`)).json().survey.link as string;
    const res = await t.app.inject({ method: 'POST', url: `/api/public/surveys/${link.split('/').pop()}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** A ticket of `dept` closed by the customer's "satisfied": its survey goes out now. */
  const closedTicket = async (dept: 'tech_support' | 'logistics', serviceType?: 'complaint') => {
    const tech = dept === 'tech_support';
    const res = await t.as.agent.post('/api/tickets', {
      title: tech ? '空调不制冷' : '快递外箱破损',
      description: '客户来电',
      customerId: t.customers.own,
      priority: 'P3',
      departmentId: t.departments[dept],
      ...(tech ? { assigneeId: t.as.engineer.userId } : {}),
      ...(serviceType ? { serviceType } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    const number = res.json().number as string;
    const worker = tech ? t.as.engineer : t.as.dispatcher;
    expect((await worker.post(`/api/tickets/${number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
    expect((await worker.post(`/api/tickets/${number}/solution`, { solution: '已处理' })).statusCode).toBe(200);
    const approved = await (tech ? t.as.manager : t.as.supervisor).post(`/api/tickets/${number}/review`, { approve: true });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await t.as.customer.post(`/api/tickets/${number}/confirmation`, { satisfied: true })).json().status).toBe('closed');
    return number;
  };

  const allAnswers = async (query: string) => {
    const out: Listed[] = [];
    let cursor: string | null = null;
    do {
      const page: Res = await t.as.director.get(`/api/reports/satisfaction/answers?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      out.push(...page.json().items);
      cursor = page.json().nextCursor;
    } while (cursor);
    return out;
  };

  it('counts the response rate over the surveys sent in the period and a trend per China day that sums to the listed answers', async () => {
    // Sunday 15:30 UTC = Sunday 23:30 in Beijing; the next answer 1 h later is Monday there.
    const start = MONDAY_10 + 6 * DAY + 13.5 * HOUR;
    t.clock.set(start);
    const from = new Date(start).toISOString();
    const tech1 = await closedTicket('tech_support');
    const tech2 = await closedTicket('tech_support');
    const tech3 = await closedTicket('tech_support');
    const log1 = await closedTicket('logistics');
    const log2 = await closedTicket('logistics');
    await anonAnswer(tech1, { score: 5, nps: 10, comment: '很好' });
    t.clock.advance(HOUR);
    await anonAnswer(tech2, { score: 2, nps: 3, comment: '等太久' });
    await anonAnswer(log1, { score: 4, nps: 8 });
    t.clock.advance(DAY);
    await anonAnswer(log2, { score: 3, nps: 9 });
    // tech3 stays unanswered: sent, not answered.
    const to = new Date(t.clock.now() + 1).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const res = await t.as.director.get(`/api/reports/satisfaction?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const listed = await allAnswers(q);
    expect(listed).toHaveLength(4);
    expect(r.total).toEqual(aggregate(countAnswers(listed)));
    expect(r.response).toEqual({ sent: 5, answered: 4, rate: 80 });
    // Days in China time: 23:30 Sunday, then 00:30 and 00:30 a day later.
    expect(r.trend.map((d: { date: string; count: number }) => [d.date, d.count])).toEqual([
      ['2026-11-29', 1],
      ['2026-11-30', 2],
      ['2026-12-01', 1],
    ]);
    const chinaDay = (at: string) => new Date(Date.parse(at) + 8 * HOUR).toISOString().slice(0, 10);
    for (const d of r.trend) expect(d).toEqual({ date: d.date, ...aggregate(countAnswers(listed.filter((l) => chinaDay(l.answeredAt) === d.date))) });

    // One department: its answers, and of its sent surveys (not answered yet: no department of their own) its share.
    const tech = (await t.as.director.get(`/api/reports/satisfaction?${q}&departmentId=${t.departments.tech_support}`)).json();
    expect(tech.total).toEqual(aggregate(countAnswers(listed.filter((l) => l.departmentId === t.departments.tech_support))));
    expect(tech.response).toEqual({ sent: 3, answered: 2, rate: 66.7 });
    expect(tech.trend.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(2);
    const techListed = (await t.as.director.get(`/api/reports/satisfaction/answers?${q}&departmentId=${t.departments.tech_support}`)).json().items as Listed[];
    expect(techListed.map((l) => l.ticketNumber).sort()).toEqual([tech1, tech2].sort());
    // A manager, who sees their own department only, gets its list without asking for it.
    const own = await t.as.manager.get(`/api/reports/satisfaction/answers?${q}`);
    expect(own.statusCode, own.body).toBe(200);
    expect((own.json().items as Listed[]).map((l) => l.ticketNumber).sort()).toEqual([tech1, tech2].sort());
    // A survey sent before the period does not count as sent in it, though answered in it.
    const later = (await t.as.director.get(`/api/reports/satisfaction?from=${encodeURIComponent(new Date(start + 2 * HOUR).toISOString())}&to=${encodeURIComponent(to)}`)).json();
    expect(later.response).toEqual({ sent: 0, answered: 0, rate: null });
    expect(later.total.count).toBe(1);
    expect(later.trend).toHaveLength(1);
  });

  it('lists open follow-ups per department with the ticket\'s handler and whether the second review\'s verdict is needed', async () => {
    t.clock.set(MONDAY_10 + 20 * DAY);
    const plain = await closedTicket('tech_support');
    const complaint = await closedTicket('tech_support', 'complaint');
    const logistics = await closedTicket('logistics');
    await anonAnswer(plain, { score: 1, nps: 2, comment: '没修好' });
    await anonAnswer(complaint, { score: 2, nps: 5, comment: '投诉处理太慢' });
    await anonAnswer(logistics, { score: 5, nps: 4 });

    const all = await t.as.supervisor.get('/api/survey-follow-ups?limit=200');
    expect(all.statusCode, all.body).toBe(200);
    const byNumber = new Map((all.json().items as { ticketNumber: string; id: number }[]).map((f) => [f.ticketNumber, f]));
    expect(byNumber.get(plain)).toMatchObject({ state: 'ok', verdictRequired: false, departmentId: t.departments.tech_support, ticketAssignee: { id: t.as.engineer.userId, name: 't_engineer' } });
    expect(byNumber.get(complaint)).toMatchObject({ verdictRequired: true, secondReviewId: expect.any(Number) });
    expect(byNumber.get(logistics)).toMatchObject({ departmentId: t.departments.logistics, ticketAssignee: { id: t.as.dispatcher.userId }, reasons: ['detractor'] });

    const tech = (await t.as.supervisor.get(`/api/survey-follow-ups?departmentId=${t.departments.tech_support}&limit=200`)).json().items as { ticketNumber: string; departmentId: number }[];
    expect(tech.map((f) => f.ticketNumber)).toEqual(expect.arrayContaining([plain, complaint]));
    expect(tech.every((f) => f.departmentId === t.departments.tech_support)).toBe(true);
    const log = (await t.as.supervisor.get(`/api/survey-follow-ups?departmentId=${t.departments.logistics}`)).json().items as { ticketNumber: string }[];
    expect(log.map((f) => f.ticketNumber)).toContain(logistics);
    expect(log.map((f) => f.ticketNumber)).not.toContain(plain);

    // Closing the complaint's follow-up without a verdict is refused; with it, the second review is recorded too.
    const fu = byNumber.get(complaint)!;
    const noVerdict = await t.as.director.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'resolved', finding: '已致电' });
    expect(noVerdict.statusCode).toBe(400);
    expect(Object.keys(noVerdict.json().error.fields)).toEqual(['verdict']);
    const closed = await t.as.director.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'resolved', finding: '已致电客户致歉', verdict: 'upheld' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'met', verdictRequired: false, outcome: 'resolved' });
    expect((await t.as.supervisor.get('/api/survey-follow-ups?limit=200')).json().items.map((f: { ticketNumber: string }) => f.ticketNumber)).not.toContain(complaint);

    // The clock: a day and more later the open ones are overdue.
    t.clock.advance(3 * DAY);
    const later = (await t.as.qa.get(`/api/survey-follow-ups?departmentId=${t.departments.tech_support}`)).json().items as { ticketNumber: string; state: string }[];
    expect(later.find((f) => f.ticketNumber === plain)?.state).toBe('breached');
  });

  it('lets supervisors, managers, directors, QA and admins read; QA cannot close; agents and engineers get neither', async () => {
    for (const who of ['supervisor', 'manager', 'director', 'qa', 'admin']) {
      expect((await t.as[who].get('/api/reports/satisfaction')).statusCode, who).toBe(200);
      expect((await t.as[who].get('/api/survey-follow-ups')).statusCode, who).toBe(200);
    }
    for (const who of ['agent', 'engineer', 'dispatcher']) {
      expect((await t.as[who].get('/api/reports/satisfaction')).statusCode, who).toBe(403);
      expect((await t.as[who].get('/api/reports/satisfaction/answers')).statusCode, who).toBe(403);
      expect((await t.as[who].get('/api/survey-follow-ups')).statusCode, who).toBe(403);
    }
    const open = (await t.as.qa.get('/api/survey-follow-ups')).json().items as { id: number }[];
    expect(open.length).toBeGreaterThan(0);
    expect((await t.as.qa.post(`/api/survey-follow-ups/${open[0].id}/close`, { outcome: 'resolved', finding: 'x' })).statusCode).toBe(403);
  });
});
