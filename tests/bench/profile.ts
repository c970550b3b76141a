// Turns a V8 CPU profile of the server thread into "where the time goes": self time by area and by function.
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of all sampled time on the thread, idle included (0..1). */
  share: number;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: ProfileShare[];
  byFunction: ProfileShare[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** The package or source file a frame belongs to; native frames (better-sqlite3's C++ included) by their function name. */
export function areaOf(frame: CpuProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return `native ${functionName || '(anonymous)'}()`;
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1).replace(/\?.*$/, '');
  const tests = url.indexOf('/tests/');
  if (tests >= 0) return url.slice(tests + 1).replace(/\?.*$/, '');
  return url;
}

function functionLabel(frame: CpuProfileNode['callFrame']): string {
  const area = areaOf(frame);
  if (SPECIAL.has(frame.functionName) || !frame.url) return area;
  return `${frame.functionName || '(anonymous)'} — ${area}:${frame.lineNumber + 1}`;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas && profile.samples.length === profile.timeDeltas.length) {
    // timeDeltas[i] is the time before sample i; attribute the interval that follows a sample to it.
    for (let i = 0; i < profile.samples.length; i++) {
      const dt = profile.timeDeltas[i + 1] ?? 0;
      selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else {
    const hits = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0) || 1;
    const per = (profile.endTime - profile.startTime) / hits;
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const label = functionLabel(node.callFrame);
    fns.set(label, (fns.get(label) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, share: us / total, ms: us / 1000 }));
  return { totalMs: total / 1000, byArea: rank(areas), byFunction: rank(fns) };
}
