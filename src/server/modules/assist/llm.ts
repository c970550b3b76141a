// The optional LLM that phrases the assistant's answer (AFTERCARE_LLM_URL / _MODEL / _KEY): an OpenAI-compatible
// chat-completions endpoint, given only the retrieved passages and told to answer from them and cite them. Anything
// else — a timeout, an error status, an answer citing nothing it was given — returns null and the assistant answers
// with the retrieved passage itself.
import type { Language } from '../../../shared/enums.js';

export interface LlmConfig {
  url: string;
  model: string;
  key: string | null;
  timeoutMs: number;
}

export interface LlmPassage {
  articleId: number;
  title: string;
  heading: string | null;
  text: string;
}

/** The endpoint: a base URL (…/v1) gets /chat/completions; a full one is used as it is. */
export function completionsUrl(base: string): string {
  return /\/chat\/completions$/.test(base) ? base : `${base}/chat/completions`;
}

const SYSTEM: Record<Language, string> = {
  'zh-CN':
    '你是售后服务的智能客服。只能根据下面编号的知识库段落回答客户的问题，不要编造段落中没有的内容。回答使用简体中文，简洁友好，不超过 200 字；' +
    '在用到的内容后面标注段落编号，例如 [1]。如果段落无法回答问题，只回答“无法回答”。',
  en:
    "You are an after-sales service assistant. Answer the customer's question only from the numbered knowledge-base passages below; never add anything they do not say. " +
    'Answer in English, briefly and kindly, in at most 120 words, and cite the passages you used by number, e.g. [1]. If the passages cannot answer the question, reply only "CANNOT ANSWER".',
};

export interface LlmAnswer {
  text: string;
  /** Article ids of the passages the answer cites, in order of first citation. */
  citations: number[];
}

export async function phraseAnswer(cfg: LlmConfig, lang: Language, question: string, passages: LlmPassage[], fetchImpl: typeof fetch = fetch): Promise<LlmAnswer | null> {
  if (passages.length === 0) return null;
  const context = passages.map((p, i) => `[${i + 1}] ${p.title}${p.heading ? ` — ${p.heading}` : ''}\n${p.text}`).join('\n\n');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cfg.key) headers.authorization = `Bearer ${cfg.key}`;
  let res: Response;
  try {
    res = await fetchImpl(completionsUrl(cfg.url), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: cfg.model,
        temperature: 0.2,
        max_tokens: 400,
        messages: [
          { role: 'system', content: `${SYSTEM[lang]}\n\n${context}` },
          { role: 'user', content: question },
        ],
      }),
      signal: AbortSignal.timeout(cfg.timeoutMs),
      redirect: 'error',
    });
  } catch {
    return null;
  }
  if (!res.ok) return null;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return null;
  }
  const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') return null;
  const text = content.trim();
  if (!text || /无法回答|CANNOT ANSWER/i.test(text)) return null;
  const citations: number[] = [];
  for (const m of text.matchAll(/\[(\d{1,2})\]/g)) {
    const p = passages[Number(m[1]) - 1];
    if (p && !citations.includes(p.articleId)) citations.push(p.articleId);
  }
  // An answer that cites none of the passages is not known to come from them.
  if (citations.length === 0) return null;
  return { text: text.slice(0, 2000), citations };
}
