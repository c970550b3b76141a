// The customer portal (src/portal → dist/portal), served under /portal. Its own small bundle: no Ant Design, no
// TanStack Query, so a phone on a slow line gets the first page fast (tests/api/portal-bundle.test.ts holds it under
// 200 KB of compressed JavaScript).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/portal', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/portal', import.meta.url));
const apiTarget = process.env.AFTERCARE_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/portal/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    // One vendor chunk for React, the router and i18next: it changes far less often than the pages.
    rollupOptions: {
      output: {
        manualChunks: (id) => (/node_modules[\\/](react|react-dom|scheduler|react-router|i18next|react-i18next)[\\/]/.test(id) ? 'vendor' : undefined),
      },
    },
  },
  server: { port: 5174, proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
});
