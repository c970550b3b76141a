// The machine a benchmark ran on, as printed in docs/benchmarks.md: CPU, cores, memory, Node, SQLite, file system.
import fs from 'node:fs';
import os from 'node:os';
import BetterSqlite3 from 'better-sqlite3';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  sqlite: string;
  os: string;
  fileSystem: string;
  date: string;
}

function cpuModel(): string {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The file system type holding `dir` (longest matching mount point in /proc/mounts), e.g. "ext4". */
function fileSystemOf(dir: string): string {
  try {
    let best = { mount: '', type: 'unknown' };
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ');
      if (!mount || !type) continue;
      const inside = dir === mount || dir.startsWith(mount.endsWith('/') ? mount : mount + '/');
      if (inside && mount.length >= best.mount.length) best = { mount, type };
    }
    return `${best.type} (${best.mount})`;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(dataRoot: string): MachineInfo {
  const mem = new BetterSqlite3(':memory:');
  const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  mem.close();
  return {
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    sqlite,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    fileSystem: fileSystemOf(dataRoot),
    date: new Date().toISOString(),
  };
}
