// What every service receives: the database, the clock and the configuration. Tests swap the clock to move time.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now() {
    return this.current;
  }
  set(ms: number) {
    this.current = ms;
  }
  advance(ms: number) {
    this.current += ms;
  }
}

/** The caches a service keeps of rarely changed tables; an edit on one thread clears them on the other (writers/pool.ts). */
export type CacheName = 'directory' | 'routing' | 'sla' | 'categories' | 'webhooks' | 'settings' | 'messages';

export interface AppContext {
  db: Database;
  clock: Clock;
  config: Config;
  log: FastifyBaseLogger;
  /**
   * Told after this thread's services cleared a cache because its table changed, so the write worker (which creates
   * tickets from the same caches) clears its own before its next create. Unset where nothing else needs to know.
   */
  cacheChanged?: (cache: CacheName) => void;
}
