// The data directory holds the database and customers' attachments: only the server's own user may read it.
// Directories are created 0700 and files 0600; what an older version created more openly is tightened at start.
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) 0700, or narrows an existing one to 0700 (left as it is if not ours to change). */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  narrow(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty with 0600 if missing, or narrows an existing one to 0600. */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  narrow(file, PRIVATE_FILE_MODE);
}

/** Narrows an existing file or directory to `mode`; a missing one is fine. */
export function narrowIfExists(p: string, mode: number): void {
  if (fs.existsSync(p)) narrow(p, mode);
}

function narrow(p: string, mode: number) {
  try {
    if ((fs.statSync(p).mode & 0o777) !== mode) fs.chmodSync(p, mode);
  } catch {
    // Owned by someone else (a shared mount): the operator's permissions stay; it still works.
  }
}
