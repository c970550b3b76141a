// Parsing of the request headers the API gives meaning to: If-Match (ticket version) and Idempotency-Key.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Invalid } from './errors.js';

/** Documented in OpenAPI; looseObject keeps the other headers untouched. */
export const WriteHeaders = z.looseObject({
  'if-match': z.string().max(100).optional().describe('The version from ETag; a stale version gets 409'),
});
export const CreateHeaders = z.looseObject({
  'idempotency-key': z.string().max(200).optional().describe('Retrying with the same key returns the same ticket'),
});

/** `"3"`, `W/"3"` or `3` → 3; absent → undefined; anything else is a 400 naming the header. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = typeof raw === 'string' ? /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw) : null;
  if (!m) throw Invalid({ 'if-match': 'field.invalid_version' });
  return Number(m[1]);
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) throw Invalid({ 'idempotency-key': 'field.invalid_key' });
  return raw;
}
