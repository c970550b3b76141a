// The smart assistant (智能客服, SPEC §11, seed 003: 7×24 self-service): answers from published public articles by
// retrieval over their passages (the knowledge base's own search), asks one clarifying question when the match is
// weak or spread over several products, hands over to a new ticket pre-filled with the conversation when it cannot
// help or the customer asks for a person. Optionally an LLM phrases the answer from the retrieved passages only.
// Each step is counted (kb_events) for the reports: questions, answers, clarifications, hand-overs, solved.
import crypto from 'node:crypto';
import type { Language } from '../../../shared/enums.js';
import type { AssistReply, AssistTurn } from '../../../shared/kb.js';
import type { AppContext } from '../../context.js';
import { decide, handoverDraft, lineNamed } from '../../domain/kb/assistant.js';
import { coverage, hitRanges, kbQueryTokens, segments } from '../../domain/kb/query.js';
import { t } from '../../http/messages.js';
import type { KbFeedback } from '../kb/feedback.js';
import type { KbSearch } from '../kb/search.js';
import { lineLabel, type KbService } from '../kb/service.js';
import { phraseAnswer } from './llm.js';

const hash = (s: string) => crypto.createHash('sha256').update(s).digest('base64url').slice(0, 16);

export class AssistService {
  /** Tests replace it to watch the calls; the real fetch otherwise. */
  fetchImpl: typeof fetch = (...args) => fetch(...args);

  constructor(
    private readonly ctx: AppContext,
    private readonly kb: KbService,
    private readonly search: KbSearch,
    private readonly feedback: KbFeedback,
  ) {}

  async ask(lang: Language, body: { conversationId: string; message: string; productLine?: string | null; clarified?: boolean }): Promise<AssistReply> {
    const conv = body.conversationId;
    const turn = hash(`${body.productLine ?? ''}|${body.message}`);
    await this.feedback.record('assist_question', { conversation: conv, query: body.message, dedupe: `q:${conv}:${turn}` });
    const line = body.productLine ?? lineNamed(body.message);
    const tokens = kbQueryTokens(body.message);
    const found = await this.search.passages(tokens, line, 12);
    const candidates = found.map((p) => ({
      articleId: p.article_id,
      productLine: p.product_line,
      coverage: coverage(`${p.title}\n${p.heading ?? ''}\n${p.text}`, tokens),
      local: coverage(`${p.heading ?? ''}\n${p.text}`, tokens),
    }));
    const decision = decide(body.message, candidates, { clarified: body.clarified === true, lineKnown: line !== null });
    const empty = { passage: null, alternatives: [], options: [], reason: null, llm: false, citations: [] };

    if (decision.kind === 'handover') {
      await this.feedback.record('assist_handover', { conversation: conv, dedupe: `h:${conv}` });
      return { ...empty, kind: 'handover', reason: decision.reason, text: t(lang, decision.reason === 'asked_for_person' ? 'assist.handover_person' : 'assist.handover_no_match') };
    }
    if (decision.kind === 'clarify') {
      await this.feedback.record('assist_clarify', { conversation: conv, dedupe: `c:${conv}` });
      return { ...empty, kind: 'clarify', text: t(lang, 'assist.clarify'), options: decision.lines.map((l) => ({ line: l, label: lineLabel(lang, l) })) };
    }

    const best = found[decision.best];
    const others = [...new Map(found.filter((p) => p.article_id !== best.article_id).map((p) => [p.article_id, p])).values()].slice(0, 3);
    await this.feedback.record('assist_answer', { conversation: conv, articleId: best.article_id, query: body.message, dedupe: `a:${conv}:${turn}` });
    const reply: AssistReply = {
      ...empty,
      kind: 'answer',
      text: t(lang, decision.confident ? 'assist.answer' : 'assist.answer_unsure'),
      passage: {
        articleId: best.article_id,
        articleTitle: best.title,
        heading: best.heading,
        text: best.text,
        segments: segments(best.text, hitRanges(best.text, tokens)),
        url: this.kb.articleUrl(best.article_id),
      },
      alternatives: others.map((p) => ({ id: p.article_id, title: p.title, url: this.kb.articleUrl(p.article_id) })),
      citations: [best.article_id],
    };
    const llm = this.ctx.config.llm;
    if (llm) {
      const given = [best, ...others].map((p) => ({ articleId: p.article_id, title: p.title, heading: p.heading, text: p.text }));
      const phrased = await phraseAnswer(llm, lang, body.message, given, this.fetchImpl);
      if (phrased) return { ...reply, text: phrased.text, llm: true, citations: phrased.citations };
    }
    return reply;
  }

  /** The new ticket's title and description from the conversation; counts the hand-over once per conversation. */
  async handover(lang: Language, conversationId: string, turns: AssistTurn[]) {
    await this.feedback.record('assist_handover', { conversation: conversationId, dedupe: `h:${conversationId}` });
    return handoverDraft(turns, { customer: t(lang, 'assist.customer'), assistant: t(lang, 'assist.assistant') });
  }

  /** "This solved it" on an answer: the conversation ended without a ticket (a deflection by the assistant). */
  async solved(conversationId: string, articleId: number) {
    await this.kb.readable(null, articleId);
    const recorded = await this.feedback.record('assist_solved', { conversation: conversationId, articleId, dedupe: `s:${conversationId}` });
    if (recorded) await this.feedback.record('deflection', { source: 'assistant', articleId, dedupe: `d:assistant:${articleId}:conv:${conversationId}` });
    return { recorded };
  }
}
