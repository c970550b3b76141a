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
  /** Requests answered during the profile, to express time per request. */
  requests: number;
  byArea: ProfileShare[];
  byFunction: ProfileShare[];
  /**
   * Kysely's self time by the app function (src/…) nearest above it on the stack: who built and compiled the statements.
   * (Statement execution runs after an await, without the caller on the stack, so it is not in here.)
   */
  kyselyByCaller: ProfileShare[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

export const SQLITE_STATEMENTS = 'SQLite statements (better-sqlite3 run/all/get)';
export const SQLITE_EXEC = 'SQLite BEGIN/SAVEPOINT/RELEASE/COMMIT (exec; COMMIT waits for fsync)';

/** Path of a frame's file from its package (node_modules/…) or from the repository root (src/…, tests/…). */
function fileOf(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  for (const root of ['/src/', '/tests/']) {
    const at = url.indexOf(root);
    if (at >= 0) return url.slice(at + 1).replace(/\?.*$/, '');
  }
  return url;
}

/**
 * The package or source file a frame belongs to; native frames by their function name. Time inside better-sqlite3's
 * C++ statement calls is partly attributed by V8 to the JavaScript caller — Kysely's SqliteConnection.executeQuery,
 * which does little else, or the benchmark's own statement counters — so those frames are counted as SQLite.
 */
export function areaOf(frame: CpuProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) {
    if (functionName === 'run' || functionName === 'all' || functionName === 'get' || functionName === 'iterate') return SQLITE_STATEMENTS;
    if (functionName === 'exec') return SQLITE_EXEC;
    return `native ${functionName || '(anonymous)'}()`;
  }
  if (url.startsWith('node:')) return 'node core (HTTP, streams, events)';
  if (functionName === 'executeQuery' && url.includes('/kysely/') && url.includes('sqlite-driver')) return SQLITE_STATEMENTS;
  // The statement counters of tests/bench/server-worker.ts wrap the same native calls.
  if (functionName === 'countedStatementCall') return SQLITE_STATEMENTS;
  if (functionName === 'countedExec') return SQLITE_EXEC;
  const file = fileOf(url);
  if (url.includes('/node_modules/')) {
    const parts = file.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return file;
}

function functionLabel(frame: CpuProfileNode['callFrame']): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  if (!frame.url) return `native ${frame.functionName || '(anonymous)'}()`;
  const where = frame.url.startsWith('node:') ? frame.url : fileOf(frame.url);
  return `${frame.functionName || '(anonymous)'} — ${where}:${frame.lineNumber + 1}`;
}

export function summarizeProfile(profile: CpuProfile, requests: number, top = 25): ProfileSummary {
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
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const callers = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const label = functionLabel(node.callFrame);
    fns.set(label, (fns.get(label) ?? 0) + us);
    if (area === 'kysely') {
      let up = parent.get(id);
      let caller = '(no app function on the stack)';
      for (; up !== undefined; up = parent.get(up)) {
        const frame = byId.get(up)?.callFrame;
        if (frame && frame.url.includes('/src/') && !frame.url.includes('/node_modules/')) {
          caller = `${frame.functionName || '(anonymous)'} — ${fileOf(frame.url)}`;
          break;
        }
      }
      callers.set(caller, (callers.get(caller) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, share: us / total, ms: us / 1000 }));
  return { totalMs: total / 1000, requests, byArea: rank(areas), byFunction: rank(fns), kyselyByCaller: rank(callers) };
}
