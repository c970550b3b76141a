// Building blocks of the API contract: free text, ids, dates, paging, a user reference. schemas.ts re-exports them;
// per-capability contracts (surveys.ts …) import them from here, because schemas.ts also re-exports those contracts.
import { z } from 'zod';

// Control characters (other than tab / newline / carriage return) and NUL break terminals, logs and PostgreSQL text columns.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A lone surrogate cannot be stored as UTF-8 without silent replacement; refuse it instead of changing what the user typed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Free text of at most `max` characters; trimmed; no control characters. */
export function text(max: number, min = 0) {
  let s = z.string().trim().max(max);
  if (min > 0) s = s.min(min);
  return s
    .refine((v) => !CONTROL_CHARS.test(v), { message: 'control_chars' })
    .refine((v) => !LONE_SURROGATE.test(v), { message: 'invalid_unicode' });
}

/** Multi-line text: like text(), but keeps inner newlines. */
export const longText = (max: number, min = 0) => text(max, min);

export const id = z.coerce.number().int().min(1).max(2_147_483_647);
export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
export const ticketNumber = z.string().regex(/^\d{9,14}$/);
export const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[+\d][\d\s\-()]*$/, { message: 'phone_format' });
export const email = z.string().trim().max(200).pipe(z.email());

export const Cursor = z.string().max(500).regex(/^[A-Za-z0-9_-]+$/);
export const Limit = z.coerce.number().int().min(1).max(200).default(50);

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const UserRef = z.object({ id: z.number(), name: z.string() });
export type UserRef = z.infer<typeof UserRef>;
