// Webhook address classification: which addresses a webhook may reach, in every spelling an address can take.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressAllowed, classifyAddress, hostAsAddress, refusalText } from './address.js';

const cls = (a: string) => classifyAddress(a)?.class;

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['127.0.0.1', 'internal'],
    ['127.255.255.254', 'internal'],
    ['::1', 'internal'],
    ['[::1]', 'internal'],
    ['10.0.0.1', 'internal'],
    ['172.16.5.4', 'internal'],
    ['172.31.255.255', 'internal'],
    ['192.168.1.1', 'internal'],
    ['100.64.0.1', 'internal'],
    ['100.127.255.254', 'internal'],
    ['fc00::1', 'internal'],
    ['fd12:3456::1', 'internal'],
    ['::ffff:127.0.0.1', 'internal'],
    ['::ffff:7f00:1', 'internal'],
    ['::ffff:10.1.2.3', 'internal'],
    ['169.254.169.254', 'never'],
    ['169.254.0.1', 'never'],
    ['fe80::1', 'never'],
    ['::ffff:169.254.169.254', 'never'],
    ['0.0.0.0', 'never'],
    ['0.1.2.3', 'never'],
    ['::', 'never'],
    ['224.0.0.1', 'never'],
    ['239.255.255.250', 'never'],
    ['ff02::1', 'never'],
    ['255.255.255.255', 'never'],
    ['240.0.0.1', 'never'],
    ['192.0.2.1', 'never'],
    ['198.18.0.1', 'never'],
    // IPv6 forms that carry an IPv4 address through translation or tunnels.
    ['64:ff9b::7f00:1', 'never'],
    ['2002:7f00:1::', 'never'],
  ])('%s is %s', (address, expected) => {
    expect(cls(address)).toBe(expected);
  });

  it('is not fooled by neighbours of the private ranges', () => {
    expect(cls('172.15.255.255')).toBe('public');
    expect(cls('172.32.0.1')).toBe('public');
    expect(cls('100.63.255.255')).toBe('public');
    expect(cls('100.128.0.1')).toBe('public');
    expect(cls('11.0.0.1')).toBe('public');
    expect(cls('192.169.0.1')).toBe('public');
  });

  it('returns null for a name', () => {
    expect(classifyAddress('example.com')).toBeNull();
    expect(classifyAddress('localhost')).toBeNull();
  });

  it('refuses every address of 127/8, 10/8 and 169.254/16 (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.constantFrom(127, 10, 169), octet, octet, octet, (first, b, c, d) => {
        const address = first === 169 ? `169.254.${c}.${d}` : `${first}.${b}.${c}.${d}`;
        const v = classifyAddress(address)!;
        expect(addressAllowed(v, false)).toBe(false);
        // Also when written as IPv4-mapped IPv6.
        expect(addressAllowed(classifyAddress(`::ffff:${address}`)!, false)).toBe(false);
      }),
    );
  });
});

describe('addressAllowed', () => {
  it('allows internal addresses only with the intranet setting, and the others never', () => {
    const internal = classifyAddress('10.0.0.1')!;
    const never = classifyAddress('169.254.169.254')!;
    const pub = classifyAddress('8.8.8.8')!;
    expect([addressAllowed(internal, false), addressAllowed(internal, true)]).toEqual([false, true]);
    expect([addressAllowed(never, false), addressAllowed(never, true)]).toEqual([false, false]);
    expect([addressAllowed(pub, false), addressAllowed(pub, true)]).toEqual([true, true]);
  });
});

describe('hostAsAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['[::1]', '::1'],
    ['[::ffff:127.0.0.1]', '127.0.0.1'],
    ['[::ffff:7f00:1]', '127.0.0.1'],
  ])('reads %s as %s', (host, address) => {
    expect(hostAsAddress(host)).toBe(address);
  });

  it('reads what the URL parser made of every numeric spelling as loopback', () => {
    for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:0:0:1]/']) {
      const a = hostAsAddress(new URL(url).hostname);
      expect(classifyAddress(a!)!.range, url).toBe('loopback');
    }
  });

  it('leaves names alone', () => {
    expect(hostAsAddress('example.com')).toBeNull();
    expect(hostAsAddress('localhost')).toBeNull();
    expect(hostAsAddress('open.feishu.cn')).toBeNull();
  });
});

describe('refusalText', () => {
  it('names the host, the address, its range and what to do', () => {
    expect(refusalText('localhost', classifyAddress('127.0.0.1')!)).toBe('localhost → 127.0.0.1 (loopback) refused: an internal address; set AFTERCARE_WEBHOOK_ALLOW_PRIVATE=1 for an intranet robot');
    expect(refusalText('169.254.169.254', classifyAddress('169.254.169.254')!)).toBe('169.254.169.254 (linkLocal) refused: never a webhook target');
  });
});
