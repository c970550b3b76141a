// Which network addresses a webhook may be sent to. A webhook URL is typed by an admin and fetched by the server,
// so without this an admin account (or a stolen one) could make the server call its own loopback services, the
// cloud metadata endpoint (169.254.169.254) or machines of the internal network. Pure: parsing with ipaddr.js.
import ipaddr from 'ipaddr.js';

/**
 * Why an address is refused. `internal` addresses (loopback, RFC 1918, CGNAT 100.64/10, IPv6 ULA fc00::/7) may be
 * allowed for an intranet robot (AFTERCARE_WEBHOOK_ALLOW_PRIVATE=1); the `never` ones (link-local, which holds the
 * metadata endpoint; unspecified; multicast and broadcast; reserved, documentation, benchmarking and the IPv6
 * ranges that embed an IPv4 address by translation or tunnel) are refused whatever the setting.
 */
export type AddressClass = 'public' | 'internal' | 'never';

export interface AddressVerdict {
  address: string;
  class: AddressClass;
  /** ipaddr.js's range name (loopback, private, linkLocal, …), for the recorded reason. */
  range: string;
}

const INTERNAL_RANGES = new Set(['loopback', 'private', 'carrierGradeNat', 'uniqueLocal']);

/** Classifies one IP address (IPv4, IPv6, IPv4-mapped IPv6 as its IPv4 address); not an IP address → null. */
export function classifyAddress(address: string): AddressVerdict | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return null;
  // process(): ::ffff:127.0.0.1 is 127.0.0.1 for every purpose here.
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  const cls: AddressClass = range === 'unicast' ? 'public' : INTERNAL_RANGES.has(range) ? 'internal' : 'never';
  return { address: parsed.toString(), class: cls, range };
}

/** May a webhook be sent to this address? */
export function addressAllowed(v: AddressVerdict, allowPrivate: boolean): boolean {
  return v.class === 'public' || (v.class === 'internal' && allowPrivate);
}

/**
 * The host of a webhook URL as an IP address, when it is one. The WHATWG URL parser has already turned the numeric
 * forms (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`) into dotted quads and IPv6 into brackets; this also
 * takes those forms as they are, for a caller that hands over a raw host.
 */
export function hostAsAddress(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host.replace(/\.$/, '');
  if (ipaddr.isValid(bare)) return ipaddr.process(bare).toString();
  try {
    const h = new URL(`http://${host}/`).hostname;
    const inner = h.startsWith('[') ? h.slice(1, -1) : h;
    return ipaddr.isValid(inner) ? ipaddr.process(inner).toString() : null;
  } catch {
    return null;
  }
}

/** A refusal as the outbox records it, e.g. `address 127.0.0.1 (loopback) refused: …`. */
export function refusalText(host: string, v: AddressVerdict): string {
  const why = v.class === 'internal' ? 'an internal address; set AFTERCARE_WEBHOOK_ALLOW_PRIVATE=1 for an intranet robot' : 'never a webhook target';
  return `${host === v.address ? '' : `${host} → `}${v.address} (${v.range}) refused: ${why}`;
}
