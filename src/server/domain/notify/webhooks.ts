// The HTTP request for each kind of webhook (generic JSON, DingTalk, WeCom and Feishu group robots), their
// signatures, and how to read each endpoint's answer. Pure: node:crypto for HMAC, no IO.
import crypto from 'node:crypto';
import { eventDeadline, renderMarkdown, renderPlain, ticketLink, type NotifyEvent } from './messages.js';

import { WEBHOOK_KINDS, type WebhookKind } from '../../../shared/enums.js';

export { WEBHOOK_KINDS, type WebhookKind };

export interface WebhookTarget {
  kind: WebhookKind;
  url: string;
  secret: string | null;
}

export interface HttpRequestSpec {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookDelivery {
  /** Stable across retries, so a receiver can drop duplicates. */
  deliveryId: string;
  event: NotifyEvent;
  /** Base address of the web console, for links. */
  publicUrl: string;
  /** Signing time (epoch ms). */
  now: number;
}

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, as GitHub signs its webhooks. */
export function genericSignature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** DingTalk robot "加签": base64(HMAC-SHA256(key = secret, "timestamp\nsecret")), timestamp in ms. Not URL-encoded. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return crypto.createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** Feishu robot "签名校验": base64(HMAC-SHA256(key = "timestamp\nsecret", empty message)), timestamp in seconds. */
export function feishuSign(secret: string, timestampSec: number): string {
  return crypto.createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

function withQuery(url: string, params: Record<string, string>): string {
  const qs = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return url + (url.includes('?') ? '&' : '?') + qs;
}

/** The JSON body a generic webhook receives. */
export function genericPayload(d: WebhookDelivery) {
  const t = d.event.ticket;
  const due = eventDeadline(d.event);
  return {
    event: d.event.kind,
    deliveryId: d.deliveryId,
    occurredAt: new Date(d.event.occurredAt).toISOString(),
    ticket: t
      ? {
          id: t.id,
          number: t.number,
          title: t.title,
          priority: t.priority,
          demand: t.demand,
          status: t.status,
          dueAt: due === null ? null : new Date(due).toISOString(),
          url: ticketLink(d.publicUrl, t.number),
        }
      : null,
    data: d.event.data,
  };
}

export function buildWebhookRequest(hook: WebhookTarget, d: WebhookDelivery): HttpRequestSpec {
  const json = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Aftercare-Webhook/1' };
  switch (hook.kind) {
    case 'dingtalk': {
      const { title, text } = renderMarkdown(d.event, d.publicUrl);
      const url = hook.secret ? withQuery(hook.url, { timestamp: String(d.now), sign: dingtalkSign(hook.secret, d.now) }) : hook.url;
      return { method: 'POST', url, headers: json, body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }) };
    }
    case 'wecom': {
      const { text } = renderMarkdown(d.event, d.publicUrl);
      return { method: 'POST', url: hook.url, headers: json, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: text } }) };
    }
    case 'feishu': {
      const body: Record<string, unknown> = { msg_type: 'text', content: { text: renderPlain(d.event, d.publicUrl) } };
      if (hook.secret) {
        const ts = Math.floor(d.now / 1000);
        body.timestamp = String(ts);
        body.sign = feishuSign(hook.secret, ts);
      }
      return { method: 'POST', url: hook.url, headers: json, body: JSON.stringify(body) };
    }
    default: {
      const body = JSON.stringify(genericPayload(d));
      const headers: Record<string, string> = { ...json, 'x-aftercare-event': d.event.kind, 'x-aftercare-delivery': d.deliveryId };
      if (hook.secret) headers['x-aftercare-signature'] = genericSignature(hook.secret, body);
      return { method: 'POST', url: hook.url, headers, body };
    }
  }
}

export type WebhookVerdict = { ok: true } | { ok: false; error: string };

/**
 * Did the endpoint accept the message? Any non-2xx is a failure (a redirect too: it is not followed); the robots also answer HTTP 200 with an error code
 * in the body (DingTalk / WeCom `errcode`, Feishu `code` or the older `StatusCode`), which is a failure too.
 */
export function judgeWebhookResponse(kind: WebhookKind, status: number, bodyText: string, location: string | null = null): WebhookVerdict {
  const snippet = bodyText.slice(0, 200);
  // Redirects are never followed (a permitted target could send the request on to an internal address).
  if (status >= 300 && status < 400) return { ok: false, error: `HTTP ${status}: redirect${location ? ` to ${location.slice(0, 200)}` : ''} not followed` };
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` };
  if (kind === 'generic') return { ok: true };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    return { ok: false, error: `HTTP ${status} without a JSON answer: ${snippet}` };
  }
  if (parsed === null || typeof parsed !== 'object') return { ok: false, error: `HTTP ${status} with an unexpected answer: ${snippet}` };
  const code = kind === 'feishu' ? (parsed.code ?? parsed.StatusCode) : parsed.errcode;
  if (code === undefined || code === 0 || code === '0') return { ok: true };
  const msg = kind === 'feishu' ? (parsed.msg ?? parsed.StatusMessage) : parsed.errmsg;
  return { ok: false, error: `${kind} error ${String(code)}${msg ? `: ${String(msg)}` : ''}` };
}
