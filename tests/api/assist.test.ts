// The smart assistant on both databases: answers Chinese and English questions from public articles' passages, asks
// one clarifying question (which product) when matches span products, hands over when asked or when nothing
// matches, counts every step once; and with an OpenAI-compatible endpoint configured, phrases the answer from the
// passages — tested against a local stub that checks what the real API checks — falling back when it fails.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DIALECTS, type TestApp } from '../../src/server/testing.js';
import { KB_ARTICLES } from './kb-fixtures.js';

interface StubCall {
  auth: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[] };
}

/** An OpenAI-compatible chat-completions stub: 401 without the key, 400 on a wrong model or malformed messages. */
function llmStub(mode: { value: 'ok' | 'fail' | 'slow' | 'uncited' }) {
  const calls: StubCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(404, { error: { message: 'not found' } });
      if (req.headers['content-type'] !== 'application/json') return send(415, { error: { message: 'json only' } });
      if (req.headers.authorization !== 'Bearer sk-test-key') return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      let body: StubCall['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { error: { message: 'bad json' } });
      }
      calls.push({ auth: req.headers.authorization, body });
      if (body.model !== 'test-model') return send(404, { error: { message: `The model ${body.model} does not exist`, code: 'model_not_found' } });
      const msgs = body.messages;
      if (!Array.isArray(msgs) || msgs.length === 0 || !msgs.every((m) => ['system', 'user', 'assistant'].includes(m.role) && typeof m.content === 'string')) {
        return send(400, { error: { message: "'messages' is invalid" } });
      }
      if (mode.value === 'fail') return send(500, { error: { message: 'The server had an error' } });
      if (mode.value === 'slow') return void setTimeout(() => send(200, {}), 3000);
      const content = mode.value === 'uncited' ? '建议您联系售后。' : '请先检查室外排水管是否弯折或堵塞，再清洗过滤网 [1]。';
      send(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    });
  });
  return { server, calls };
}

