// Typed errors raised by services, and the one place that maps every error to an HTTP status and a translated JSON body.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode, Language } from '../../shared/enums.js';
import { languageOf, t } from './messages.js';

type Params = Record<string, string | number>;
/** field name → message key (+ params) */
export type FieldErrors = Record<string, string | { key: string; params?: Params }>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly messageKey: string,
    readonly params: Params = {},
    readonly fields?: FieldErrors,
  ) {
    super(messageKey);
  }
}

export const NotFound = (messageKey = 'error.not_found', params: Params = {}) => new AppError(404, 'not_found', messageKey, params);
export const Forbidden = (messageKey = 'error.forbidden', params: Params = {}) => new AppError(403, 'forbidden', messageKey, params);
export const Unauthenticated = (messageKey = 'error.unauthenticated') => new AppError(401, 'unauthenticated', messageKey);
export const Conflict = (code: ErrorCode, messageKey: string, params: Params = {}) => new AppError(409, code, messageKey, params);
export const Invalid = (fields: FieldErrors) => new AppError(400, 'validation_failed', 'error.validation_failed', {}, fields);

// Storage that cannot take a write: the disk (or the user's quota) is full → 507; the data directory or database is
// read-only, or its file cannot be opened → 503. Nothing is acknowledged in either case (a write is answered only
// after its COMMIT, an attachment only after its fsync and its row), so the client may retry once it is fixed.
const STORAGE_FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']);
const STORAGE_READONLY = new Set(['EROFS', 'SQLITE_CANTOPEN', 'SQLITE_PERM', '25006']);

/** The 507 / 503 for a storage error (also one carried as another error's cause), or null. */
export function storageError(e: unknown): AppError | null {
  for (let err = e, depth = 0; err && depth < 5; err = (err as { cause?: unknown }).cause, depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (STORAGE_FULL.has(code)) return new AppError(507, 'insufficient_storage', 'error.storage_full');
    if (STORAGE_READONLY.has(code) || code.startsWith('SQLITE_READONLY')) return new AppError(503, 'unavailable', 'error.storage_readonly');
  }
  return null;
}

/** A request part (body, query, params, headers) that failed its zod schema. */
export class RequestValidationError extends Error {
  constructor(
    readonly issues: z.core.$ZodIssue[],
    readonly part: string,
  ) {
    super('request validation failed');
  }
}

function issueMessage(lang: Language, issue: z.core.$ZodIssue & { input?: unknown }): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return t(lang, 'field.required');
      return t(lang, 'field.invalid_type', { expected: t(lang, `type.${issue.expected}`) });
    case 'too_big':
      if (issue.origin === 'string') return t(lang, 'field.too_long', { max: Number(issue.maximum) });
      if (issue.origin === 'array') return t(lang, 'field.too_many', { max: Number(issue.maximum) });
      return t(lang, 'field.too_big', { max: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) === 1 ? t(lang, 'field.too_short_required') : t(lang, 'field.too_short', { min: Number(issue.minimum) });
      return t(lang, 'field.too_small', { min: Number(issue.minimum) });
    case 'invalid_value':
      return t(lang, 'field.invalid_option', { options: issue.values.map(String).join(', ') });
    case 'invalid_format':
      if (issue.format === 'datetime') return t(lang, 'field.invalid_datetime');
      if (issue.format === 'date') return t(lang, 'field.invalid_date');
      if (issue.format === 'email') return t(lang, 'field.invalid_email');
      if (issue.format === 'regex' && issue.message && `field.${issue.message}` !== issue.message) {
        const key = `field.${issue.message}`;
        const translated = t(lang, key);
        if (translated !== key) return translated;
      }
      return t(lang, 'field.invalid_format');
    case 'custom': {
      const key = `field.${issue.message}`;
      const translated = t(lang, key);
      return translated !== key ? translated : t(lang, 'field.invalid');
    }
    default:
      return t(lang, 'field.invalid');
  }
}

function fieldName(part: string, path: PropertyKey[]): string {
  const p = path.map(String).join('.');
  if (part === 'body') return p || '_body';
  return p ? p : `_${part}`;
}

function send(reply: FastifyReply, status: number, code: string, message: string, fields?: Record<string, string>) {
  const body: { error: { code: string; message: string; fields?: Record<string, string> } } = { error: { code, message } };
  if (fields && Object.keys(fields).length > 0) body.error.fields = fields;
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

export function requestLanguage(request: FastifyRequest): Language {
  return languageOf(request.headers['accept-language']);
}

const STATUS_CODES: Record<number, [ErrorCode, string]> = {
  400: ['validation_failed', 'error.validation_failed'],
  401: ['unauthenticated', 'error.unauthenticated'],
  403: ['forbidden', 'error.forbidden'],
  404: ['not_found', 'error.not_found'],
  406: ['validation_failed', 'error.validation_failed'],
  409: ['conflict', 'error.conflict'],
  413: ['payload_too_large', 'error.payload_too_large'],
  415: ['unsupported_media_type', 'error.unsupported_media_type'],
  429: ['rate_limited', 'error.rate_limited'],
};

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | RequestValidationError, request, reply) => {
    const lang = requestLanguage(request);
    if (error instanceof AppError) {
      let fields: Record<string, string> | undefined;
      if (error.fields) {
        fields = {};
        for (const [name, v] of Object.entries(error.fields)) {
          fields[name] = typeof v === 'string' ? t(lang, v) : t(lang, v.key, v.params);
        }
      }
      return send(reply, error.status, error.code, t(lang, error.messageKey, error.params), fields);
    }
    if (error instanceof RequestValidationError) {
      const fields: Record<string, string> = {};
      for (const issue of error.issues) {
        const name = fieldName(error.part, issue.path);
        if (!(name in fields)) fields[name] = issueMessage(lang, issue as z.core.$ZodIssue & { input?: unknown });
      }
      return send(reply, 400, 'validation_failed', t(lang, 'error.validation_failed'), fields);
    }
    // Data errors raised by PostgreSQL for input a schema let through (e.g. a NUL byte): the input is at fault.
    const dbCode = (error as { code?: unknown }).code;
    if (typeof dbCode === 'string' && ['22021', '22P05', '22001', '22P02', '22003', '22007', '22008'].includes(dbCode)) {
      request.log.warn({ err: error }, 'input refused by the database');
      return send(reply, 400, 'validation_failed', t(lang, 'error.validation_failed'));
    }
    const storage = storageError(error);
    if (storage) {
      request.log.error({ err: error }, 'storage refused a write');
      return send(reply, storage.status, storage.code, t(lang, storage.messageKey));
    }
    const fe = error as FastifyError;
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const [code, key] = STATUS_CODES[status] ?? ['validation_failed', 'error.validation_failed'];
      const badJson = fe.code === 'FST_ERR_CTP_INVALID_JSON' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError;
      if (status === 400 && badJson) return send(reply, 400, 'validation_failed', t(lang, 'error.bad_json'), { _body: t(lang, 'error.bad_json') });
      if (status === 400 && /prototype|constructor/i.test(fe.message)) return send(reply, 400, 'validation_failed', t(lang, 'error.bad_json'), { _body: t(lang, 'error.bad_json') });
      return send(reply, status, code, t(lang, key));
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'internal', t(lang, 'error.internal'));
  });

  app.setNotFoundHandler((request, reply) => {
    const lang = requestLanguage(request);
    const url = request.url.split('?')[0].slice(0, 200);
    return send(reply, 404, 'not_found', t(lang, 'error.route_not_found', { method: request.method, url }));
  });
}
