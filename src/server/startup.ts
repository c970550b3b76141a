// Run-time start failures as one line that names the setting to fix (DATA_DIR, DATABASE_URL, PORT, HOST): an operator
// who starts the server wrong needs the fix, not a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './db/files.js';

/** A start failure whose message already says what to fix. */
export class StartupError extends Error {}

const errCode = (e: unknown): string => String((e as { code?: unknown })?.code ?? '');
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** The data directory must exist (or be creatable) and take a file: the SQLite database and attachments live there. */
export function checkDataDir(dataDir: string): void {
  const probe = path.join(dataDir, `.write-test-${process.pid}`);
  try {
    ensurePrivateDir(dataDir);
    fs.writeFileSync(probe, '', { mode: PRIVATE_FILE_MODE });
    fs.rmSync(probe);
  } catch (e) {
    throw new StartupError(
      `Cannot start: DATA_DIR ${dataDir} is not a writable directory (${errCode(e) || errText(e)}). Set DATA_DIR to a directory this user can write, or fix its permissions.`,
    );
  }
}

/** DATABASE_URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

// Connection-level failures of PostgreSQL: network errors, and server answers about the database or the login
// (SQLSTATE classes 08 connection, 28 authorization, 3D missing database, 57P03 starting up).
const PG_CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);
const SQLITE_OPEN_ERRORS = new Set(['SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_CORRUPT', 'SQLITE_FULL', 'SQLITE_IOERR', 'EACCES', 'EROFS', 'ENOSPC']);

/** Opening and migrating the database failed: the line to print, or null for a failure that is not about the settings. */
export function explainDatabaseFailure(e: unknown, config: Pick<Config, 'databaseUrl' | 'dataDir'>): string | null {
  const code = errCode(e);
  if (config.databaseUrl) {
    const where = redactedUrl(config.databaseUrl);
    if (code === '3D000') return `Cannot start: the database in DATABASE_URL (${where}) does not exist. Create it (createdb) or fix DATABASE_URL.`;
    if (code.startsWith('28')) return `Cannot start: PostgreSQL refused the login in DATABASE_URL (${where}): ${errText(e)}. Fix the user or password in DATABASE_URL.`;
    if (PG_CONNECTION_ERRORS.has(code) || code.startsWith('08') || e instanceof AggregateError) {
      return `Cannot start: cannot reach the database in DATABASE_URL (${where}): ${code || errText(e)}. Check that PostgreSQL is running and DATABASE_URL is right.`;
    }
    return null;
  }
  if (SQLITE_OPEN_ERRORS.has(code)) {
    return `Cannot start: cannot open the database file in DATA_DIR (${path.join(config.dataDir, 'aftercare.db')}): ${errText(e)} (${code}). Check DATA_DIR and the file's permissions and free space.`;
  }
  return null;
}

/** app.listen failed: the line to print, or null. */
export function explainListenFailure(e: unknown, config: Pick<Config, 'port' | 'host'>): string | null {
  const code = errCode(e);
  if (code === 'EADDRINUSE') return `Cannot start: PORT ${config.port} is already in use on ${config.host}. Stop the other server or set PORT to a free port.`;
  if (code === 'EACCES') return `Cannot start: PORT ${config.port} needs privileges this user lacks. Set PORT to a port above 1023.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Cannot start: HOST ${config.host} is not an address of this machine (${code}). Set HOST to one (127.0.0.1, or 0.0.0.0 for every interface).`;
  }
  return null;
}
