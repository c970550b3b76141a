// Configuration from the environment: defaults, and a message naming the variable for a bad value.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', demo: true, databaseUrl: undefined, sweepSeconds: 15 });
    expect(c.readWorkers).toBe(Math.max(0, Math.min(4, os.availableParallelism() - 1)));
  });

  it('takes a number of read workers, auto or 0', () => {
    expect(loadConfig({ AFTERCARE_READ_WORKERS: '0' }).readWorkers).toBe(0);
    expect(loadConfig({ AFTERCARE_READ_WORKERS: '3' }).readWorkers).toBe(3);
    expect(loadConfig({ AFTERCARE_READ_WORKERS: 'auto' }).readWorkers).toBe(loadConfig({}).readWorkers);
  });

  it('runs the write worker with a second core unless told', () => {
    expect(loadConfig({}).writeWorker).toBe(os.availableParallelism() > 1);
    expect(loadConfig({ AFTERCARE_WRITE_WORKER: '0' }).writeWorker).toBe(false);
    expect(loadConfig({ AFTERCARE_WRITE_WORKER: '1' }).writeWorker).toBe(true);
  });

  it('reads numbers, including an explicit 0', () => {
    expect(loadConfig({ PORT: '8080', AFTERCARE_SWEEP_SECONDS: '0', AFTERCARE_MAX_UPLOAD_MB: '5' })).toMatchObject({ port: 8080, sweepSeconds: 0, maxUploadBytes: 5 * 1024 * 1024 });
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it.each([
    ['AFTERCARE_WRITE_WORKER', 'yes'],
    ['AFTERCARE_READ_WORKERS', 'many'],
    ['AFTERCARE_READ_WORKERS', '17'],
    ['AFTERCARE_READ_WORKERS', '-1'],
    ['PORT', 'http'],
    ['DATABASE_URL', 'mysql://x'],
    ['AFTERCARE_ADMIN_PASSWORD', 'short'],
    // An empty value is a mistake, not "use the default": PORT="" used to mean a random port, and
    // AFTERCARE_SWEEP_SECONDS="" silently switched the sweeper off.
    ['PORT', ''],
    ['PORT', '  '],
    ['PORT', '70000'],
    ['AFTERCARE_SWEEP_SECONDS', ''],
    ['AFTERCARE_SWEEP_SECONDS', '-1'],
    ['AFTERCARE_MAX_UPLOAD_MB', ''],
    ['AFTERCARE_DEMO', ''],
    ['AFTERCARE_READ_WORKERS', ''],
    ['AFTERCARE_WRITE_WORKER', ''],
    ['DATA_DIR', ''],
    ['HOST', ''],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
