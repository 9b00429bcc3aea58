import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { webRoutes } from './web-static.js';

describe('webRoutes', () => {
  it('answers the UI routes with index.html and keeps unknown /api paths as JSON 404s', async () => {
    const dist = await mkdtemp(join(tmpdir(), 'web-dist-'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    const app = Fastify();
    webRoutes(app, `${dist}/`);
    const page = await app.inject({ method: 'GET', url: '/compare?runs=a,b' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    await app.close();
  });

  it('says how to build the UI when it is not built', async () => {
    const app = Fastify();
    webRoutes(app, join(tmpdir(), 'no-such-web-dist/'));
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('npm run build:web');
    await app.close();
  });
});
