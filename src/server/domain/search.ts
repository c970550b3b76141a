// Search tokens for Chinese and mixed text, as Lucene's CJK analyzer does: CJK runs become overlapping bigrams
// (plus single characters so one-character queries work), other runs become lower-cased words. Pure: no IO.

// Han, Hiragana, Katakana, Hangul: scripts written without spaces.
const CJK_CHAR = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const MAX_WORD = 64;

/**
 * The character at `at` of `text`: 0 = separator, 1 = part of a word, 2 = a CJK character. ASCII and the common CJK
 * blocks without a regex, and the character's own string made only for the regex tests: this runs on every create.
 */
function classify(text: string, at: number, code: number): 0 | 1 | 2 {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) ? 1 : 0; // input is lower-cased
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x3040 && code <= 0x30ff) || (code >= 0xac00 && code <= 0xd7af)) return 2;
  const ch = text.slice(at, at + (code > 0xffff ? 2 : 1));
  if (CJK_CHAR.test(ch)) return 2;
  return WORD_CHAR.test(ch) ? 1 : 0;
}

// Full-width letters and digits (ＫＦＲ３５), ideographic space and other compatibility forms: NFKC folds them.
const NEEDS_NFKC = /[\u3000\uff00-\uffef\u2460-\u24ff\ufb00-\ufb4f]/;

function fold(textValue: string): string {
  return (NEEDS_NFKC.test(textValue) ? textValue.normalize('NFKC') : textValue).toLowerCase();
}

/**
 * Calls `run` for each word (1) or CJK (2) run of folded `text`, as [start, end) in UTF-16 units, with whether the run
 * holds a character outside the BMP (two units). Scanned in place, for the index and the queries alike: a generator
 * of run objects, each run's character array and concatenated bigrams made about 15 KB of garbage per ticket.
 */
function forEachRun(text: string, run: (kind: 1 | 2, start: number, end: number, astral: boolean) => void) {
  let start = 0;
  let kind: 0 | 1 | 2 = 0;
  let astral = false;
  for (let i = 0; i <= text.length; ) {
    let k: 0 | 1 | 2 = 0;
    let width = 1;
    if (i < text.length) {
      const code = text.codePointAt(i)!;
      if (code > 0xffff) width = 2;
      k = classify(text, i, code);
    }
    if (k !== kind) {
      if (kind !== 0) run(kind, start, i, astral);
      kind = k;
      start = i;
      astral = false;
    }
    if (width === 2) astral = true;
    i += width;
  }
}

/** Tokens to index for a document (PostgreSQL's token array): every character and bigram. Order-free, de-duplicated. */
export function indexTokens(...parts: (string | null | undefined)[]): string[] {
  return collect(parts, true);
}

/**
 * Tokens to index for a document in SQLite FTS5: the bigrams, and a CJK character on its own only where no bigram
 * starts with it (the end of a run, or a run of one). A one-character query is an FTS5 prefix query there
 * (ftsMatchExpression), which finds the character as the first half of a bigram or on its own, so every character
 * stays findable. Half the tokens of indexTokens on Chinese text: a create spent a tenth of its time writing the
 * unigrams (tokenizing, the FTS5 row, and its share of the index segment written at COMMIT).
 */
export function ftsIndexTokens(...parts: (string | null | undefined)[]): string[] {
  return collect(parts, false);
}

function collect(parts: readonly (string | null | undefined)[], everyUnigram: boolean): string[] {
  const out = new Set<string>();
  for (const part of parts) {
    if (!part) continue;
    const text = fold(part);
    forEachRun(text, (kind, start, end, astral) => {
      if (kind === 1) out.add(text.slice(start, Math.min(end, start + MAX_WORD)));
      else addCjkRun(out, text, start, end, astral, everyUnigram);
    });
  }
  return [...out];
}

