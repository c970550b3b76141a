// Portal sign-in with a one-time code (issue 15): what the visitor typed → the channel and the normalised target, and
// the keyed hash a code is stored as. Pure: the key and the randomness come from the caller.
import crypto from 'node:crypto';
import { phoneDigits } from './contact.js';

/** A code opens a session for this long after it was sent. */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong codes a target may try against its live codes before they die (a new code must be asked for). */
export const CODE_MAX_ATTEMPTS = 5;
/** Codes asked for one target (and, apart, from one address) per window: each is an SMS or an e-mail someone pays for. */
export const CODE_REQUESTS_PER_TARGET = 5;
export const CODE_REQUESTS_PER_ADDRESS = 20;
export const CODE_REQUEST_WINDOW_MS = 15 * 60_000;
/** Sign-in attempts (code checks) per target and per address per minute, on top of CODE_MAX_ATTEMPTS. */
export const SIGNIN_ATTEMPTS_PER_MINUTE = 10;

export interface SignInTarget {
  channel: 'sms' | 'email';
  /** `email:<lower-cased address>` or `phone:<digits>`: the key codes, limits and accounts are found by. */
  key: string;
  /** The address as a message is sent to it: the e-mail address or the phone's digits. */
  address: string;
}

// Deliberately loose (one @, a dot in the domain, no spaces): the code's arrival is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/** An e-mail address or a phone number (mainland mobile 11 digits, or 6–15 digits with a country code); else null. */
export function signInTarget(input: string): SignInTarget | null {
  const v = input.normalize('NFKC').trim();
  if (v.includes('@')) {
    const email = v.toLowerCase();
    return EMAIL.test(email) ? { channel: 'email', key: `email:${email}`, address: email } : null;
  }
  if (!/^[+\d\s()-]+$/.test(v)) return null;
  const digits = phoneDigits(v);
  if (!digits || digits.length < 6 || digits.length > 15) return null;
  return { channel: 'sms', key: `phone:${digits}`, address: digits };
}

/** A six-digit code, uniform (randomInt avoids the modulo bias of a byte taken mod 10⁶). */
export function newCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: HMAC over the target and the code, so a code is worth nothing for another target. */
export function codeHash(key: Buffer, target: string, code: string): string {
  return crypto.createHmac('sha256', key).update(`${target}\n${code}`).digest('base64url');
}

/** Compares a typed code with a stored hash in constant time. */
export function codeMatches(key: Buffer, target: string, code: string, stored: string): boolean {
  const a = Buffer.from(codeHash(key, target, code));
  const b = Buffer.from(stored);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
