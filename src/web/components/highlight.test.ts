import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryTokens } from '../../server/domain/search.js';
import { highlightRanges, queryTerms, snippetAround } from './highlight.js';

const marked = (text: string, q: string) => highlightRanges(text, q).map(([s, e]) => text.slice(s, e));

describe('search highlight', () => {
  it('marks a Chinese query inside a longer run', () => {
    expect(marked('冰箱漏水，地板湿了', '漏水')).toEqual(['漏水']);
    expect(marked('冰箱漏水', '箱漏水')).toEqual(['箱漏水']);
    expect(marked('漏了一地水', '漏')).toEqual(['漏']);
  });

  it('marks every token of the query and merges neighbours', () => {
    expect(marked('空调室内机漏水，弄湿家具', '空调 漏水')).toEqual(['空调', '漏水']);
    // The server matches the bigrams anywhere, so each is marked where it is.
    expect(marked('冰箱里面漏水', '冰箱漏水')).toEqual(['冰箱', '漏水']);
  });

  it('marks whole words only, ignoring case and full width', () => {
    expect(marked('Model KFR-35GW leaks', 'kfr')).toEqual(['KFR']);
    expect(marked('ＫＦＲ３５ leaks', 'kfr35')).toEqual(['ＫＦＲ３５']);
    expect(marked('KFR35 leaks', 'ＫＦＲ３５')).toEqual(['KFR35']);
    expect(marked('KFR35GW', 'kfr')).toEqual([]);
    expect(marked('181****5287', '5287')).toEqual(['5287']);
  });

  it('marks nothing without a query or a match', () => {
    expect(highlightRanges('冰箱漏水', undefined)).toEqual([]);
    expect(highlightRanges('冰箱漏水', ' ，')).toEqual([]);
    expect(highlightRanges('冰箱漏水', '洗衣机')).toEqual([]);
  });

  it('keeps offsets right around characters outside the BMP', () => {
    expect(marked('𠮷野家漏水', '漏水')).toEqual(['漏水']);
    expect(marked('𠮷野家漏水', '𠮷野')).toEqual(['𠮷野']);
  });

  it('asks for the same tokens as the server search', () => {
    const alphabet = fc.constantFrom(...'冰箱漏水𠮷野ａＢc12 -，の한KFR'.match(/./gu)!);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (chars) => {
        const q = chars.join('');
        expect(queryTerms(q).map((t) => t.text).sort()).toEqual([...queryTokens(q)].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('marks in a text every token that the text holds', () => {
    const alphabet = fc.constantFrom(...'冰箱漏水空调 ab，'.match(/./gu)!);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 20 }), fc.array(alphabet, { maxLength: 6 }), (t, q) => {
        const text = t.join('');
        const ranges = highlightRanges(text, q.join(''));
        for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1]);
        for (const term of queryTerms(q.join('')).filter((x) => !x.word)) {
          if (text.includes(term.text)) expect(ranges.some(([s, e]) => text.slice(s, e).includes(term.text))).toBe(true);
        }
      }),
    );
  });

  it('starts an excerpt shortly before its first match', () => {
    const text = '客厅的空调这几天开始往下滴水，一晚上能接小半盆水，地板已经被漏水泡坏了一块。';
    expect(snippetAround(text, '漏水')).toBe('…地板已经被漏水泡坏了一块。');
    expect(snippetAround(text, '空调')).toBe(text);
    expect(snippetAround(text, '洗衣机')).toBe(text);
    expect(snippetAround(text, undefined)).toBe(text);
  });
});
