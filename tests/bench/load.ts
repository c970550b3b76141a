// Drives autocannon from the main thread and measures exact latency percentiles from every response it records.
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  path: string;
  method: 'GET' | 'POST';
  connections: number;
  durationS: number;
  headers: Record<string, string>;
  /** A fresh body per request (setupRequest); omitted for GET. */
  body?: () => string;
}

export interface LoadResult {
  /** Measured wall time of the run, in seconds. */
  elapsedS: number;
  /** Responses received, any status. */
  responses: number;
  ok2xx: number;
  non2xx: number;
  /** Socket errors and timeouts (no response at all). */
  errors: number;
  timeouts: number;
  /** 2xx responses per second. */
  okPerS: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  statusCounts: Record<number, number>;
  /** Up to three response bodies of non-2xx answers, to say what went wrong. */
  errorSamples: string[];
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<number, number> = {};
  const errorSamples: string[] = [];
  let started = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationS,
        timeout: 10,
        requests: [
          {
            method: spec.method,
            path: spec.path,
            headers: spec.headers,
            ...(spec.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: spec.body!() }) } : {}),
            onResponse: (status, body) => {
              if ((status < 200 || status >= 300) && errorSamples.length < 3) errorSamples.push(`${status} ${body.slice(0, 300)}`);
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const elapsedS = (performance.now() - started) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        const sum = latencies.reduce((a, b) => a + b, 0);
        const ok2xx = result['2xx'];
        resolve({
          elapsedS,
          responses: latencies.length,
          ok2xx,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          okPerS: ok2xx / elapsedS,
          latencyMs: {
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99),
            max: sorted.length ? sorted[sorted.length - 1] : NaN,
            mean: latencies.length ? sum / latencies.length : NaN,
          },
          statusCounts,
          errorSamples,
        });
      },
    );
    started = performance.now();
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
}
