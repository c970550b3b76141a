// What a knowledge-base search asks the index, and how its matches are shown. Pure: no IO.
// The tokens are the ticket search's (domain/search.ts: CJK bigrams, words), but a question is not a filter: "空调漏水
// 怎么办" must find the article on 漏水 that never says 怎么办. So the KB matches ANY of the query's tokens and lets
// the ranking (BM25 on SQLite, ts_rank on PostgreSQL) put the articles holding most of them, and the rarest, first;
// question words carry nothing and are dropped before they reach the index.
import { isSingleCjk, queryTokens, tokenStream } from '../search.js';

/**
 * Bigrams and words that say how someone asks, not what about. Dropping them keeps "怎么" (in every FAQ) from
 * matching the whole knowledge base, which is both noise and the slowest query there is.
 */
const STOP_TOKENS = new Set([
  '怎么', '么办', '怎样', '如何', '什么', '为什', '为何', '么原', '原因', '请问', '问一', '一下', '可以', '能不', '不能', '是不',
  '不是', '有没', '没有', '我的', '我家', '家的', '了怎', '么回', '回事', '吗', '呢', '啊', '吧', '了', '的', '是', '我', '你', '么',
  '是什', '意思', '应该', '需要', '要怎', '该怎', '么样', '还是', '就是', '这个', '那个', '一个', '个月',
  'how', 'what', 'why', 'when', 'where', 'which', 'who', 'do', 'does', 'did', 'is', 'are', 'was', 'the', 'a', 'an', 'to', 'of',
  'in', 'on', 'for', 'my', 'i', 'it', 'can', 'could', 'should', 'with', 'and', 'or', 'be', 'me', 'you', 'this', 'that', 'there',
]);

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
const CJK = /^[\u3400-\u9fff]+$/u;

/**
 * Bigrams of a question that straddle two words of two characters or more (空调|漏水 → 调漏, 漏水|怎么 → 水怎), by
 * Intl.Segmenter's dictionary: no article is about them, and they would only dilute how much of the question a
 * passage covers. Where a word is a single character the segmenter is often wrong (保|修|期), so those bigrams stay.
 */
function straddlingBigrams(query: string): Set<string> {
  const out = new Set<string>();
  let prev: { text: string; end: number } | null = null;
  for (const s of SEGMENTER.segment(query)) {
    const cur = { text: s.segment, end: s.index + s.segment.length };
    if (prev && prev.end === s.index && CJK.test(prev.text) && CJK.test(cur.text) && prev.text.length >= 2 && cur.text.length >= 2) {
      out.add(prev.text.slice(-1) + cur.text[0]);
    }
    prev = cur;
  }
  return out;
}

/**
 * The tokens a KB search looks for: the ticket search's query tokens without question words and without bigrams
 * across word boundaries (all of them if that empties it).
 */
export function kbQueryTokens(query: string): string[] {
  const all = queryTokens(query);
  const straddling = straddlingBigrams(query);
  const kept = all.filter((t) => !STOP_TOKENS.has(t) && !straddling.has(t));
  return kept.length > 0 ? kept : all.filter((t) => t.length > 1 || isSingleCjk(t));
}

/** An FTS5 expression matching any of the tokens; a lone CJK character is a prefix query (see ftsIndexTokens). */
export function ftsAnyExpression(tokens: readonly string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"${isSingleCjk(t) ? '*' : ''}`).join(' OR ');
}

/** An FTS5 expression matching documents holding every token. */
export function ftsAllExpression(tokens: readonly string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"${isSingleCjk(t) ? '*' : ''}`).join(' AND ');
}

/** A PostgreSQL tsquery literal matching documents holding every token. */
export function tsQueryAll(tokens: readonly string[]): string {
  return tokens.map((t) => `'${lexeme(t)}'`).join(' & ');
}

/** A PostgreSQL tsquery literal matching any of the tokens (quoted lexemes: read as they are, whatever the locale). */
export function tsQueryAny(tokens: readonly string[]): string {
  return tokens.map((t) => `'${lexeme(t)}'`).join(' | ');
}

