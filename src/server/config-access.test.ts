// Start-up refusals that protect sign-in: the admin password from the environment meets the password policy, and
// demo mode (published password) never listens beyond loopback.
import { describe, expect, it } from 'vitest';
import { ConfigError, demoPasswordAllowed, isLoopbackHost, loadConfig } from './config.js';
import { isCommonPassword, passwordProblem } from './domain/password-policy.js';

describe('AFTERCARE_ADMIN_PASSWORD', () => {
  it.each([
    ['shortpw12', /AFTERCARE_ADMIN_PASSWORD: must be at least 10 characters/],
    ['password123', /AFTERCARE_ADMIN_PASSWORD: is on the list of common passwords/],
    ['QWERTYUIOP', /AFTERCARE_ADMIN_PASSWORD: is on the list of common passwords/],
    ['woaini1314', /AFTERCARE_ADMIN_PASSWORD: is on the list of common passwords/],
  ])('refuses %s, naming the setting', (value, message) => {
    expect(() => loadConfig({ AFTERCARE_ADMIN_PASSWORD: value })).toThrow(ConfigError);
    expect(() => loadConfig({ AFTERCARE_ADMIN_PASSWORD: value })).toThrow(message);
  });

  it('takes a long uncommon one', () => {
    expect(loadConfig({ AFTERCARE_ADMIN_PASSWORD: 'plum-harbour-42' }).adminPassword).toBe('plum-harbour-42');
  });
});

describe('demo mode and HOST', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.com', '10.0.0.1'])('refuses AFTERCARE_DEMO=1 with HOST=%s, naming both', (host) => {
    expect(() => loadConfig({ HOST: host, AFTERCARE_DEMO: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: host, AFTERCARE_DEMO: '1' })).toThrow(/AFTERCARE_DEMO: .*AFTERCARE_DEMO=0.*HOST/);
    // Demo mode is the default: an unset AFTERCARE_DEMO is refused the same way.
    expect(() => loadConfig({ HOST: host })).toThrow(/AFTERCARE_DEMO/);
  });

  it.each(['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', 'LOCALHOST', '0:0:0:0:0:0:0:1'])('serves demo mode on loopback %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    const c = loadConfig({ HOST: host, AFTERCARE_DEMO: '1' });
    expect(demoPasswordAllowed(c)).toBe(true);
  });

  it('serves any address without demo mode, where the demo password opens nothing', () => {
    const c = loadConfig({ HOST: '0.0.0.0', AFTERCARE_DEMO: '0' });
    expect(c.host).toBe('0.0.0.0');
    expect(demoPasswordAllowed(c)).toBe(false);
    expect(demoPasswordAllowed(loadConfig({ AFTERCARE_DEMO: '0' }))).toBe(false);
    expect(demoPasswordAllowed({ demo: true, host: '0.0.0.0' })).toBe(false);
  });
});

describe('password policy', () => {
  it('wants 10 characters, counted as characters', () => {
    expect(passwordProblem('k7#mQ2vx')).toBe('password_short');
    expect(passwordProblem('k7#mQ2vxZp')).toBeNull();
    expect(passwordProblem('售后服务管理系统密码')).toBeNull();
    expect(passwordProblem('𠀀𠀀𠀀𠀀𠀀')).toBe('password_short');
  });

  it('refuses common passwords whatever their case or surrounding spaces', () => {
    for (const p of ['1234567890', 'qwertyuiop', 'Password123', ' password123 ', '1q2w3e4r5t', 'iloveyou1314', 'aftercare123']) {
      expect(isCommonPassword(p), p).toBe(true);
      expect(passwordProblem(p), p).toBe('password_common');
    }
    expect(isCommonPassword('plum-harbour-42')).toBe(false);
  });
});
