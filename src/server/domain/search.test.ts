import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ftsIndexTokens, ftsMatchExpression, indexTokens, phoneTokens, queryTokens } from './search.js';

describe('CJK search tokens', () => {
  it('indexes Chinese as unigrams and bigrams and other text as lower-cased words', () => {
    expect(indexTokens('空调漏水').sort()).toEqual(['漏', '漏水', '空', '空调', '调', '调漏', '水'].sort());
    expect(indexTokens('KFR-35GW 外机')).toEqual(expect.arrayContaining(['kfr', '35gw', '外机']));
    expect(indexTokens('E4故障码')).toEqual(expect.arrayContaining(['e4', '故障', '障码']));
  });

  it('queries a one-character word by its unigram and longer words by their bigrams', () => {
    expect(queryTokens('冰')).toEqual(['冰']);
    expect(queryTokens('漏水')).toEqual(['漏水']);
    expect(queryTokens('室内机漏水')).toEqual(['室内', '内机', '机漏', '漏水']);
    expect(queryTokens('ＫＦＲ－３５')).toEqual(['kfr', '35']); // full-width input from Chinese IMEs
  });

  it('finds every substring of indexed Chinese text: every token, or in FTS5 a single character by prefix (property)', () => {
    const han = fc.constantFrom(...'空调冰箱洗衣机漏水制冷异响黑屏故障维修安装退货客户服务');
    fc.assert(
      fc.property(fc.array(han, { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const text = chars.join('');
        const start = a % chars.length;
        const end = start + 1 + (b % (chars.length - start));
        const all = new Set(indexTokens(text));
        const fts = ftsIndexTokens(text);
        for (const token of queryTokens(chars.slice(start, end).join(''))) {
          expect(all.has(token)).toBe(true);
          const found = Array.from(token).length === 1 ? fts.some((x) => x.startsWith(token)) : fts.includes(token);
          expect(found).toBe(true);
        }
      }),
    );
  });

  it('finds mixed text by itself and by each of its pieces: Chinese, astral characters, full-width, Latin, digits (property)', () => {
    // The index (collect) and the queries (queryTokens) make their tokens differently from the same runs: they must agree.
    const piece = fc.constantFrom(...['空', '调', '漏', '水', '𠀀', '𪚥', 'か', 'カ', '한', 'Ｋ', '３', 'A', 'b', 'z', '0', '9', 'é', 'Ω', ' ', '-', '，', '\u3000']);
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const all = new Set(indexTokens(text));
        const fts = ftsIndexTokens(text);
        for (const query of [text, ...text.split(/[\s\-，\u3000]+/)]) {
          for (const token of queryTokens(query)) {
            expect(all.has(token)).toBe(true);
            const found = Array.from(token).length === 1 && /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(token) ? fts.some((x) => x.startsWith(token)) : fts.includes(token);
            expect(found).toBe(true);
          }
        }
      }),
    );
  });

  it('quotes every token so user text is never FTS syntax', () => {
    expect(ftsMatchExpression(['a"b', 'or'])).toBe('"a""b" AND "or"');
  });

  it('gives FTS5 the bigrams and only the characters no bigram starts with; one character is a prefix query', () => {
    expect(ftsIndexTokens('空调漏水').sort()).toEqual(['漏水', '空调', '调漏', '水'].sort());
    expect(ftsIndexTokens('冰 箱', 'E4故障码').sort()).toEqual(['冰', '箱', 'e4', '故障', '障码', '码'].sort());
    expect(ftsMatchExpression(['漏'])).toBe('"漏"*');
    expect(ftsMatchExpression(['𠀀', 'a', '漏水'])).toBe('"𠀀"* AND "a" AND "漏水"'); // a supplementary-plane character is one character too
  });

  it('makes phone numbers searchable whole, without country code, and by the last four digits', () => {
    expect(phoneTokens('+86 138-1234-5678')).toEqual(['8613812345678', '13812345678', '5678']);
    expect(phoneTokens(null)).toEqual([]);
  });
});
