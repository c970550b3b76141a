import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
});
