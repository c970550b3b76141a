// Where the outbox lives: IndexedDB (with `idb`), so queued presses and photos (Blobs, stored as they are) survive a
// reload, a closed tab and a phone restart. One object store keyed by the item id (the Idempotency-Key).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { QueuedRequest } from './outbox.js';

interface FieldDb extends DBSchema {
  outbox: { key: string; value: QueuedRequest; indexes: { user: number } };
}

let opened: Promise<IDBPDatabase<FieldDb>> | null = null;
const db = () =>
  (opened ??= openDB<FieldDb>('aftercare-field', 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('user', 'userId');
    },
  }));

export const outboxStore = {
  async list(userId: number): Promise<QueuedRequest[]> {
    return (await (await db()).getAllFromIndex('outbox', 'user', userId)).sort((a, b) => a.seq - b.seq);
  },
  async put(item: QueuedRequest): Promise<void> {
    await (await db()).put('outbox', item);
  },
  async putAll(items: QueuedRequest[]): Promise<void> {
    const tx = (await db()).transaction('outbox', 'readwrite');
    await Promise.all([...items.map((i) => tx.store.put(i)), tx.done]);
  },
  async remove(id: string): Promise<void> {
    await (await db()).delete('outbox', id);
  },
};

let last = 0;
/** Queueing order that stays increasing across reloads (time-based) and within one millisecond. */
export function nextSeq(): number {
  last = Math.max(last + 1, Date.now() * 1000);
  return last;
}
