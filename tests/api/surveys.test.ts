// Satisfaction surveys (issue 15; SPEC §12; seed 000 §二(四)): sent when a ticket closes, answered once by signed link
// without signing in (or from the portal), the admin's versioned form, the follow-up task (回访) of a low answer with
// its own clock through the sweeper, its connection to the second review (二次复核) of a complaint, and the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, countAnswers } from '../../src/server/domain/surveys.js';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';

const MONDAY_10 = Date.parse('2026-11-23T02:00:00.000Z'); // 10:00 in Beijing
const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Res = Awaited<ReturnType<TestApp['as'][string]['get']>>;

describe.each(TEST_DIALECTS)('satisfaction surveys on %s', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    t.clock.set(MONDAY_10);
  });
  afterAll(async () => {
    await t?.close();
  });

  const anon = (method: 'GET' | 'POST', url: string, body?: unknown, lang = 'zh-CN') =>
    t.app.inject({ method, url, headers: { 'accept-language': lang, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, payload: body === undefined ? undefined : JSON.stringify(body) }) as Promise<Res>;

  /** A ticket worked up to the customer's confirmation and closed by the customer's "satisfied". */
  const closedTicket = async (over: Record<string, unknown> = {}) => {
    const res = await t.as.agent.post('/api/tickets', {
      title: '洗衣机脱水时异响',
      description: '脱水时有很响的撞击声',
      customerId: t.customers.own,
      priority: 'P3',
      departmentId: t.departments.tech_support,
      assigneeId: t.as.engineer.userId,
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    const number = res.json().number as string;
    expect((await t.as.engineer.post(`/api/tickets/${number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
    expect((await t.as.engineer.post(`/api/tickets/${number}/solution`, { solution: '更换减震器，试机正常' })).statusCode).toBe(200);
    expect((await t.as.supervisor.post(`/api/tickets/${number}/review`, { approve: true })).statusCode).toBe(200);
    const closed = await t.as.customer.post(`/api/tickets/${number}/confirmation`, { satisfied: true });
    expect(closed.json().status, closed.body).toBe('closed');
    return { number, id: res.json().id as number };
  };
  const surveyOf = async (number: string) => (await t.as.supervisor.get(`/api/tickets/${number}/survey`)).json().survey;
  const tokenOf = async (number: string) => {
    const link = (await surveyOf(number)).link as string;
    expect(link).toMatch(/\/portal\/survey\/[^/]+$/);
    return link.split('/').pop()!;
  };
  const events = async (number: string) => (await t.as.admin.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string; internal: boolean; details: Record<string, any> | null; note: string | null }[];

  it('creates the survey when the ticket closes and shows staff its signed link; a ticket not closed has none and cannot be sent', async () => {
    const open = await t.as.agent.post('/api/tickets', { title: '咨询保修期', description: '想知道保修多久', customerId: t.customers.own, priority: 'P3' });
    const openNumber = open.json().number;
    expect(await surveyOf(openNumber)).toBeNull();
    const send = await t.as.agent.post(`/api/tickets/${openNumber}/survey`, { source: 'manual' }, { 'accept-language': 'en' });
    expect(send.statusCode).toBe(409);
    expect(send.json().error.message).toBe('A satisfaction survey can be sent once the ticket is closed');

    const { number } = await closedTicket();
    const s = await surveyOf(number);
    expect(s).toMatchObject({ status: 'sent', source: 'auto', sentBy: null, answer: null, followUp: null, form: { version: 1, questions: [] } });
    expect(s.link).toContain('/portal/survey/');
    const sent = (await events(number)).filter((e) => e.kind === 'survey_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ internal: true, details: { source: 'auto' } });
    // Sending again by hand gives the same survey (one per ticket), no second timeline entry.
    const again = await t.as.agent.post(`/api/tickets/${number}/survey`, { source: 'manual' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: s.id, source: 'auto' });
    expect((await events(number)).filter((e) => e.kind === 'survey_sent')).toHaveLength(1);
    // Staff only: a customer cannot read the staff view (the link, the follow-up).
    expect((await t.as.customer.get(`/api/tickets/${number}/survey`)).statusCode).toBe(403);
  });

  it('is answered once by signed link without signing in; a retry of the same answer is taken, another answer refused', async () => {
    const { number } = await closedTicket();
    const token = await tokenOf(number);
    const view = await anon('GET', `/api/public/surveys/${token}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toEqual({ ticket: { number, title: '洗衣机脱水时异响' }, state: 'open', form: { version: 1, wording: {}, questions: [] }, answer: null });

    const answer = { score: 5, nps: 10, comment: '师傅很专业，准时上门' };
    const res = await anon('POST', `/api/public/surveys/${token}`, answer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'answered', answer: { score: 5, nps: 10, comment: '师傅很专业，准时上门', answers: {} } });
    // A retry (the network dropped the answer's response): the same answer is answered as given.
    expect((await anon('POST', `/api/public/surveys/${token}`, answer)).statusCode).toBe(200);
    const second = await anon('POST', `/api/public/surveys/${token}`, { score: 1, nps: 0 });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toBe('此工单的满意度问卷已提交过，每张工单只能评价一次');
    expect((await anon('GET', `/api/public/surveys/${token}`)).json().answer.score).toBe(5);

    const staff = await surveyOf(number);
    expect(staff).toMatchObject({ status: 'answered', link: null, answeredVia: 'link', answer: { score: 5, nps: 10 }, followUp: null });
    const answered = (await events(number)).filter((e) => e.kind === 'survey_answered');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ internal: true, note: '师傅很专业，准时上门', details: { score: 5, nps: 10, via: 'link' } });
    // The customer's own timeline does not show the staff's survey entries.
    const own = (await t.as.customer.get(`/api/tickets/${number}/events?limit=200`)).json().items as { kind: string }[];
    expect(own.some((e) => e.kind.startsWith('survey_'))).toBe(false);
  });

  it('opens only the ticket its link was signed for: tampered, foreign-purpose and malformed tokens are refused', async () => {
    const a = await closedTicket();
    const b = await closedTicket();
    const tokenA = await tokenOf(a.number);
    expect((await anon('GET', `/api/public/surveys/${tokenA}`)).json().ticket.number).toBe(a.number);
    // The same signature over another ticket's id.
    const parts = tokenA.split('.');
    const forged = [parts[0], b.id.toString(36), parts[2], parts[3]].join('.');
    const res = await anon('GET', `/api/public/surveys/${forged}`, undefined, 'en');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('This survey link is not valid; check that it was copied completely');
    // A "follow this ticket" link is not a survey link.
    const ticketToken = await t.services.links.token('ticket', b.id);
    expect((await anon('GET', `/api/public/surveys/${ticketToken}`)).statusCode).toBe(404);
    expect((await anon('POST', `/api/public/surveys/not-a-token`, { score: 5, nps: 9 })).statusCode).toBe(404);
    // Answering by A's link answers A only.
    expect((await anon('POST', `/api/public/surveys/${tokenA}`, { score: 4, nps: 8 })).statusCode).toBe(200);
    expect((await surveyOf(b.number)).status).toBe('sent');
  });

  it('says so when the link has expired (410), and refuses bad answers naming the field, in the caller\'s language', async () => {
    const { number } = await closedTicket();
    const token = await tokenOf(number);
    const bad = await anon('POST', `/api/public/surveys/${token}`, { score: 6, nps: 11 }, 'en');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['nps', 'score']);
    const missing = await anon('POST', `/api/public/surveys/${token}`, { nps: 3 });
    expect(missing.json().error.fields.score).toBe('必填');
    const unknown = await anon('POST', `/api/public/surveys/${token}`, { score: 3, nps: 7, answers: { colour: 'red' } }, 'en');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields['answers.colour']).toBe('The survey has no such question');

    t.clock.advance(31 * DAY);
    try {
      const expired = await anon('GET', `/api/public/surveys/${token}`, undefined, 'en');
      expect(expired.statusCode).toBe(410);
      expect(expired.json().error).toMatchObject({ code: 'link_expired', message: expect.stringContaining('expired') });
      expect((await anon('POST', `/api/public/surveys/${token}`, { score: 5, nps: 9 })).statusCode).toBe(410);
      // Staff get a fresh link for the same survey.
      const fresh = await tokenOf(number);
      expect((await anon('GET', `/api/public/surveys/${fresh}`)).statusCode).toBe(200);
    } finally {
      t.clock.set(MONDAY_10);
    }
  });

  it("lets the signed-in customer answer their own ticket's survey, not another customer's", async () => {
    const { number } = await closedTicket();
    expect((await t.as.otherCustomer.get(`/api/tickets/${number}/survey/form`)).statusCode).toBe(404);
    expect((await t.as.otherCustomer.post(`/api/tickets/${number}/survey/answer`, { score: 1, nps: 0 })).statusCode).toBe(404);
    expect((await t.as.agent.get(`/api/tickets/${number}/survey/form`)).statusCode).toBe(403);
    const form = await t.as.customer.get(`/api/tickets/${number}/survey/form`);
    expect(form.json().state).toBe('open');
    const res = await t.as.customer.post(`/api/tickets/${number}/survey/answer`, { score: 4, nps: 9 });
    expect(res.statusCode, res.body).toBe(200);
    expect((await surveyOf(number)).answeredVia).toBe('portal');
  });

  it('keeps each survey on the form version it was sent with when the admin edits the questions', async () => {
    const before = await closedTicket();
    const body = {
      wording: { intro: { 'zh-CN': '感谢您抽出一分钟评价本次服务', en: 'Thank you for taking a minute to rate our service' } },
      questions: [
        { id: 'speed', type: 'scale', label: { 'zh-CN': '响应速度', en: 'Speed of response' }, required: true, min: 1, max: 5 },
        { id: 'channel', type: 'choice', label: { 'zh-CN': '您希望的联系方式', en: 'How should we contact you' }, options: [{ value: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } }, { value: 'sms', label: { 'zh-CN': '短信', en: 'SMS' } }] },
        { id: 'idea', type: 'text', label: { 'zh-CN': '改进建议', en: 'What should we improve' } },
      ],
    };
    expect((await t.as.supervisor.request('PUT', '/api/admin/survey-form', body)).statusCode).toBe(403);
    const bad = await t.as.admin.request('PUT', '/api/admin/survey-form', { questions: [{ id: 'x', type: 'choice', label: { 'zh-CN': '甲', en: 'A' }, options: [] }, { id: 'x', type: 'scale', label: { 'zh-CN': '乙', en: 'B' } }] }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ 'questions.0.options': 'A choice question needs at least 2 options', 'questions.1.id': expect.any(String), 'questions.1.max': expect.any(String) });
    const saved = await t.as.admin.request('PUT', '/api/admin/survey-form', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 2, questions: [{ id: 'speed', min: 1, max: 5, options: [] }, { id: 'channel' }, { id: 'idea', required: false }] });
    // Saving the same form again makes no new version.
    expect((await t.as.admin.request('PUT', '/api/admin/survey-form', body)).json().version).toBe(2);

    // The survey sent before the change still asks version 1's questions.
    const oldToken = await tokenOf(before.number);
    expect((await anon('GET', `/api/public/surveys/${oldToken}`)).json().form).toMatchObject({ version: 1, questions: [] });
    expect((await anon('POST', `/api/public/surveys/${oldToken}`, { score: 4, nps: 8 })).statusCode).toBe(200);

    const after = await closedTicket();
    const token = await tokenOf(after.number);
    const view = (await anon('GET', `/api/public/surveys/${token}`)).json();
    expect(view.form.version).toBe(2);
    expect(view.form.wording.intro.en).toBe('Thank you for taking a minute to rate our service');
    const invalid = await anon('POST', `/api/public/surveys/${token}`, { score: 4, nps: 8, answers: { channel: 'fax', speed: 9 } }, 'en');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields).toEqual({ 'answers.speed': 'Choose a value on the scale', 'answers.channel': 'Choose one of the options given' });
    const ok = await anon('POST', `/api/public/surveys/${token}`, { score: 4, nps: 8, answers: { speed: 5, channel: 'sms', idea: '  希望周末也能上门  ' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().answer.answers).toEqual({ speed: 5, channel: 'sms', idea: '希望周末也能上门' });
    const staff = await surveyOf(after.number);
    expect(staff.form.questions.map((q: { id: string }) => q.id)).toEqual(['speed', 'channel', 'idea']);
    expect((await t.as.admin.get('/api/admin/survey-form/versions/1')).json().questions).toEqual([]);
    // Back to the plain form for the tests below.
    expect((await t.as.admin.request('PUT', '/api/admin/survey-form', { questions: [] })).json().version).toBe(3);
  });

  it('opens a follow-up task (回访) on a low answer, due in 1 working day, which warns and breaches through the sweeper and is closed by the supervisor with a finding', async () => {
    const { number } = await closedTicket();
    const token = await tokenOf(number);
    // Friday 16:00 in Beijing: one working day later is Monday 16:00, not Saturday.
    const friday16 = Date.parse('2026-11-27T08:00:00.000Z');
    t.clock.set(friday16);
    try {
      expect((await anon('POST', `/api/public/surveys/${token}`, { score: 2, nps: 5, comment: '等了三天才有人上门' })).statusCode).toBe(200);
      const fu = (await surveyOf(number)).followUp;
      expect(fu).toMatchObject({ reasons: ['low_score', 'detractor'], score: 2, nps: 5, state: 'ok', secondReviewId: null, closedAt: null, dueAt: '2026-11-30T08:00:00.000Z' });
      const opened = (await events(number)).find((e) => e.kind === 'survey_follow_up_opened');
      expect(opened).toMatchObject({ internal: true, details: { dueAt: '2026-11-30T08:00:00.000Z', reasons: ['low_score', 'detractor'] } });
      // The service desk's supervisor is told, with the deadline.
      const told = await t.db.read.selectFrom('notifications').select(['kind', 'data']).where('user_id', '=', t.as.supervisor.userId).where('kind', '=', 'follow_up_due').execute();
      expect(told.some((n) => JSON.parse(n.data).data.clock === 'surveyFollowUp')).toBe(true);
      const list = (await t.as.supervisor.get('/api/survey-follow-ups')).json().items as { id: number; ticketNumber: string }[];
      expect(list.map((i) => i.ticketNumber)).toContain(number);
      expect((await t.as.engineer.get('/api/survey-follow-ups')).statusCode).toBe(403);

      // Monday 15:30: past 80 % of the working day (Friday 16:00–18:00 and Monday from 09:00) → a warning, once.
      t.clock.set(Date.parse('2026-11-30T07:30:00.000Z'));
      await t.sweeper.runOnce();
      await t.sweeper.runOnce();
      let evs = await events(number);
      expect(evs.filter((e) => e.kind === 'sla_warning' && e.details?.clock === 'surveyFollowUp')).toHaveLength(1);
      expect((await surveyOf(number)).followUp.state).toBe('warning');
      // Monday 16:01: breached, once, and the department's manager hears of it too.
      t.clock.set(Date.parse('2026-11-30T08:01:00.000Z'));
      await t.sweeper.runOnce();
      await t.sweeper.runOnce();
      evs = await events(number);
      expect(evs.filter((e) => e.kind === 'sla_breach' && e.details?.clock === 'surveyFollowUp')).toHaveLength(1);
      expect((await surveyOf(number)).followUp.state).toBe('breached');
      const managerTold = await t.db.read.selectFrom('notifications').select(['kind', 'data']).where('user_id', '=', t.as.manager.userId).where('kind', '=', 'sla_breach').execute();
      expect(managerTold.some((n) => JSON.parse(n.data).data.clock === 'surveyFollowUp')).toBe(true);

      const id = fu.id as number;
      expect((await t.as.engineer.post(`/api/survey-follow-ups/${id}/close`, { outcome: 'resolved', finding: '已致电' })).statusCode).toBe(403);
      const noFinding = await t.as.supervisor.post(`/api/survey-follow-ups/${id}/close`, { outcome: 'resolved', finding: '' });
      expect(noFinding.statusCode).toBe(400);
      expect(noFinding.json().error.fields.finding).toBeTruthy();
      const closed = await t.as.supervisor.post(`/api/survey-follow-ups/${id}/close`, { outcome: 'resolved', finding: '已致电道歉，客户接受；已安排上门复查' });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ state: 'late', outcome: 'resolved', closedBy: { id: t.as.supervisor.userId } });
      expect((await t.as.supervisor.post(`/api/survey-follow-ups/${id}/close`, { outcome: 'resolved', finding: '再次' })).statusCode).toBe(409);
      expect((await events(number)).filter((e) => e.kind === 'survey_follow_up_closed')).toHaveLength(1);
      // Closed: the sweeper has nothing left to fire on it.
      t.clock.set(Date.parse('2026-12-10T08:00:00.000Z'));
      await t.sweeper.runOnce();
      expect((await events(number)).filter((e) => e.details?.clock === 'surveyFollowUp')).toHaveLength(2);
      expect((await t.as.supervisor.get('/api/survey-follow-ups')).json().items.map((i: { ticketNumber: string }) => i.ticketNumber)).not.toContain(number);
    } finally {
      t.clock.set(MONDAY_10);
    }
  });

  it('a satisfied answer opens no follow-up; NPS 7 with score 3 neither', async () => {
    const { number } = await closedTicket();
    expect((await anon('POST', `/api/public/surveys/${await tokenOf(number)}`, { score: 3, nps: 7 })).statusCode).toBe(200);
    expect((await surveyOf(number)).followUp).toBeNull();
  });

  it("on a complaint, a low answer starts the second review (二次复核) and the follow-up is part of it: closing one closes the other", async () => {
    const a = await closedTicket({ serviceType: 'complaint' });
    expect((await anon('POST', `/api/public/surveys/${await tokenOf(a.number)}`, { score: 1, nps: 2, comment: '态度很差' })).statusCode).toBe(200);
    const ticket = (await t.as.supervisor.get(`/api/tickets/${a.number}`)).json();
    expect(ticket.secondReview).toMatchObject({ status: 'pending', reason: 'survey_unsatisfied' });
    const fu = (await surveyOf(a.number)).followUp;
    expect(fu.secondReviewId).toBe(ticket.secondReview.id);
    // The supervisor approved the solution: the second review is another reviewer's; the manager closes both.
    const noVerdict = await t.as.manager.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'not_resolved', finding: '客户仍不满意' });
    expect(noVerdict.statusCode).toBe(400);
    expect(Object.keys(noVerdict.json().error.fields)).toEqual(['verdict']);
    expect((await t.as.supervisor.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'resolved', finding: '致电', verdict: 'upheld' })).statusCode).toBe(409);
    const closed = await t.as.manager.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'not_resolved', finding: '上门工程师态度问题属实', verdict: 'service_failure', nextSteps: '培训' });
    expect(closed.statusCode, closed.body).toBe(200);
    const after = (await t.as.supervisor.get(`/api/tickets/${a.number}`)).json();
    expect(after.secondReview).toMatchObject({ status: 'done', verdict: 'service_failure', finding: '上门工程师态度问题属实' });
    // Exactly one second review, not a duplicate.
    expect(await t.db.read.selectFrom('second_reviews').select('id').where('ticket_id', '=', a.id).execute()).toHaveLength(1);

    // Recorded on the ticket page instead: the follow-up closes with the review's finding.
    const b = await closedTicket({ serviceType: 'complaint' });
    expect((await anon('POST', `/api/public/surveys/${await tokenOf(b.number)}`, { score: 2, nps: 9 })).statusCode).toBe(200);
    const rec = await t.as.qa.post(`/api/tickets/${b.number}/second-review`, { verdict: 'upheld', finding: '处理合规，已再次解释' });
    expect(rec.statusCode, rec.body).toBe(200);
    expect((await surveyOf(b.number)).followUp).toMatchObject({ outcome: 'second_review', finding: '处理合规，已再次解释', closedBy: { id: t.as.qa.userId } });
  });

  it('shows the customer only their survey: no follow-up, finding, second review, link or staff names, whatever staff wrote', async () => {
    const { number } = await closedTicket({ serviceType: 'complaint' });
    const token = await tokenOf(number);
    expect((await anon('POST', `/api/public/surveys/${token}`, { score: 1, nps: 1, comment: '非常失望' })).statusCode).toBe(200);
    const fu = (await surveyOf(number)).followUp;
    const secret = 'INTERNAL-回访结论-7f3a';
    expect((await t.as.manager.post(`/api/survey-follow-ups/${fu.id}/close`, { outcome: 'unreachable', finding: secret, verdict: 'upheld', nextSteps: `${secret}-next` })).statusCode).toBe(200);
    const bodies = [
      (await anon('GET', `/api/public/surveys/${token}`)).body,
      (await t.as.customer.get(`/api/tickets/${number}/survey/form`)).body,
      (await anon('POST', `/api/public/surveys/${token}`, { score: 1, nps: 1, comment: '非常失望' })).body,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(secret);
      for (const name of ['t_manager', 't_supervisor', 't_engineer', 't_agent']) expect(body).not.toContain(name);
      expect(Object.keys(JSON.parse(body)).sort()).toEqual(['answer', 'form', 'state', 'ticket']);
      expect(body).not.toMatch(/followUp|secondReview|portal\/survey|sentBy|source/);
    }
  });

  it('reports count, average, CSAT and NPS per department that agree with the list of answers behind them', async () => {
    const from = new Date(MONDAY_10 + 60 * DAY).toISOString();
    t.clock.set(MONDAY_10 + 60 * DAY + HOUR);
    try {
      const answers: [string, number, number][] = [
        ['tech_support', 5, 10],
        ['tech_support', 4, 9],
        ['tech_support', 2, 6],
        ['logistics', 3, 7],
        ['logistics', 1, 0],
        ['logistics', 5, 8],
        ['customer_service', 4, 10],
      ];
      for (const [dept, score, nps] of answers) {
        const { number } = dept === 'tech_support' ? await closedTicket() : await closedDept(dept);
        expect((await anon('POST', `/api/public/surveys/${await tokenOf(number)}`, { score, nps })).statusCode).toBe(200);
        t.clock.advance(60_000);
      }
      const to = new Date(t.clock.now() + 1).toISOString();
      const report = await t.as.director.get(`/api/reports/satisfaction?from=${from}&to=${to}`);
      expect(report.statusCode, report.body).toBe(200);
      const r = report.json();
      // The list of answers behind the report, paged, gives the same numbers.
      const listed: { score: number; nps: number; departmentId: number }[] = [];
      let cursor: string | null = null;
      do {
        const page: Res = await t.as.director.get(`/api/reports/satisfaction/answers?from=${from}&to=${to}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.statusCode, page.body).toBe(200);
        listed.push(...page.json().items);
        cursor = page.json().nextCursor;
      } while (cursor);
      expect(listed).toHaveLength(answers.length);
      expect(r.total).toEqual(aggregate(countAnswers(listed)));
      expect(r.total).toMatchObject({ count: 7, satisfied: 4, csat: 57.1, promoters: 3, detractors: 2, passives: 2, nps: 14.3, averageScore: 3.43 });
      for (const d of r.byDepartment) expect(d).toMatchObject(aggregate(countAnswers(listed.filter((l) => l.departmentId === d.departmentId))));
      const tech = r.byDepartment.find((d: { departmentId: number }) => d.departmentId === t.departments.tech_support);
      expect(tech).toMatchObject({ count: 3, averageScore: 3.67, csat: 66.7, nps: 33.3 });
      // One department: the same as its row.
      const one = (await t.as.director.get(`/api/reports/satisfaction?from=${from}&to=${to}&departmentId=${t.departments.logistics}`)).json();
      expect(one.total).toMatchObject({ count: 3, nps: -33.3, csat: 33.3 });
      // The answer list filtered the same way (surveys and tickets both have a department: the filter names its table).
      const oneList = await t.as.director.get(`/api/reports/satisfaction/answers?from=${from}&to=${to}&departmentId=${t.departments.logistics}`);
      expect(oneList.statusCode, oneList.body).toBe(200);
      expect(oneList.json().items).toEqual(listed.filter((l) => l.departmentId === t.departments.logistics));
      // A manager sees their own department only; an engineer no report.
      expect((await t.as.manager.get(`/api/reports/satisfaction?from=${from}&to=${to}&departmentId=${t.departments.logistics}`)).statusCode).toBe(403);
      expect((await t.as.manager.get(`/api/reports/satisfaction?from=${from}&to=${to}`)).json().total.count).toBe(3);
      expect((await t.as.engineer.get('/api/reports/satisfaction')).statusCode).toBe(403);
      const backwards = await t.as.director.get(`/api/reports/satisfaction?from=${to}&to=${from}`);
      expect(backwards.statusCode).toBe(400);
      expect(Object.keys(backwards.json().error.fields)).toEqual(['to']);
    } finally {
      t.clock.set(MONDAY_10);
    }
  });

  /** A ticket of a department without an engineer: worked and closed by the supervisor's team. */
  async function closedDept(dept: string) {
    const res = await t.as.agent.post('/api/tickets', { title: '物流破损', description: '外箱破损', customerId: t.customers.own, priority: 'P3', departmentId: t.departments[dept] });
    expect(res.statusCode, res.body).toBe(201);
    const number = res.json().number as string;
    const worker = dept === 'customer_service' ? t.as.agent : t.as.dispatcher;
    expect((await worker.post(`/api/tickets/${number}/transitions`, { to: 'in_progress' })).statusCode).toBe(200);
    expect((await worker.post(`/api/tickets/${number}/solution`, { solution: '补发新件' })).statusCode).toBe(200);
    const approved = await t.as.supervisor.post(`/api/tickets/${number}/review`, { approve: true });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await t.as.customer.post(`/api/tickets/${number}/confirmation`, { satisfied: true })).json().status).toBe('closed');
    return { number, id: res.json().id as number };
  }
});
