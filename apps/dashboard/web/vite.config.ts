import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The web UI of apps/dashboard: built to web/dist, served by the API server (src/web-static.ts).
export default defineConfig({
  root,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  oxc: { jsx: { runtime: 'automatic' } },
  // `npm run dev`-style use: the UI on Vite, the API on the real server.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' }, fs: { allow: [fileURLToPath(new URL('../../..', import.meta.url))] } },
});
