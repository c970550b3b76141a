// Environment -> typed, validated configuration. A bad value stops the start with a message naming the variable.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isCommonPassword, PASSWORD_MIN_LENGTH } from './domain/password-policy.js';

/** A number from the environment; an empty string is refused (coercion would read it as 0: a random port, no sweeper). */
const envNumber = (message: string, min: number, max: number, integer = true) => {
  const n = z.number({ message }).min(min, message).max(max, message);
  return z.string().trim().min(1, message).transform(Number).pipe(integer ? n.int(message) : n);
};

const Env = z.object({
  PORT: envNumber('must be a port number (0–65535)', 0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave unset for the embedded SQLite database)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AFTERCARE_ADMIN_PASSWORD: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(200)
    .refine((p) => !isCommonPassword(p), 'is on the list of common passwords; choose another')
    .optional(),
  AFTERCARE_DEMO: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AFTERCARE_MAX_UPLOAD_MB: envNumber('must be a number of megabytes (1–1024)', 1, 1024).default(20),
  AFTERCARE_SECURE_COOKIES: z.enum(['0', '1']).default('0'),
  AFTERCARE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AFTERCARE_MAIL_FROM: z.string().max(200).optional(),
  AFTERCARE_PUBLIC_URL: z.string().url().optional(),
  AFTERCARE_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1'], { message: 'must be 0 or 1' }).default('0'),
  AFTERCARE_SWEEP_SECONDS: envNumber('must be a number of seconds (0–3600; 0 = off)', 0, 3600, false).default(15),
  AFTERCARE_READ_WORKERS: z
    .string()
    .regex(/^(auto|[0-9]|1[0-6])$/, 'must be auto or a number of threads from 0 to 16')
    .default('auto'),
  AFTERCARE_WRITE_WORKER: z.enum(['auto', '0', '1'], { message: 'must be auto, 0 or 1' }).default('auto'),
  AFTERCARE_PUBLIC_RATE_LIMIT: envNumber('must be a number of requests a minute (1–100000)', 1, 100_000).default(120),
  AFTERCARE_LLM_URL: z
    .string()
    .regex(/^https?:\/\//, 'must start with http:// or https:// (an OpenAI-compatible API, e.g. https://api.example.com/v1)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AFTERCARE_LLM_MODEL: z.string().max(200).optional(),
  AFTERCARE_LLM_KEY: z.string().max(2000).optional(),
  AFTERCARE_LLM_TIMEOUT_MS: envNumber('must be a number of milliseconds (100–120000)', 100, 120_000).default(8000),
}).refine((e) => !e.AFTERCARE_LLM_URL || !!e.AFTERCARE_LLM_MODEL, {
  path: ['AFTERCARE_LLM_MODEL'],
  message: 'must be set when AFTERCARE_LLM_URL is (the model the endpoint should use)',
}).refine((e) => e.AFTERCARE_DEMO !== '1' || isLoopbackHost(e.HOST), {
  path: ['AFTERCARE_DEMO'],
  message: "demo mode (the default) serves only on loopback, because the demo users' password is published: set AFTERCARE_DEMO=0 to listen on HOST other than 127.0.0.1, ::1 or localhost",
});

/** Loopback only: 127.0.0.0/8, ::1 (also written [::1] or in full) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
}

/** The demo users' published password signs in only in demo mode on loopback; with AFTERCARE_DEMO=0 it opens nothing. */
export function demoPasswordAllowed(config: Pick<Config, 'demo' | 'host'>): boolean {
  return config.demo && isLoopbackHost(config.host);
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: string;
  maxUploadBytes: number;
  secureCookies: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  /** Webhooks may go to loopback, RFC 1918, CGNAT and ULA addresses (an intranet robot); never to link-local & co. */
  webhookAllowPrivate: boolean;
  /** Seconds between sweeper passes (SLA warnings, breaches, escalations, outbox); 0 = off. */
  sweepSeconds: number;
  /** Threads answering the ticket queue and search on the embedded database (readers/pool.ts); 0 = in the server thread. */
  readWorkers: number;
  /** Ticket creation in a thread of its own on the embedded database (writers/pool.ts). */
  writeWorker: boolean;
  /** Requests a minute per address to the public knowledge-base and assistant endpoints by anonymous callers and customers. */
  publicRateLimit: number;
  /** An OpenAI-compatible chat-completions endpoint that phrases the assistant's answers; null = retrieval answers only. */
  llm: { url: string; model: string; key: string | null; timeoutMs: number } | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    adminPassword: e.AFTERCARE_ADMIN_PASSWORD,
    demo: e.AFTERCARE_DEMO === '1',
    logLevel: e.LOG_LEVEL,
    maxUploadBytes: e.AFTERCARE_MAX_UPLOAD_MB * 1024 * 1024,
    secureCookies: e.AFTERCARE_SECURE_COOKIES === '1',
    smtpUrl: e.AFTERCARE_SMTP_URL || undefined,
    mailFrom: e.AFTERCARE_MAIL_FROM || 'Aftercare <aftercare@localhost>',
    publicUrl: (e.AFTERCARE_PUBLIC_URL || 'http://localhost:3000').replace(/\/+$/, ''),
    webhookAllowPrivate: e.AFTERCARE_WEBHOOK_ALLOW_PRIVATE === '1',
    sweepSeconds: e.AFTERCARE_SWEEP_SECONDS,
    // One core is the server thread's; the rest (at most 4) answer reads. PostgreSQL runs its queries itself.
    readWorkers: e.AFTERCARE_READ_WORKERS === 'auto' ? Math.max(0, Math.min(4, os.availableParallelism() - 1)) : Number(e.AFTERCARE_READ_WORKERS),
    // On one core a second writing thread only adds hand-offs.
    writeWorker: e.AFTERCARE_WRITE_WORKER === 'auto' ? os.availableParallelism() > 1 : e.AFTERCARE_WRITE_WORKER === '1',
    publicRateLimit: e.AFTERCARE_PUBLIC_RATE_LIMIT,
    llm: e.AFTERCARE_LLM_URL
      ? { url: e.AFTERCARE_LLM_URL.replace(/\/+$/, ''), model: e.AFTERCARE_LLM_MODEL ?? '', key: e.AFTERCARE_LLM_KEY || null, timeoutMs: e.AFTERCARE_LLM_TIMEOUT_MS }
      : null,
  };
}
