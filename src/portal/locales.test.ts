// The portal's texts: every capability's zh-CN and English trees have the same keys, no text is empty, and every
// literal key the portal's source uses with t('…') exists. Runs under Vitest (import.meta.glob is Vite's).
import { describe, expect, it } from 'vitest';
import { portalResources } from './i18n.js';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const PLURAL = /_(zero|one|two|few|many|other)$/;

describe('portal locales', () => {
  const r = portalResources();
  const zh = flatten(r['zh-CN']);
  const en = flatten(r.en);

  it('zh-CN and English have the same keys and no empty text', () => {
    const zhKeys = new Set([...zh.keys()].map((k) => k.replace(PLURAL, '')));
    const enKeys = new Set([...en.keys()].map((k) => k.replace(PLURAL, '')));
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zh, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it("every literal key in the portal's source exists", () => {
    const sources = import.meta.glob<string>(['./**/*.tsx', './**/*.ts', '!./**/*.test.ts'], { eager: true, query: '?raw', import: 'default' });
    const missing: string[] = [];
    const keys = new Set([...zh.keys()].map((k) => k.replace(PLURAL, '')));
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) if (!keys.has(m[1]) && !zh.has(m[1])) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
