#!/usr/bin/env node
// Builds the web console (src/web → dist/web) and the customer portal (src/portal → dist/portal) with Vite, each only
// when its output is missing or older than its sources.
// Usage: node scripts/build-web.mjs [--force]
// Prints one line per bundle; exits 1 (with the error) if a build fails.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Each bundle: its Vite config, its output and the sources it is built from. */
const BUNDLES = [
  { name: 'web', config: 'vite.config.ts', out: 'dist/web', inputs: ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json'] },
  { name: 'portal', config: 'vite.portal.config.ts', out: 'dist/portal', inputs: ['src/portal', 'src/shared', 'vite.portal.config.ts', 'package-lock.json'] },
];
const force = process.argv.includes('--force');

/** Newest modification time (ms) of a file or of any file below a directory. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, entry.name)));
  }
  return max;
}

function staleReason(bundle) {
  const outIndex = join(repo, bundle.out, 'index.html');
  if (force) return 'forced';
  if (!existsSync(outIndex)) return 'no previous build';
  const built = statSync(outIndex).mtimeMs;
  for (const input of bundle.inputs.map((p) => join(repo, p))) {
    if (newest(input) > built) return `${relative(repo, input)} changed`;
  }
  return null;
}

for (const bundle of BUNDLES) {
  const reason = staleReason(bundle);
  if (!reason) {
    console.log(`${bundle.name}: ${bundle.out} is up to date`);
    continue;
  }
  const started = Date.now();
  try {
    const { build } = await import('vite');
    await build({ configFile: join(repo, bundle.config), logLevel: 'error', mode: 'production' });
  } catch (err) {
    console.error(`${bundle.name}: build failed (${reason}):`, err instanceof Error ? err.message : err);
    process.exit(1);
  }
  // Brotli and gzip copies of the hashed assets, served by @fastify/static (preCompressed) to clients that accept them.
  const assets = join(repo, bundle.out, 'assets');
  for (const name of readdirSync(assets)) {
    if (!/\.(js|css|svg|json|html|txt|map)$/.test(name)) continue;
    const raw = readFileSync(join(assets, name));
    if (raw.length < 1024) continue;
    writeFileSync(join(assets, `${name}.br`), brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
    writeFileSync(join(assets, `${name}.gz`), gzipSync(raw, { level: 9 }));
  }
  console.log(`${bundle.name}: built ${bundle.out} in ${((Date.now() - started) / 1000).toFixed(1)}s (${reason})`);
}
