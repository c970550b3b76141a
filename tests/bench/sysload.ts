// How much CPU other processes used while we measured: the machine may be shared, and a busy neighbour skews figures.
import fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

interface Sample {
  at: number;
  busyTicks: number;
  ownTicks: number;
}

function sample(): Sample | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busyTicks = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + (cpu[7] ?? 0);
    // /proc/self/stat: the command may contain spaces, so split after the closing parenthesis; utime and stime are fields 14 and 15.
    const self = fs.readFileSync('/proc/self/stat', 'utf8');
    const rest = self.slice(self.lastIndexOf(')') + 2).split(' ');
    const ownTicks = Number(rest[11]) + Number(rest[12]);
    return { at: performance.now(), busyTicks, ownTicks };
  } catch {
    return null;
  }
}

export interface CpuUse {
  /** CPU used by this process (server thread + load generator), in cores. */
  ownCores: number;
  /** CPU used by everything else on the machine, in cores. */
  otherCores: number;
}

export function startCpuWatch(): () => CpuUse | null {
  const a = sample();
  return () => {
    const b = sample();
    if (!a || !b) return null;
    const seconds = (b.at - a.at) / 1000;
    if (seconds <= 0) return null;
    const own = (b.ownTicks - a.ownTicks) / TICKS_PER_S / seconds;
    const all = (b.busyTicks - a.busyTicks) / TICKS_PER_S / seconds;
    return { ownCores: own, otherCores: Math.max(0, all - own) };
  };
}

/**
 * A fixed piece of CPU work (JSON and string handling, like a request's), timed in ms: on a shared or virtual
 * machine the same work can take very different times from one minute to the next, and this makes that visible.
 */
export function cpuCheckMs(): number {
  const doc = { title: '客厅空调突然不制冷了，请尽快处理', description: '您好，空调开了3个小时还是不制冷，出风口吹的是热风。'.repeat(3), n: 0 };
  const run = (count: number) => {
    let acc = 0;
    for (let i = 0; i < count; i++) {
      doc.n = i;
      const text = JSON.stringify(doc);
      acc += (JSON.parse(text) as { title: string }).title.length + text.normalize('NFKC').length;
    }
    return acc;
  };
  run(2000); // warm up
  const t = performance.now();
  run(20_000);
  return performance.now() - t;
}
