// Sends the outbox (outbox.ts) when the phone has a network: at once after each queued item, on the browser's
// `online` event, and after a back-off when a send failed for want of one. Items go in order within their group, each
// with its Idempotency-Key, so a send whose answer was lost is simply sent again. The server's answer replaces the
// local state (`onAnswer`); a conflict or refusal stays in the outbox, shown with what the server has, until the
// engineer retries or discards it. One engine per signed-in user; the page subscribes to its items.
import { currentApiLanguage, currentCsrfToken } from '../../../api/client.js';
import { afterFailure, classify, jsonBody, nextToSend, nextWake, retryItem, type QueuedRequest } from './outbox.js';
import { nextSeq, outboxStore } from './store.js';

export type NewItem = Omit<QueuedRequest, 'id' | 'seq' | 'userId' | 'state' | 'attempts' | 'nextAttemptAt' | 'problem'>;
type Answer = { status: number; data: unknown };

/** One HTTP attempt; status 0 when no answer came (offline, connection lost). */
async function send(item: QueuedRequest): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentApiLanguage(), 'Idempotency-Key': item.id };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let body: BodyInit;
  if (item.body.kind === 'json') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(jsonBody(item));
  } else {
    const form = new FormData();
    for (const p of item.body.parts) {
      if ('blob' in p) form.append(p.name, p.blob, p.filename);
      else form.append(p.name, p.value);
    }
    body = form;
  }
  let res: Response;
  try {
    res = await fetch(`/api${item.url}`, { method: item.method, headers, body, credentials: 'same-origin' });
  } catch {
    return { status: 0, data: undefined };
  }
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  return { status: res.status, data };
}

const newId = (): string => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

export class FieldSync {
  private items: QueuedRequest[] = [];
  private listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Called with each accepted item and the server's answer (a step answers the visit). */
  onAnswer: (item: QueuedRequest, data: unknown) => void = () => {};
  /** Called when a round ends: the page reads the server's state again. */
  onRoundEnd: (sentAny: boolean) => void = () => {};
  readonly loaded: Promise<void>;

  constructor(private readonly userId: number) {
    this.loaded = outboxStore.list(userId).then((items) => {
      this.items = items;
      this.emit();
    });
    window.addEventListener('online', this.kick);
  }

  snapshot = (): readonly QueuedRequest[] => this.items;
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  private emit() {
    this.items = [...this.items];
    for (const fn of this.listeners) fn();
  }

  async enqueue(item: NewItem): Promise<QueuedRequest> {
    await this.loaded;
    const full: QueuedRequest = { ...item, id: newId(), seq: nextSeq(), userId: this.userId, state: 'pending', attempts: 0, nextAttemptAt: 0 };
    // Stored before anything is sent: a press survives a reload or a crash from here on.
    await outboxStore.put(full);
    this.items.push(full);
    this.emit();
    this.kick();
    return full;
  }

  /** The engineer sends a conflicted or refused item again (against the server's version of the visit, if given). */
  async retry(id: string, serverVersion?: number): Promise<void> {
    const next = retryItem(this.items, id, serverVersion);
    const changed = next.filter((i, k) => i !== this.items[k]);
    await outboxStore.putAll(changed);
    this.items = next;
    this.emit();
    this.kick();
  }

  /** The engineer drops an item explicitly (nothing is ever dropped otherwise). */
  async discard(id: string): Promise<void> {
    await outboxStore.remove(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.emit();
    this.kick();
  }

  /** Start a round now (a new item, the `online` event, a back-off that ended). */
  kick = (): void => {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  };

  private async round(): Promise<void> {
    await this.loaded;
    clearTimeout(this.timer);
    let sentAny = false;
    for (;;) {
      const item = nextToSend(this.items, Date.now());
      if (!item) break;
      const answer = await send(item);
      const outcome = classify(answer.status);
      if (outcome === 'done') {
        await outboxStore.remove(item.id);
        this.items = this.items.filter((i) => i.id !== item.id);
        sentAny = true;
        this.onAnswer(item, answer.data);
        this.emit();
        continue;
      }
      const error = (answer.data as { error?: { code?: string; message?: string } } | undefined)?.error;
      const problem = { status: answer.status, code: error?.code ?? (answer.status === 0 ? 'network' : 'unknown'), message: error?.message ?? '' };
      const updated = afterFailure(item, outcome, Date.now(), problem, Math.random());
      await outboxStore.put(updated);
      this.items = this.items.map((i) => (i.id === item.id ? updated : i));
      this.emit();
      // No network or signed out: the other items would fail the same way; wait for the back-off or `online`.
      if (outcome === 'retry' || outcome === 'signed_out') break;
    }
    const wake = nextWake(this.items, Date.now());
    if (wake !== undefined) this.timer = setTimeout(this.kick, Math.max(0, wake - Date.now()));
    this.onRoundEnd(sentAny);
  }
}

const engines = new Map<number, FieldSync>();
/** The signed-in user's engine (one per user, kept for the page's lifetime). */
export function fieldSync(userId: number): FieldSync {
  let e = engines.get(userId);
  if (!e) engines.set(userId, (e = new FieldSync(userId)));
  return e;
}
