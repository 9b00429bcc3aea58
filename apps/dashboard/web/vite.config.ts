import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The @trainyard/examples package's folder, so that pages can glob its JSON files by package name.
const examples = dirname(createRequire(import.meta.url).resolve('@trainyard/examples/package.json'));

// The web UI of apps/dashboard: built to web/dist, served by the API server (src/web-static.ts).
export default defineConfig({
  root,
  base: '/',
  // The one chunk above Vite's default 500 kB limit is ECharts (chart-engine.ts, ~625 kB raw), loaded on
  // demand by the pages that draw charts; the rest of the UI stays well below it.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { '@trainyard/examples': examples } },
  // `npm run dev`-style use: the UI on Vite, the API on the real server.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' }, fs: { allow: [fileURLToPath(new URL('../../..', import.meta.url))] } },
});
