// Outgoing webhook requests that reach only addresses a webhook may reach (domain/notify/address.ts): the URL is
// checked when an admin saves it, and again at every send, on the very address the connection then uses (a name
// that resolved to a public address at save time may resolve to 127.0.0.1 later: DNS rebinding). Redirects are
// never followed: a permitted target could otherwise bounce the request anywhere.
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { addressAllowed, classifyAddress, hostAsAddress, refusalText, type AddressVerdict } from '../../domain/notify/address.js';
import type { FetchLike } from './types.js';

/** A webhook address the settings do not allow; the delivery fails for good with this message. */
export class WebhookAddressRefused extends Error {
  readonly permanent = true;
  constructor(
    readonly host: string,
    readonly verdict: AddressVerdict,
  ) {
    super(refusalText(host, verdict));
    this.name = 'WebhookAddressRefused';
  }
}

export type TargetCheck = { ok: true; resolved: boolean } | { ok: false; host: string; verdict: AddressVerdict };

const hostOf = (url: URL) => (url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);

/** The refusal for a URL whose host is an IP address, or null (a name, or an allowed address). */
export function literalRefusal(rawUrl: string, allowPrivate: boolean): WebhookAddressRefused | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  const literal = hostAsAddress(url.hostname);
  if (!literal) return null;
  const v = classifyAddress(literal)!;
  return addressAllowed(v, allowPrivate) ? null : new WebhookAddressRefused(hostOf(url), v);
}

/**
 * Save-time check: an IP address is judged as it is; a name by every address it resolves to now (one refused
 * address refuses the name). A name that does not resolve from here is accepted: the send-time check still
 * refuses whatever it resolves to then.
 */
export async function checkWebhookTarget(rawUrl: string, allowPrivate: boolean, timeoutMs = 3000): Promise<TargetCheck> {
  const url = new URL(rawUrl);
  const host = hostOf(url);
  const literal = hostAsAddress(url.hostname);
  if (literal) {
    const v = classifyAddress(literal)!;
    return addressAllowed(v, allowPrivate) ? { ok: true, resolved: true } : { ok: false, host, verdict: v };
  }
  let addresses: dns.LookupAddress[];
  try {
    let timer: NodeJS.Timeout | undefined;
    addresses = await Promise.race([
      dns.promises.lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('DNS timeout')), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch {
    return { ok: true, resolved: false };
  }
  for (const a of addresses) {
    const v = classifyAddress(a.address);
    if (v && !addressAllowed(v, allowPrivate)) return { ok: false, host, verdict: v };
  }
  return { ok: true, resolved: true };
}

/** A `lookup` for net.connect that resolves as usual and fails when any address found is refused. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const v = classifyAddress(a.address);
        if (!v || !addressAllowed(v, allowPrivate)) {
          return callback(new WebhookAddressRefused(hostname, v ?? { address: a.address, class: 'never', range: 'unknown' }) as NodeJS.ErrnoException, '', 0);
        }
      }
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * The fetch webhooks are sent with: connections only to allowed addresses (checked in the connection's own DNS
 * lookup, so the address checked is the address connected to; an IP-address URL is checked before, since
 * net.connect does not look those up), no redirects followed, and the refusal as the error.
 */
export function createWebhookFetch(allowPrivate: boolean): { fetch: FetchLike; close: () => Promise<void> } {
  const agent = new Agent({ connect: { lookup: guardedLookup(allowPrivate) } });
  const fetch: FetchLike = async (url, init) => {
    const refused = literalRefusal(url, allowPrivate);
    if (refused) throw refused;
    try {
      const res = await undiciFetch(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal, redirect: 'manual', dispatcher: agent });
      return res;
    } catch (e) {
      // undici reports "fetch failed" and keeps the reason in `cause`.
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof WebhookAddressRefused) throw cause;
      if (cause instanceof Error && cause.message) throw new Error(`${(e as Error).message}: ${cause.message}`, { cause });
      throw e;
    }
  };
  return { fetch, close: () => agent.close() };
}
