// When the outbox tries a failed delivery again: exponential back-off, capped, with a final give-up. Pure.

/** After this many failed attempts a delivery is marked failed and never tried again. */
export const MAX_DELIVERY_ATTEMPTS = 10;

const MINUTE = 60_000;
/** Delay after the 1st, 2nd, … failure; the last value repeats. */
const BACKOFF_MS = [30_000, 2 * MINUTE, 10 * MINUTE, 60 * MINUTE, 3 * 60 * MINUTE, 6 * 60 * MINUTE];

/** The wait before the next attempt after `failures` failed attempts (1-based): 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 6 h … */
export function retryDelay(failures: number): number {
  const i = Math.min(Math.max(failures, 1), BACKOFF_MS.length) - 1;
  return BACKOFF_MS[i];
}

/** What to store after an attempt failed: the next try, or the give-up. */
export function afterFailure(attemptsSoFar: number, now: number): { failed: true } | { failed: false; nextAttemptAt: number } {
  if (attemptsSoFar >= MAX_DELIVERY_ATTEMPTS) return { failed: true };
  return { failed: false, nextAttemptAt: now + retryDelay(attemptsSoFar) };
}

/** Errors are stored for the admin page; keep them short. */
export function truncateError(message: string, max = 500): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
