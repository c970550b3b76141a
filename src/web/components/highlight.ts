// Where a queue search's words are in a row's text, so the row can mark them. The server finds a ticket when the text
// holds every query token (src/server/domain/search.ts: CJK runs as overlapping bigrams, a lone CJK character as
// itself, other runs as lower-cased whole words, full-width folded by NFKC); this marks the same tokens, so what is
// marked is what matched. The web does not import server code, so the few lines of token rules are repeated here and
// held to the server's queryTokens by highlight.test.ts.

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;
const MAX_WORD = 64;

function kindOf(ch: string): 0 | 1 | 2 {
  if (CJK.test(ch)) return 2;
  return WORD.test(ch) ? 1 : 0;
}

function foldChar(ch: string): string {
  return ch.normalize('NFKC').toLowerCase();
}

export interface Term {
  text: string;
  /** A word must stand alone (the index holds whole words); CJK tokens are found inside any run. */
  word: boolean;
}

/** The tokens a query needs, as the server's queryTokens makes them (at most 32), with their kind. */
export function queryTerms(query: string): Term[] {
  const chars = Array.from(query).flatMap((c) => Array.from(foldChar(c)));
  const out = new Map<string, Term>();
  let i = 0;
  while (i < chars.length) {
    const kind = kindOf(chars[i]);
    let j = i + 1;
    while (j < chars.length && kindOf(chars[j]) === kind) j++;
    if (kind === 1) {
      const w = chars.slice(i, j).join('').slice(0, MAX_WORD);
      out.set(w, { text: w, word: true });
    } else if (kind === 2) {
      if (j - i === 1) out.set(chars[i], { text: chars[i], word: false });
      for (let k = i; k + 1 < j; k++) out.set(chars[k] + chars[k + 1], { text: chars[k] + chars[k + 1], word: false });
    }
    i = j;
  }
  return [...out.values()].slice(0, 32);
}

/**
 * The [start, end) ranges of `text` (UTF-16 offsets into the original, sorted, merged where they touch or overlap)
 * that hold a term of the query.
 */
export function highlightRanges(text: string, query: string | undefined): [number, number][] {
  if (!text || !query) return [];
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  // The folded text, and for each folded unit the offset of the original character it came from.
  let folded = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) from.push(i);
    folded += f;
    i += ch.length;
  }
  from.push(text.length);
  const isWordAt = (at: number) => {
    if (at < 0 || at >= folded.length) return false;
    const cp = folded.codePointAt(at)!;
    return kindOf(String.fromCodePoint(cp)) === 1;
  };
  const found: [number, number][] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term.text); at !== -1; at = folded.indexOf(term.text, at + 1)) {
      const end = at + term.text.length;
      if (term.word && (isWordAt(at - 1) || isWordAt(end))) {
        // A longer indexed word (e.g. a word cut at 64 characters) still counts when the term is its start.
        if (isWordAt(at - 1) || term.text.length < MAX_WORD) continue;
      }
      found.push([from[at], from[end]]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * The text from a little before its first match, so a one-line excerpt shows the word it was found by; the text as it
 * is when the match is near the start or there is none.
 */
export function snippetAround(text: string, query: string | undefined, before = 6, keepStart = 12): string {
  const first = highlightRanges(text, query)[0];
  if (!first || first[0] <= keepStart) return text;
  let from = first[0] - before;
  if (/[\uDC00-\uDFFF]/.test(text[from] ?? '')) from--; // never split a surrogate pair
  return `…${text.slice(from).replace(/^[\s\p{P}]+/u, '')}`;
}
