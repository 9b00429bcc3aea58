import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The web UI of apps/dashboard: built to web/dist, served by the API server (src/web-static.ts).
export default defineConfig({
  root,
  base: '/',
  // The one chunk above Vite's default 500 kB limit is ECharts (chart-engine.ts, ~625 kB raw), loaded on
  // demand by the pages that draw charts; the rest of the UI stays well below it.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  oxc: { jsx: { runtime: 'automatic' } },
  // `npm run dev`-style use: the UI on Vite, the API on the real server.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' }, fs: { allow: [fileURLToPath(new URL('../../..', import.meta.url))] } },
});
