import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { type DatasetUploadResponse, type PrismaClient } from '@trainyard/experiments';
import { deleteQueueKeys, multiplyDefinition, openTestDatabase, TEST_REDIS_URL, type TestDatabase, type TestDatabaseKind } from '@trainyard/experiments/testing';
import { makeZip, pngBytes } from '@trainyard/data/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.js';

const TOKEN = 'datasets-test-token';
/** Small, so that the over-limit cases send little. */
const LIMIT = 64 * 1024;

const TABLE = 'size,color,qty,price\n1.5,red,1,10\n2,blue,2,\n,red,3,14\n3.25,green,4,20\n';
const TABLE_V2 = `${TABLE}4,blue,5,25\n`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  json: { error?: { code: string; message: string; issues?: { path: string }[] } } & Record<string, unknown>;
}

interface Sent {
  body?: Buffer | string;
  /** Sent in pieces without Content-Length (Transfer-Encoding: chunked). */
  chunks?: Buffer[];
  type?: string;
  token?: string | null;
}

/**
 * A request over node:http, which reads an answer the server sends before the body is
 * written (a 413 on Content-Length), where fetch may report the broken pipe instead.
 */
function send(url: string, method: string, path: string, sent: Sent = {}): Promise<Answer> {
  const { hostname, port } = new URL(url);
  const token = sent.token === undefined ? TOKEN : sent.token;
  const headers: Record<string, string> = {
    ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
    ...(sent.type ? { 'content-type': sent.type } : {}),
    ...(sent.body !== undefined ? { 'content-length': String(Buffer.byteLength(sent.body)) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const bytes = Buffer.concat(parts);
        let json: Answer['json'] = {};
        try {
          json = JSON.parse(bytes.toString('utf8')) as Answer['json'];
        } catch {
          json = {};
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes, json });
      });
    });
    // A refusal may come while the body is still being written: the answer still arrives.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') setTimeout(() => reject(error), 2000);
      else reject(error);
    });
    if (sent.chunks) {
      void (async () => {
        for (const chunk of sent.chunks ?? []) {
          if (req.destroyed) return;
          req.write(chunk);
          await new Promise((r) => setTimeout(r, 2));
        }
        req.end();
      })();
    } else {
      req.end(sent.body);
    }
  });
}

async function rowCounts(prisma: PrismaClient): Promise<{ blobs: number; chunks: number; versions: number; datasets: number }> {
  const [blobs, chunks, versions, datasets] = await Promise.all([prisma.blob.count(), prisma.blobChunk.count(), prisma.datasetVersion.count(), prisma.dataset.count()]);
  return { blobs, chunks, versions, datasets };
}

