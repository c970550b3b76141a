// Shapes the notify module's parts share: what a caller enqueues, the senders (mail transport, fetch), the rows'
// stored JSON, and the sink a live stream writes to.
import type { NotifyEvent, TicketSummary, NotificationKind } from '../../domain/notify/index.js';
import { truncateError } from '../../domain/notify/index.js';

export interface NotificationInput {
  userIds: number[];
  kind: NotificationKind;
  ticket?: TicketSummary;
  data?: Record<string, unknown>;
  /** One logical event: enqueueing the same key again adds no row and sends nothing twice. */
  dedupeKey: string;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
  /** Threading (messages to customers): this message's id, and the thread it answers. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

export interface MailTransport {
  sendMail(msg: MailMessage): Promise<unknown>;
  close?(): void;
}

export interface FetchResponseLike {
  status: number;
  text(): Promise<string>;
  /** For a redirect's Location, which is recorded, never followed. */
  headers?: { get(name: string): string | null };
}
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<FetchResponseLike>;

export interface NotifyOptions {
  /** Mail sender; by default nodemailer over AFTERCARE_SMTP_URL. */
  transport?: MailTransport | null;
  fetch?: FetchLike;
  /** Identifies this process in LISTEN/NOTIFY messages, so it ignores its own. */
  nodeId?: string;
  maxStreamsPerUser?: number;
  pingIntervalMs?: number;
  /** Time limit of one e-mail or webhook attempt. */
  sendTimeoutMs?: number;
}

export interface OutboxPayload {
  event: NotifyEvent;
  userId?: number;
}

export type Outcome = { ok: true } | { ok: false; error: string; permanent?: boolean };

export interface StoredNotificationData {
  dedupeKey?: string;
  ticket?: TicketSummary | null;
  data?: Record<string, unknown>;
}

export interface StreamSink {
  /** Called once the stream is accepted, before the first write (send the response head here). */
  open(): void;
  write(chunk: string): void;
  end(): void;
}

export const errorText = (e: unknown) => truncateError(e instanceof Error ? e.message || e.name : String(e));

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function webhookEvents(text: string): string[] {
  const v = parseJson<unknown>(text, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
