// Search tokens for Chinese and mixed text, as Lucene's CJK analyzer does: CJK runs become overlapping bigrams
// (plus single characters so one-character queries work), other runs become lower-cased words. Pure: no IO.

// Han, Hiragana, Katakana, Hangul: scripts written without spaces.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+/gu;
const MAX_WORD = 64;

function* runs(textValue: string): Generator<{ cjk: boolean; value: string }> {
  for (const m of textValue.normalize('NFKC').toLowerCase().matchAll(RUNS)) {
    const value = m[0];
    yield { cjk: CJK.test(value[0]), value };
  }
}

/** Tokens to index for a document. Order-free, de-duplicated. */
export function indexTokens(...parts: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const part of parts) {
    if (!part) continue;
    for (const r of runs(part)) {
      if (!r.cjk) {
        out.add(r.value.slice(0, MAX_WORD));
        continue;
      }
      const chars = Array.from(r.value);
      for (let i = 0; i < chars.length; i++) {
        out.add(chars[i]);
        if (i + 1 < chars.length) out.add(chars[i] + chars[i + 1]);
      }
    }
  }
  return [...out];
}

/**
 * Tokens every matching document must contain. A one-character CJK query needs the unigram; a longer CJK run
 * needs all its bigrams (which approximates a substring match without a dictionary).
 */
export function queryTokens(query: string): string[] {
  const out = new Set<string>();
  for (const r of runs(query)) {
    if (!r.cjk) {
      out.add(r.value.slice(0, MAX_WORD));
      continue;
    }
    const chars = Array.from(r.value);
    if (chars.length === 1) out.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  }
  return [...out].slice(0, 32);
}

/** The tokens as one space-separated string, as stored in SQLite FTS5. */
export function joinTokens(tokens: string[]): string {
  return tokens.join(' ');
}

/** An FTS5 MATCH expression requiring every token; each is quoted so no token is read as FTS syntax. */
export function ftsMatchExpression(tokens: string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/** Phone numbers are searched by their digits, whole or by the last four. */
export function phoneTokens(phoneValue: string | null | undefined): string[] {
  const digits = (phoneValue ?? '').replace(/\D/g, '');
  if (!digits) return [];
  const national = digits.length > 11 && digits.startsWith('86') ? digits.slice(2) : digits;
  return [...new Set([digits, national, national.slice(-4)])];
}
