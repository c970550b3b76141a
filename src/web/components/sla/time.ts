// One shared 1-second ticker for every countdown on the page (not one timer per row), and the server's time as
// far as the browser can tell: deadlines are the server's instants, so a countdown should run on the server clock.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let tick = Date.now();
/** Milliseconds the server's clock is known to be ahead of this browser's (never negative; see noteServerTimeAtLeast). */
let offset = 0;
let snapshot = tick + offset;

function publish() {
  const next = tick + offset;
  if (next === snapshot) return;
  snapshot = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    tick = Date.now();
    publish();
    timer = setInterval(() => {
      tick = Date.now();
      publish();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getSnapshot = () => snapshot;

/** The current server time (ms), re-rendering the caller once a second. */
export function useServerNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** The current server time (ms) without subscribing. */
export function serverNow(): number {
  return Date.now() + offset;
}

/**
 * Evidence that the server's clock reads at least `ms` now (e.g. the creation time of a notification that just
 * arrived over the live stream). Only ever moves the estimate forward, and ignores differences under 2 s (latency).
 */
export function noteServerTimeAtLeast(ms: number): void {
  if (!Number.isFinite(ms)) return;
  const ahead = ms - Date.now();
  if (ahead > offset + 2000) {
    offset = ahead;
    tick = Date.now();
    publish();
  }
}

/** For tests. */
export function resetServerTime(): void {
  offset = 0;
  tick = Date.now();
  snapshot = tick;
}
