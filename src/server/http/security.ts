// Security headers on every response (API, static files, errors, 404): scripts only from this origin, no framing,
// no MIME sniffing, no full referrer to other sites. Set in onRequest, so a reply that ends in an error carries them.
import type { FastifyInstance } from 'fastify';

/**
 * The console: Vite builds external module scripts only, so `script-src 'self'`; Ant Design writes its CSS-in-JS
 * into <style> elements, hence `style-src 'unsafe-inline'` (styles cannot run code). The API's own answers are JSON.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI (/api/docs) loads its own files from this origin and sets styles and images inline. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('content-security-policy', request.url.startsWith('/api/docs') ? DOCS_CSP : CONSOLE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    done();
  });
}
