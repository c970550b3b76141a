import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { OutputBundle } from 'rollup';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
// Where `vite` (dev) and `vite preview` send /api; override with AFTERCARE_API_URL=http://127.0.0.1:3456.
const apiTarget = process.env.AFTERCARE_API_URL ?? 'http://127.0.0.1:3000';
// src/web/api/*.ts is also served under /api by the dev server: source modules must not go to the backend.
const SOURCE_MODULE = /^\/api\/[^?]*\.(?:tsx?|jsx?|mjs|css|json)(?:\?|$)/;
const proxy = {
  '/api': {
    target: apiTarget,
    changeOrigin: false,
    bypass: (req: { url?: string }) => (req.url && SOURCE_MODULE.test(req.url) ? req.url : undefined),
  },
};

/**
 * The files the engineer's page needs to open without a network: the entry chunk, the /field page's lazy chunk and
 * everything they import statically, all CSS and fonts. The other pages' chunks are not precached (the phone would
 * download the whole console for nothing). Filled in generateBundle, read by the service worker's manifest below.
 */
function fieldShell(): { plugin: Plugin; keep: Set<string> } {
  const keep = new Set<string>();
  const plugin: Plugin = {
    name: 'aftercare-field-shell',
    apply: 'build',
    generateBundle(_options, bundle: OutputBundle) {
      keep.clear();
      const visit = (file: string) => {
        const chunk = bundle[file];
        if (!chunk || keep.has(file)) return;
        keep.add(file);
        if (chunk.type !== 'chunk') return;
        for (const css of (chunk as { viteMetadata?: { importedCss?: Set<string> } }).viteMetadata?.importedCss ?? []) keep.add(css);
        for (const dep of chunk.imports) visit(dep);
      };
      for (const [file, chunk] of Object.entries(bundle)) {
        if (chunk.type === 'chunk' && (chunk.isEntry || /pages[\\/]field[\\/]FieldPage\.tsx$/.test(chunk.facadeModuleId ?? ''))) visit(file);
        if (chunk.type === 'asset' && /\.(css|woff2?|svg|png|ico)$/.test(file)) keep.add(file);
      }
      if (![...keep].some((f) => /FieldPage/.test(f))) this.error('the /field page chunk was not found: the offline shell would be incomplete');
    },
  };
  return { plugin, keep };
}

const shell = fieldShell();

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    shell.plugin,
    VitePWA({
      // Registered by the field page itself (pages/field/offline/register.ts): no inline script, no page elsewhere.
      injectRegister: false,
      manifest: false,
      filename: 'sw.js',
      scope: '/field',
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff,woff2,png,ico}'],
        manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => e.url === 'index.html' || shell.keep.has(e.url)), warnings: [] })],
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        // A reload of /field without a network gets the single page from the precache.
        navigateFallback: 'index.html',
        navigateFallbackAllowlist: [/^\/field(?:[/?#]|$)/],
        inlineWorkboxRuntime: true,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // The session (user, CSRF token) and the day's visits: fresh when there is a network, the last answer without.
            urlPattern: ({ url, request }) => request.method === 'GET' && (url.pathname === '/api/me' || url.pathname === '/api/visits/mine'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'field-api',
              networkTimeoutSeconds: 6,
              matchOptions: { ignoreVary: true },
              expiration: { maxEntries: 40, maxAgeSeconds: 14 * 86_400 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
});