/** A CJK run's bigrams, and its characters alone as collect() asks. */
function addCjkRun(out: Set<string>, text: string, start: number, end: number, astral: boolean, everyUnigram: boolean) {
  if (astral) {
    const chars = Array.from(text.slice(start, end));
    for (let i = 0; i < chars.length; i++) {
      const last = i + 1 === chars.length;
      if (everyUnigram || last) out.add(chars[i]);
      if (!last) out.add(chars[i] + chars[i + 1]);
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const last = i + 1 === end;
    if (everyUnigram || last) out.add(text[i]);
    if (!last) out.add(text.slice(i, i + 2));
  }
}

/**
 * Tokens every matching document must contain. A one-character CJK query needs the unigram; a longer CJK run
 * needs all its bigrams (which approximates a substring match without a dictionary).
 */
export function queryTokens(query: string): string[] {
  const out = new Set<string>();
  const text = fold(query);
  forEachRun(text, (kind, start, end) => {
    if (kind === 1) {
      out.add(text.slice(start, Math.min(end, start + MAX_WORD)));
      return;
    }
    const chars = Array.from(text.slice(start, end));
    if (chars.length === 1) out.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  });
  return [...out].slice(0, 32);
}

/** The tokens as one space-separated string, as stored in SQLite FTS5. */
export function joinTokens(tokens: string[]): string {
  return tokens.join(' ');
}

/**
 * An FTS5 MATCH expression requiring every token; each is quoted so no token is read as FTS syntax. A single CJK
 * character is a prefix query (see ftsIndexTokens); it also matches the character indexed on its own, so rows
 * indexed with every unigram (before ftsIndexTokens) are found the same way.
 */
export function ftsMatchExpression(tokens: string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"${isOneCjkChar(t) ? '*' : ''}`).join(' AND ');
}

function isOneCjkChar(t: string): boolean {
  const code = t.codePointAt(0);
  return code !== undefined && t.length === (code > 0xffff ? 2 : 1) && classify(t, 0, code) === 2;
}

/** Phone numbers are searched by their digits, whole or by the last four. */
export function phoneTokens(phoneValue: string | null | undefined): string[] {
  const digits = (phoneValue ?? '').replace(/\D/g, '');
  if (!digits) return [];
  const national = digits.length > 11 && digits.startsWith('86') ? digits.slice(2) : digits;
  return [...new Set([digits, national, national.slice(-4)])];
}

/**
 * What a ticket is found by: number, title, description, model, serial number, the customer's name, company and phone.
 * SQLite's FTS5 index takes the sparser token set (ftsIndexTokens: one-character queries are prefix queries there);
 * PostgreSQL's token array, matched by `@>`, needs every character.
 */
export function ticketSearchTokens(
  dialect: 'sqlite' | 'postgres',
  t: { number: string; title: string; description: string; product_model: string | null; serial_number: string | null },
  customer: { name: string; phone: string | null; company: string | null },
): string[] {
  const text = dialect === 'sqlite' ? ftsIndexTokens : indexTokens;
  return [...text(t.number, t.title, t.description, t.product_model, t.serial_number, customer.name, customer.company), ...phoneTokens(customer.phone)];
}

/**
 * Every token occurrence of `text`, in order and with repeats (what a ranking needs: term frequencies and document
 * length), cut as indexTokens (`everyUnigram`) or ftsIndexTokens cut them. The knowledge base ranks with it (BM25 on
 * SQLite, ts_rank on PostgreSQL); ticket search needs no ranking and keeps the de-duplicated sets above.
 */
export function tokenStream(text: string | null | undefined, everyUnigram: boolean): string[] {
  const out: string[] = [];
  if (!text) return out;
  const folded = fold(text);
  forEachRun(folded, (kind, start, end) => {
    if (kind === 1) {
      out.push(folded.slice(start, Math.min(end, start + MAX_WORD)));
      return;
    }
    const chars = Array.from(folded.slice(start, end));
    for (let i = 0; i < chars.length; i++) {
      const last = i + 1 === chars.length;
      if (everyUnigram || last) out.push(chars[i]);
      if (!last) out.push(chars[i] + chars[i + 1]);
    }
  });
  return out;
}

/** Whether `token` is one CJK character (a prefix query on SQLite's sparse index). */
export function isSingleCjk(token: string): boolean {
  return isOneCjkChar(token);
}