function lexeme(t: string): string {
  return t.replace(/\\/g, '\\\\').replace(/'/g, "''");
}

/** PostgreSQL keeps at most 256 positions per lexeme, each at most 16,383. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * A PostgreSQL tsvector literal of a document: every token with its positions (so ts_rank counts how often it occurs),
 * those of the head (title, tags) weighted A and the rest D. Written out here rather than by to_tsvector, whose parser
 * depends on the database's locale (a C locale drops Chinese); a quoted lexeme in a literal is taken as it is.
 */
export function tsVectorLiteral(head: string, body: string): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (tokens: string[], weight: 'A' | 'D') => {
    for (const t of tokens) {
      pos = Math.min(pos + 1, MAX_POSITION);
      let list = positions.get(t);
      if (!list) positions.set(t, (list = []));
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(weight === 'A' ? `${pos}A` : String(pos));
    }
  };
  add(tokenStream(head, true), 'A');
  add(tokenStream(body, true), 'D');
  return [...positions].map(([t, p]) => `'${lexeme(t)}':${p.join(',')}`).join(' ');
}

/** The FTS5 columns of a document: its tokens cut as the ticket index cuts them, with repeats (BM25 counts them). */
export function ftsColumns(head: string, body: string): { head: string; body: string } {
  return { head: tokenStream(head, false).join(' '), body: tokenStream(body, false).join(' ') };
}

export interface Segment {
  text: string;
  hit?: true;
}

/** Ranges [start, end) of `text` where a query token occurs (case-insensitively), merged. */
export function hitRanges(text: string, tokens: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  // Lower-casing changed the length (a rare letter such as İ): offsets would not line up; mark nothing.
  if (lower.length !== text.length || tokens.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const t of tokens) {
    if (!t) continue;
    const word = /^[\p{L}\p{N}]/u.test(t) && !isSingleCjk(t) && !/[\u3400-\u9fff]/u.test(t);
    for (let at = lower.indexOf(t); at >= 0; at = lower.indexOf(t, at + 1)) {
      // An English word matches whole words only: "on" is not marked inside "button".
      if (word && (isWordChar(lower[at - 1]) || isWordChar(lower[at + t.length]))) continue;
      ranges.push([at, at + t.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[a-z0-9]/.test(ch);
}

/** `text` cut into plain and marked segments at the ranges. */
export function segments(text: string, ranges: readonly [number, number][]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) out.push({ text: text.slice(at, s) });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/**
 * The stretch of `text` (about `width` characters) with the most query hits, marked: what a search result shows under
 * its title. Starts at a line or sentence start shortly before the first hit of the best window when there is one.
 */
export function snippet(text: string, tokens: readonly string[], width = 120): Segment[] {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  const ranges = hitRanges(flat, tokens);
  if (flat.length <= width) return segments(flat, ranges);
  let bestStart = 0;
  let bestScore = -1;
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges[i][0];
    let score = 0;
    for (let j = i; j < ranges.length && ranges[j][1] <= start + width; j++) score += ranges[j][1] - ranges[j][0];
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  // Back up a little, to a sentence boundary when one is near.
  let from = Math.max(0, bestStart - 20);
  const boundary = Math.max(flat.lastIndexOf('。', bestStart - 1), flat.lastIndexOf('. ', bestStart - 1), flat.lastIndexOf('；', bestStart - 1));
  if (boundary >= from - 20 && boundary >= 0 && boundary < bestStart) from = boundary + 1;
  if (ranges.length === 0) from = 0;
  const to = Math.min(flat.length, from + width);
  const inside = ranges.filter(([s, e]) => s >= from && e <= to).map(([s, e]) => [s - from, e - from] as [number, number]);
  const segs = segments(flat.slice(from, to).trimStart(), shift(inside, flat.slice(from, to)));
  if (from > 0) segs.unshift({ text: '…' });
  if (to < flat.length) segs.push({ text: '…' });
  return segs;
}

function shift(ranges: [number, number][], raw: string): [number, number][] {
  const cut = raw.length - raw.trimStart().length;
  return ranges.map(([s, e]) => [s - cut, e - cut]);
}

/** The share (0–1) of the query tokens found in `text`: how much of the question a passage speaks to. */
export function coverage(text: string, tokens: readonly string[]): number {
  if (tokens.length === 0) return 0;
  const have = new Set(tokenStream(text, true));
  let n = 0;
  for (const t of tokens) if (have.has(t)) n++;
  return n / tokens.length;
}
