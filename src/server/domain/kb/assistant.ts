// The smart assistant's decisions (智能客服), without any AI service: given the passages the search ranked for a
// question, answer with the best one, ask one clarifying question (which product) when the match is weak or spread
// over several products, or hand over to a person. Pure: no IO.

/** "I want a person": 转人工, 人工客服, 真人, agent, human … — handed over at once, whatever the knowledge base holds. */
const WANTS_PERSON = /转人工|人工|真人|找客服|联系客服|客服电话|投诉|\b(agent|human|person|representative|operator|someone)\b/i;

export function wantsPerson(message: string): boolean {
  return WANTS_PERSON.test(message);
}

/** Words that name a product line in a question, so the assistant need not ask which product it is about. */
export const PRODUCT_LINE_WORDS: Record<string, readonly string[]> = {
  ac: ['空调', '挂机', '柜机', '中央空调', 'air conditioner', 'aircon'],
  fridge: ['冰箱', '冷藏', '冷冻', 'fridge', 'refrigerator'],
  washer: ['洗衣机', '洗烘', '滚筒', '波轮', 'washer', 'washing machine'],
  water_heater: ['热水器', 'water heater'],
  purifier: ['净水器', '净水', '滤芯', 'purifier', 'water filter'],
  robot: ['扫地机', '扫拖', '机器人', 'robot', 'vacuum'],
  laptop: ['笔记本', '电脑', 'laptop', 'notebook'],
  server: ['服务器', 'server'],
};

/** The product line a question names, if exactly one. */
export function lineNamed(message: string): string | null {
  const lower = message.toLowerCase();
  const found = Object.entries(PRODUCT_LINE_WORDS)
    .filter(([, words]) => words.some((w) => lower.includes(w)))
    .map(([line]) => line);
  return found.length === 1 ? found[0] : null;
}

export interface Candidate {
  articleId: number;
  productLine: string | null;
  /** Share of the question's tokens the passage holds with its article's title (domain/kb/query.ts coverage). */
  coverage: number;
  /** The same share in the passage's own heading and text: which passage of an article speaks to the question. */
  local?: number;
}

/** At or above: the passage speaks to most of the question; shown as the answer. */
export const STRONG = 0.6;
/** Below: nothing in the knowledge base is about the question. */
export const WEAK = 0.34;

export type Decision =
  | { kind: 'answer'; best: number; confident: boolean }
  | { kind: 'clarify'; lines: string[] }
  | { kind: 'handover'; reason: 'asked_for_person' | 'no_match' };

/**
 * What to do with a question. `candidates` are ranked, best first. `clarified`: the one clarifying question has been
 * asked in this conversation already (never twice). `lineKnown`: the question or the customer's answer named the product.
 */
export function decide(message: string, candidates: readonly Candidate[], opts: { clarified: boolean; lineKnown: boolean }): Decision {
  if (wantsPerson(message)) return { kind: 'handover', reason: 'asked_for_person' };
  let best = -1;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    const b = best >= 0 ? candidates[best] : null;
    if (!b || c.coverage > b.coverage || (c.coverage === b.coverage && (c.local ?? 0) > (b.local ?? 0))) best = i;
  }
  const top = best >= 0 ? candidates[best].coverage : 0;
  const lines = [...new Set(candidates.filter((c) => c.coverage >= WEAK / 2 && c.productLine).map((c) => c.productLine as string))];
  const canAsk = !opts.clarified && !opts.lineKnown && lines.length >= 2;
  if (top >= STRONG) {
    // A strong match, but strong ones for other products too: which one the customer has decides the answer.
    const rivals = new Set(candidates.filter((c) => c.coverage >= STRONG && c.productLine).map((c) => c.productLine));
    if (canAsk && rivals.size >= 2) return { kind: 'clarify', lines: lines.slice(0, 6) };
    return { kind: 'answer', best, confident: true };
  }
  if (canAsk) return { kind: 'clarify', lines: lines.slice(0, 6) };
  if (top >= WEAK) return { kind: 'answer', best, confident: false };
  return { kind: 'handover', reason: 'no_match' };
}

/** A new ticket's title and description from the conversation (the customer's own words, in order). */
export function handoverDraft(turns: readonly { from: 'customer' | 'assistant'; text: string }[], labels: { customer: string; assistant: string }) {
  const asked = turns.filter((t) => t.from === 'customer' && !wantsPerson(t.text));
  const first = (asked[0]?.text ?? turns.find((t) => t.from === 'customer')?.text ?? '').replace(/\s+/g, ' ').trim();
  const title = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  const description = turns.map((t) => `${t.from === 'customer' ? labels.customer : labels.assistant}：${t.text}`).join('\n');
  return { title, description: description.slice(0, 5000) };
}
