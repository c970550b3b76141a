// The knowledge base's pure parts: question tokens, snippets, passages, the assistant's decisions.
import { describe, expect, it } from 'vitest';
import { decide, handoverDraft, lineNamed, wantsPerson } from './assistant.js';
import { passages, plainText, renderMarkdown } from './markdown.js';
import { coverage, ftsAnyExpression, hitRanges, kbQueryTokens, snippet, tsQueryAny, tsVectorLiteral } from './query.js';

describe('question tokens', () => {
  it('drops question words and bigrams across words, keeps what the question is about', () => {
    expect(kbQueryTokens('空调漏水怎么办')).toEqual(['空调', '漏水']);
    expect(kbQueryTokens('保修期多久')).toEqual(['保修', '修期', '期多', '多久']);
    expect(kbQueryTokens('How do I reset the filter?')).toEqual(['reset', 'filter']);
    // Only question words: searched as they are rather than not at all.
    expect(kbQueryTokens('怎么办')).toEqual(['怎么', '么办']);
    expect(kbQueryTokens('   ')).toEqual([]);
  });
  it('quotes tokens for FTS5 and tsquery so nothing is read as syntax', () => {
    expect(ftsAnyExpression(['a"b', '漏'])).toBe('"a""b" OR "漏"*');
    expect(tsQueryAny(["it's", 'a\\b'])).toBe("'it''s' | 'a\\\\b'");
    expect(tsVectorLiteral('漏水', 'x x')).toBe("'漏':1A '漏水':2A '水':3A 'x':4,5");
  });
});

describe('snippets', () => {
  it('marks query words, whole English words only', () => {
    expect(hitRanges('Reset the button; reset ok', ['reset', 'on'])).toEqual([[0, 5], [18, 23]]);
    expect(hitRanges('空调室内机漏水', ['漏水', '空调'])).toEqual([[0, 2], [5, 7]]);
  });
  it('shows the stretch with the most hits, with ellipses where it was cut', () => {
    const text = `${'无关的介绍。'.repeat(30)}空调漏水时先检查排水管。${'其他说明。'.repeat(30)}`;
    const segs = snippet(text, ['空调', '漏水'], 60);
    expect(segs[0].text).toBe('…');
    expect(segs[segs.length - 1].text).toBe('…');
    // Adjacent hits are one mark.
    expect(segs.filter((s) => s.hit).map((s) => s.text)).toEqual(['空调漏水']);
    expect(segs.map((s) => s.text).join('').length).toBeLessThanOrEqual(62);
  });
  it('counts how much of a question a text covers', () => {
    expect(coverage('室内机漏水', ['空调', '漏水'])).toBe(0.5);
    expect(coverage('', [])).toBe(0);
  });
});

describe('markdown', () => {
  const src = '# 标题\n\n第一段<b>粗</b>。\n\n## 步骤\n\n1. 关机\n2. 清洗滤网\n\n[危险](javascript:alert(1))';
  it('escapes raw HTML and drops script links', () => {
    const html = renderMarkdown(src);
    expect(html).toContain('&lt;b&gt;粗&lt;/b&gt;');
    // Left as the text it was typed as, never a link.
    expect(html).not.toMatch(/href="javascript/);
    expect(html).not.toContain('<a ');
  });
  it('cuts passages at headings and keeps blocks whole', () => {
    expect(passages(src)).toEqual([
      { heading: '标题', text: '第一段<b>粗</b>。' },
      { heading: '步骤', text: '关机\n清洗滤网\n[危险](javascript:alert(1))' },
    ]);
    expect(plainText('**粗体** 和 `代码`')).toBe('粗体 和 代码');
  });
});

describe('assistant decisions', () => {
  it('knows when someone wants a person and which product a question names', () => {
    expect(wantsPerson('转人工')).toBe(true);
    expect(wantsPerson('I want a human')).toBe(true);
    expect(wantsPerson('空调漏水')).toBe(false);
    expect(lineNamed('热水器显示E4')).toBe('water_heater');
    expect(lineNamed('显示E4')).toBeNull();
  });
  it('answers, asks once, or hands over', () => {
    const strong = [{ articleId: 1, productLine: 'ac', coverage: 1 }];
    expect(decide('空调漏水', strong, { clarified: false, lineKnown: true })).toEqual({ kind: 'answer', best: 0, confident: true });
    const split = [
      { articleId: 1, productLine: 'washer', coverage: 1 },
      { articleId: 2, productLine: 'water_heater', coverage: 1 },
    ];
    expect(decide('显示E4', split, { clarified: false, lineKnown: false })).toEqual({ kind: 'clarify', lines: ['washer', 'water_heater'] });
    expect(decide('显示E4', split, { clarified: true, lineKnown: false }).kind).toBe('answer');
    expect(decide('随便', [{ articleId: 1, productLine: null, coverage: 0.1 }], { clarified: false, lineKnown: false })).toEqual({ kind: 'handover', reason: 'no_match' });
    expect(decide('人工客服', strong, { clarified: false, lineKnown: true })).toEqual({ kind: 'handover', reason: 'asked_for_person' });
  });
  it('drafts the hand-over from the conversation', () => {
    const d = handoverDraft([{ from: 'customer', text: '热水器不出热水' }, { from: 'assistant', text: '…' }, { from: 'customer', text: '转人工' }], { customer: '客户', assistant: '智能客服' });
    expect(d).toEqual({ title: '热水器不出热水', description: '客户：热水器不出热水\n智能客服：…\n客户：转人工' });
  });
});
