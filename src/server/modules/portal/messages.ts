// What the portal needs of the customer-messages module (modules/messages): the sign-in code and the invitation,
// written into the outbox inside the caller's transaction. An interface, so the portal depends on these two calls only.
import type { Kysely } from 'kysely';
import type { Language } from '../../../shared/enums.js';
import type { DB } from '../../db/schema.js';

export interface LoginCodeMessage {
  channel: 'sms' | 'email';
  target: string;
  code: string;
  locale: Language;
  /** Minutes the code is valid (the message says so, and is not sent after that). */
  minutes?: number;
  customerId?: number | null;
  /** One request of the portal: a retry never sends a second message. */
  dedupeKey?: string;
}

export interface InvitationMessage {
  customerId: number;
  /** Where the invitation points (the portal's sign-in page). */
  link?: string;
  channel?: 'sms' | 'email';
  /** The account's own address on `channel` (not the customer record's, which may differ). */
  target?: string;
  key?: string;
  actorId?: number | null;
}

export interface PortalMessages {
  sendLoginCode(trx: Kysely<DB>, input: LoginCodeMessage): Promise<unknown>;
  /** The ids of the messages written: none when no channel of the customer can send now. */
  sendInvitation(trx: Kysely<DB>, input: InvitationMessage): Promise<number[]>;
}
