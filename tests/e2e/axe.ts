// axe-core for the e2e tests: the page's critical and serious violations (the context must be
// created with bypassCSP, since axe is injected as an inline script the app's CSP refuses).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** `within`: a selector to check only part of the page (the portal's <main>: its header is the portal shell's). */
export async function seriousAxeViolations(page: Page, within?: string): Promise<{ id: string; nodes: string[] }[]> {
  await page.addScriptTag({ content: AXE });
  const all = await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: Element | Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const r = await axe.run(sel ? document.querySelector(sel)! : document, { resultTypes: ['violations'] });
    // A few of each violation's elements, with what axe says is wrong there: enough to know what to fix.
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`) }));
  }, within ?? null);
  return all.filter((v) => v.impact === 'critical' || v.impact === 'serious').map(({ id, nodes }) => ({ id, nodes }));
}
