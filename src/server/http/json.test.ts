import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageJsonBytes } from './json.js';

describe('pageJsonBytes', () => {
  it('is byte for byte JSON.stringify of the page, for any text (Chinese, emoji, lone surrogates, quotes, control characters)', () => {
    const item = fc.record({ id: fc.integer(), title: fc.string({ unit: 'binary' }), note: fc.option(fc.string({ unit: 'grapheme' })), n: fc.double() });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.option(fc.string()), (items, nextCursor) => {
        const page = { items, nextCursor };
        expect(pageJsonBytes(page).equals(Buffer.from(JSON.stringify(page)))).toBe(true);
        // Through a reused buffer, larger than the page, the bytes are the same.
        expect(pageJsonBytes(page, (n) => Buffer.alloc(n + 100, 0x78)).equals(Buffer.from(JSON.stringify(page)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps lone surrogates escaped, as JSON.stringify does', () => {
    const page = { items: [{ t: 'a\ud800b', u: '\udfff', e: '😀', z: '中"\n\u0000' }], nextCursor: null };
    expect(pageJsonBytes(page).toString('utf8')).toBe(JSON.stringify(page));
  });

  it('round-trips a page larger than 64 KB of Chinese text', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: i, description: '空调室内机漏水，滴到地板上。'.repeat(20) }));
    const bytes = pageJsonBytes({ items, nextCursor: 'abc' });
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ items, nextCursor: 'abc' });
  });
});