describe.each(TEST_DIALECTS)('assistant on %s', (dialect) => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const ask = (body: Record<string, unknown>, lang = 'zh-CN') =>
    t.app.inject({ method: 'POST', url: '/api/assist/ask', headers: { 'content-type': 'application/json', 'accept-language': lang }, payload: JSON.stringify(body) });

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    for (const a of KB_ARTICLES) {
      const { key, ...body } = a;
      ids[key] = (await t.as.admin.post('/api/kb/articles', body)).json().id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 漏水怎么办 with the best passage of the public article, linked', async () => {
    const r = await ask({ conversationId: 'conv-leak-0001', message: '空调漏水怎么办' });
    expect(r.statusCode, r.body).toBe(200);
    const a = r.json();
    expect(a.kind).toBe('answer');
    expect(a.passage.articleId).toBe(ids.leak);
    expect(a.passage.url).toMatch(new RegExp(`/portal/kb/${ids.leak}$`));
    expect(a.passage.segments.filter((s: { hit?: boolean }) => s.hit).map((s: { text: string }) => s.text)).toContain('漏水');
    expect(a.text).toBe('这篇文章也许能解决您的问题：');
    expect(a.llm).toBe(false);
    // Never the internal article nor the draft, though both are about leaks.
    expect(r.body).not.toMatch(/INTERNAL-KB-SECRET|DRAFT-KB-SECRET/);
    expect([a.passage.articleId, ...a.alternatives.map((x: { id: number }) => x.id)]).not.toContain(ids.internal);
  });

  it('answers 保修期多久 and an English question', async () => {
    const w = (await ask({ conversationId: 'conv-warr-0001', message: '保修期多久' })).json();
    expect(w.kind).toBe('answer');
    expect(w.passage.articleId).toBe(ids.warranty);
    expect(w.passage.text).toContain('保修');
    const e = (await ask({ conversationId: 'conv-en-00001', message: 'How do I reset the filter reminder?' }, 'en')).json();
    expect(e.kind).toBe('answer');
    expect(e.passage.articleId).toBe(ids.filterEn);
    expect(e.text).toBe('This article may solve your problem:');
  });

  it('asks which product once when the matches span products, then answers for the one chosen', async () => {
    const c = (await ask({ conversationId: 'conv-e4-00001', message: '显示E4故障' })).json();
    expect(c.kind).toBe('clarify');
    expect(c.text).toBe('请问您的问题是关于哪种产品？');
    expect(c.options.map((o: { line: string }) => o.line).sort()).toEqual(['washer', 'water_heater']);
    expect(c.options.find((o: { line: string }) => o.line === 'washer').label).toBe('洗衣机');
    const a = (await ask({ conversationId: 'conv-e4-00001', message: '显示E4故障', productLine: 'washer', clarified: true })).json();
    expect(a.kind).toBe('answer');
    expect(a.passage.articleId).toBe(ids.washerE4);
    // Naming the product in the question needs no question back.
    const named = (await ask({ conversationId: 'conv-e4-00002', message: '热水器显示E4' })).json();
    expect(named.kind).toBe('answer');
    expect(named.passage.articleId).toBe(ids.heaterE4);
  });

  it('hands over when the customer asks for a person or nothing matches, with the conversation as the request', async () => {
    const p = (await ask({ conversationId: 'conv-human-001', message: '转人工' })).json();
    expect(p).toMatchObject({ kind: 'handover', reason: 'asked_for_person', passage: null });
    const en = (await ask({ conversationId: 'conv-human-002', message: 'I want to talk to a human agent' }, 'en')).json();
    expect(en).toMatchObject({ kind: 'handover', reason: 'asked_for_person' });
    const none = (await ask({ conversationId: 'conv-none-0001', message: '发票抬头开错了能不能重开' })).json();
    expect(none).toMatchObject({ kind: 'handover', reason: 'no_match' });
    const h = await t.app.inject({
      method: 'POST',
      url: '/api/assist/handover',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ conversationId: 'conv-none-0001', turns: [{ from: 'customer', text: '发票抬头开错了能不能重开' }, { from: 'assistant', text: none.text }, { from: 'customer', text: '转人工' }] }),
    });
    expect(h.statusCode).toBe(200);
    expect(h.json().title).toBe('发票抬头开错了能不能重开');
    expect(h.json().description).toContain('客户：发票抬头开错了能不能重开');
    expect(h.json().description).toContain('智能客服：');
  });

  it('counts questions, answers, clarifications, hand-overs and solved conversations once each', async () => {
    const solved = (conv: string) => t.app.inject({ method: 'POST', url: '/api/assist/solved', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ conversationId: conv, articleId: ids.leak }) });
    expect((await solved('conv-leak-0001')).json()).toEqual({ recorded: true });
    expect((await solved('conv-leak-0001')).json()).toEqual({ recorded: false });
    // A retried question counts once.
    await ask({ conversationId: 'conv-leak-0001', message: '空调漏水怎么办' });
    const s = (await t.as.supervisor.get('/api/kb/stats')).json();
    expect(s.assistant).toEqual({ questions: 9, answered: 5, clarified: 1, handovers: 3, solved: 1 });
    expect(s.deflections.assistant).toBe(1);
    // Bad input: a translated message naming the field.
    const bad = await ask({ conversationId: 'x', message: '' }, 'en');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['conversationId', 'message']);
  });

  it('phrases the answer through an OpenAI-compatible endpoint from the passages only, and falls back when it fails', async () => {
    const mode: { value: 'ok' | 'fail' | 'slow' | 'uncited' } = { value: 'ok' };
    const { server, calls } = llmStub(mode);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const withLlm = await createTestApp({ dialect, config: { llm: { url: `http://127.0.0.1:${port}/v1`, model: 'test-model', key: 'sk-test-key', timeoutMs: 500 } } });
    try {
      for (const a of KB_ARTICLES) {
        const { key: _key, ...body } = a;
        await withLlm.as.admin.post('/api/kb/articles', body);
      }
      const askLlm = async (message: string) =>
        (await withLlm.app.inject({ method: 'POST', url: '/api/assist/ask', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ conversationId: 'conv-llm-00001', message }) })).json();
      const ok = await askLlm('空调漏水怎么办');
      expect(ok.kind).toBe('answer');
      expect(ok.llm).toBe(true);
      expect(ok.text).toContain('排水管');
      expect(ok.citations).toEqual([ok.passage.articleId]);
      const sent = calls[calls.length - 1].body;
      expect(sent.messages![0].role).toBe('system');
      expect(sent.messages![0].content).toContain('[1] 空调室内机漏水怎么办');
      expect(sent.messages![0].content).not.toContain('INTERNAL-KB-SECRET');
      expect(sent.messages![1]).toEqual({ role: 'user', content: '空调漏水怎么办' });

      for (const failure of ['fail', 'slow', 'uncited'] as const) {
        mode.value = failure;
        const fb = await askLlm('空调漏水怎么办');
        expect(fb.kind, failure).toBe('answer');
        expect(fb.llm, failure).toBe(false);
        expect(fb.text).toBe('这篇文章也许能解决您的问题：');
      }
      // Clarifying and handing over never call it.
      const before = calls.length;
      mode.value = 'ok';
      expect((await askLlm('转人工')).kind).toBe('handover');
      expect(calls.length).toBe(before);
    } finally {
      await withLlm.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