const upload = (url: string, name: string, body: string | Buffer, type = 'text/csv', query = '?filename=shop.csv') =>
  send(url, 'POST', `/api/datasets/${name}${query}`, { body, type });

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('datasets over HTTP on %s', (kind) => {
  let db: TestDatabase;
  let server: RunningServer;
  let url: string;
  let prefix: string;

  beforeAll(async () => {
    prefix = `test-datasets-${randomBytes(4).toString('hex')}`;
    db = await openTestDatabase(kind);
    server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix, host: '127.0.0.1', port: 0, token: TOKEN, maxUploadBytes: LIMIT });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await deleteQueueKeys(TEST_REDIS_URL, prefix);
  });

  it('uploads a table: version 1 with its profile, the same bytes again are that version, new bytes version 2', async () => {
    const first = await upload(url, 'shop', TABLE);
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const created = first.json as unknown as DatasetUploadResponse;
    expect(created.created).toBe(true);
    expect(created.version).toMatchObject({ name: 'shop', version: 1, rows: 4, columns: 4, filename: 'shop.csv', format: 'csv', size: TABLE.length, runs: 0 });
    expect(created.version.sha256).toBe(createHash('sha256').update(TABLE).digest('hex'));
    const profile = created.version.profile;
    if (profile.format === 'images') throw new Error('a table was expected');
    const columns = Object.fromEntries(profile.columns.map((c) => [c.name, c]));
    expect(columns['size']).toMatchObject({ type: 'number', missing: 1 });
    expect(columns['color']?.type).toBe('category');
    expect(columns['price']).toMatchObject({ type: 'number', missing: 1 });

    const again = await upload(url, 'shop', TABLE);
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ created: false, version: { version: 1, sha256: created.version.sha256 } });

    const second = await upload(url, 'shop', TABLE_V2);
    expect(second.json).toMatchObject({ created: true, version: { version: 2, rows: 5 } });

    const detail = await send(url, 'GET', '/api/datasets/shop');
    expect(detail.status).toBe(200);
    expect((detail.json['versions'] as { version: number }[]).map((v) => v.version)).toEqual([2, 1]);
    const version = await send(url, 'GET', '/api/datasets/shop/versions/1');
    expect(version.json).toMatchObject({ version: 1, profile: { rows: 4 } });
  });

  it('lists datasets, and by ?sha256= those that have these bytes', async () => {
    const sha = createHash('sha256').update(TABLE).digest('hex');
    const all = await send(url, 'GET', '/api/datasets');
    expect(all.status).toBe(200);
    expect(all.json['items']).toEqual([expect.objectContaining({ name: 'shop', versions: 2, latest: expect.objectContaining({ version: 2 }) })]);
    const bySha = await send(url, 'GET', `/api/datasets?sha256=${sha}`);
    expect((bySha.json['items'] as { name: string }[]).map((d) => d.name)).toEqual(['shop']);
    const none = await send(url, 'GET', `/api/datasets?sha256=${'0'.repeat(64)}`);
    expect(none.json['items']).toEqual([]);
    expect((await send(url, 'GET', '/api/datasets?sha256=nothex')).status).toBe(400);
  });

  it('gives back the exact bytes, with the sha256 as ETag and the file name', async () => {
    const file = await send(url, 'GET', '/api/datasets/shop/versions/1/file');
    expect(file.status).toBe(200);
    expect(file.bytes.toString('utf8')).toBe(TABLE);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.headers['etag']).toBe(`"${createHash('sha256').update(TABLE).digest('hex')}"`);
    expect(file.headers['content-disposition']).toContain('filename="shop.csv"');
    expect((await send(url, 'GET', '/api/datasets/shop/versions/9/file')).status).toBe(404);
  });

  it('refuses an upload over the limit with 413 and keeps nothing, with Content-Length or chunked', async () => {
    const before = await rowCounts(db.prisma);
    const big = Buffer.from(`a,b\n${'1,2\n'.repeat(LIMIT / 4 + 10)}`);
    const declared = await upload(url, 'big', big);
    expect(declared.status).toBe(413);
    expect(declared.json.error?.code).toBe('BODY_TOO_LARGE');
    const chunks = Array.from({ length: 40 }, () => Buffer.from('1,2\n'.repeat(1024)));
    const chunked = await send(url, 'POST', '/api/datasets/big', { chunks: [Buffer.from('a,b\n'), ...chunks], type: 'text/csv' });
    expect(chunked.status).toBe(413);
    expect(chunked.json.error?.code).toBe('BODY_TOO_LARGE');
    await expect.poll(() => rowCounts(db.prisma)).toEqual(before);
    expect((await send(url, 'GET', '/api/datasets/big')).status).toBe(404);
  });

  it('keeps nothing of an upload the client aborts', async () => {
    const before = await rowCounts(db.prisma);
    const { hostname, port } = new URL(url);
    await new Promise<void>((resolve) => {
      const req = request({ hostname, port, method: 'POST', path: '/api/datasets/aborted', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv', 'content-length': '50000' } });
      req.on('error', () => resolve());
      req.write('a,b\n1,2\n3,4\n');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 200);
    });
    await expect.poll(() => rowCounts(db.prisma)).toEqual(before);
    expect((await send(url, 'GET', '/api/datasets/aborted')).status).toBe(404);
  });

  it('refuses a table that does not parse with 400 naming the line, and keeps nothing', async () => {
    const before = await rowCounts(db.prisma);
    const broken = await upload(url, 'broken', 'a,b\n1,2\n3,"4\n');
    expect(broken.status).toBe(400);
    expect(broken.json.error?.code).toBe('PARSE_ERROR');
    expect(broken.json.error?.message).toMatch(/line 3/);
    const empty = await upload(url, 'broken', '');
    expect(empty.status).toBe(400);
    await expect.poll(() => rowCounts(db.prisma)).toEqual(before);
  });

  it('refuses a media type that is not a table (415), a built-in name and bad characters (400)', async () => {
    const json = await upload(url, 'other', '{"a": 1}', 'application/json');
    expect(json.status).toBe(415);
    expect(json.json.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const name of ['iris', 'Bad%20Name', 'UPPER', '1abc']) {
      const refused = await upload(url, name, TABLE);
      expect(refused.status, name).toBe(400);
      expect(refused.json.error?.issues?.[0]?.path, name).toBe('name');
    }
  });

  it('needs the token for reads and uploads', async () => {
    const anonymous = { token: null };
    for (const path of ['/api/datasets', '/api/datasets/shop', '/api/datasets/shop/versions/1', '/api/datasets/shop/versions/1/file']) {
      expect((await send(url, 'GET', path, anonymous)).status, path).toBe(401);
    }
    expect((await send(url, 'POST', '/api/datasets/shop', { ...anonymous, body: TABLE, type: 'text/csv' })).status).toBe(401);
    expect((await send(url, 'DELETE', '/api/datasets/shop/versions/2', anonymous)).status).toBe(401);
  });

  it('uploads a zip of class folders as a folder of images; a definition must give it an image size, then it queues', async () => {
    const zip = Buffer.from(makeZip([0, 1, 2, 3].map((i) => ({ path: `marks/${i % 2 ? 'cross' : 'dot'}/${i}.png`, data: pngBytes(5, 5, (x, y) => (x === y) === Boolean(i % 2) ? [255, 255, 255] : [0, 0, 0]) }))));
    const uploaded = await upload(url, 'marks', zip, 'application/zip', '?filename=marks.zip');
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
    expect((uploaded.json as unknown as DatasetUploadResponse).version).toMatchObject({ format: 'images', rows: 4, columns: 2, profile: { classes: [{ name: 'cross', count: 2 }, { name: 'dot', count: 2 }], color: 'grayscale' } });
    const base = { ...multiplyDefinition('on marks'), loss: 'sparse_categorical_crossentropy', model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 2, activation: 'softmax' }] }, split: { test: 0.5 } };
    const withoutSize = await send(url, 'POST', '/api/experiments', { body: JSON.stringify({ ...base, dataset: { name: 'marks' } }), type: 'application/json' });
    expect(withoutSize.status).toBe(400);
    expect(withoutSize.json.error?.issues?.map((i) => i.path)).toContain('dataset.target');
    const tableFields = await send(url, 'POST', '/api/experiments', { body: JSON.stringify({ ...base, dataset: { name: 'marks', target: 'x', image: { height: 5, width: 5, channels: 1 } } }), type: 'application/json' });
    expect(tableFields.status).toBe(400);
    expect(JSON.stringify(tableFields.json)).toMatch(/marks@1 is a folder of images \(4 images in 2 classes: cross, dot\).*takes no target/);
    const queued = await send(url, 'POST', '/api/experiments', { body: JSON.stringify({ ...base, dataset: { name: 'marks', image: { height: 5, width: 5, channels: 1 } } }), type: 'application/json' });
    expect(queued.status, JSON.stringify(queued.json)).toBe(201);
  });

  it('refuses a folder of images with a corrupt image with 400 naming the file, and keeps nothing', async () => {
    const before = await rowCounts(db.prisma);
    const zip = Buffer.from(makeZip([{ path: 'a/ok.png', data: pngBytes(2, 2, () => [1, 2, 3]) }, { path: 'b/bad.png', data: pngBytes(2, 2, () => [1, 2, 3]).subarray(0, 33) }]));
    const refused = await upload(url, 'bad-images', zip, 'application/zip');
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/'b\/bad\.png' could not be decoded as PNG/) });
    await expect.poll(() => rowCounts(db.prisma)).toEqual(before);
  });

  it('deletes a version no run used (204), and refuses one a run used (409)', async () => {
      const definition = { ...multiplyDefinition('on shop'), dataset: { name: 'shop@1', target: 'qty', features: ['size', 'color'] } };
      const submitted = await send(url, 'POST', '/api/experiments', { body: JSON.stringify(definition), type: 'application/json' });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(201);
      expect((await send(url, 'GET', '/api/datasets/shop/versions/1')).json).toMatchObject({ runs: 1 });
      const used = await send(url, 'DELETE', '/api/datasets/shop/versions/1');
      expect(used.status).toBe(409);
      expect(used.json.error?.code).toBe('CONFLICT');
      const unused = await send(url, 'DELETE', '/api/datasets/shop/versions/2');
      expect(unused.status).toBe(204);
      expect((await send(url, 'GET', '/api/datasets/shop/versions/2')).status).toBe(404);
      expect((await send(url, 'GET', '/api/datasets/shop/versions/1')).status).toBe(200);
  });
});
