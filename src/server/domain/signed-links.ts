// Signed links: a customer follows one ticket, answers one survey, without an account (issue 15). The link carries
// what it opens and until when, and an HMAC-SHA256 over that with the installation's secret; nothing is stored per
// link, so a link cannot be listed or guessed, and changing what it names breaks the signature. Pure: the secret is
// passed in (modules/links keeps it in the database, so every node of a PostgreSQL cluster signs alike).
import crypto from 'node:crypto';

/** What a link opens. A token signed for one purpose is refused for any other. */
export type LinkPurpose = 'ticket' | 'survey' | 'unsubscribe';

export interface LinkClaims {
  purpose: LinkPurpose;
  /** The id it opens: a ticket id for 'ticket' and 'survey', a customer id for 'unsubscribe'. */
  subject: number;
  /** Expiry, epoch ms. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'signature' | 'purpose' | 'expired' };

const b64 = (buf: Buffer) => buf.toString('base64url');

function mac(secret: Buffer, body: string): Buffer {
  return crypto.createHmac('sha256', secret).update(body).digest();
}

/** `p.s.e.sig`: purpose, subject and expiry (seconds, base 36) in clear text, so a log line says what a link was for. */
export function signLink(secret: Buffer, claims: LinkClaims): string {
  if (!Number.isSafeInteger(claims.subject) || claims.subject <= 0) throw new RangeError(`link subject must be a positive id, got ${claims.subject}`);
  const body = `${claims.purpose}.${claims.subject.toString(36)}.${Math.ceil(claims.expiresAt / 1000).toString(36)}`;
  // 16 bytes of the MAC: 128 bits is far beyond guessing over HTTP, and keeps links short enough for an SMS.
  return `${body}.${b64(mac(secret, body).subarray(0, 16))}`;
}

export function verifyLink(secret: Buffer, token: string, purpose: LinkPurpose, now: number): LinkCheck {
  if (typeof token !== 'string' || token.length > 200) return { ok: false, reason: 'malformed' };
  const m = /^([a-z]+)\.([0-9a-z]{1,12})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const body = `${m[1]}.${m[2]}.${m[3]}`;
  const given = Buffer.from(m[4], 'base64url');
  const want = mac(secret, body).subarray(0, 16);
  if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return { ok: false, reason: 'signature' };
  if (m[1] !== purpose) return { ok: false, reason: 'purpose' };
  const subject = parseInt(m[2], 36);
  const expiresAt = parseInt(m[3], 36) * 1000;
  if (!Number.isSafeInteger(subject) || subject <= 0) return { ok: false, reason: 'malformed' };
  if (now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { purpose, subject, expiresAt } };
}
