import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signLink, verifyLink } from './signed-links.js';

const secret = Buffer.from('0123456789abcdef0123456789abcdef');
const now = Date.parse('2026-12-05T10:00:00Z');
const DAY = 86_400_000;

describe('signed links', () => {
  it('opens what it was signed for until it expires', () => {
    const token = signLink(secret, { purpose: 'ticket', subject: 4711, expiresAt: now + 30 * DAY });
    expect(verifyLink(secret, token, 'ticket', now)).toEqual({ ok: true, claims: { purpose: 'ticket', subject: 4711, expiresAt: now + 30 * DAY } });
    expect(verifyLink(secret, token, 'ticket', now + 30 * DAY)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink(secret, token, 'survey', now)).toEqual({ ok: false, reason: 'purpose' });
    expect(token.length).toBeLessThan(60);
  });

  it('refuses another secret, an edited subject and junk', () => {
    const token = signLink(secret, { purpose: 'survey', subject: 12, expiresAt: now + DAY });
    expect(verifyLink(Buffer.from('another secret, another install'), token, 'survey', now)).toEqual({ ok: false, reason: 'signature' });
    const [p, , e, sig] = token.split('.');
    expect(verifyLink(secret, `${p}.${(13).toString(36)}.${e}.${sig}`, 'survey', now)).toEqual({ ok: false, reason: 'signature' });
    for (const junk of ['', 'x', `${token}x`, token.replace(/\./g, '_'), '../../etc/passwd', 'a'.repeat(500)]) expect(verifyLink(secret, junk, 'survey', now).ok).toBe(false);
  });

  it('never verifies a token it did not sign (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(verifyLink(secret, s, 'ticket', now).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 400 }), (subject, days) => {
        const t = signLink(secret, { purpose: 'ticket', subject, expiresAt: now + days * DAY });
        const r = verifyLink(secret, t, 'ticket', now);
        expect(r.ok && r.claims.subject).toBe(subject);
      }),
    );
  });
});
