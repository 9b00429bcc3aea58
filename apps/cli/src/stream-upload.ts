import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** After the request fails while sending, how long an answer the server already sent may take to be read. */
const LATE_ANSWER_MS = 500;

/**
 * Sends a streamed body over node:http and answers as soon as the server does. fetch (undici)
 * reads no answer before its body is sent, so a server that refuses an upload early (413 past
 * its size limit, 401, 400 for the name) and stops reading would leave it writing until its
 * five-minute timeout; here the answer ends the upload at once.
 */
export function streamUpload(url: string, init: { method: string; headers: Record<string, string>; body: ReadableStream<Uint8Array> }): Promise<Response> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Readable.fromWeb(init.body as Parameters<typeof Readable.fromWeb>[0]);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(target, { method: init.method, headers: init.headers }, (response) => {
      answered = true;
      readAll(response).then(
        (answer) => {
          // The rest of the file is not wanted (a refusal) or already sent (a success).
          if (!req.writableFinished) {
            body.destroy();
            req.destroy();
          }
          resolve(new Response(answer.length > 0 ? answer : null, { status: response.statusCode ?? 0, headers: headersOf(response) }));
        },
        reject,
      );
    });
    req.on('error', (error) => {
      setTimeout(() => answered || reject(new TypeError('fetch failed', { cause: error })), LATE_ANSWER_MS);
    });
    body.on('error', (error) => req.destroy(error));
    body.pipe(req);
  });
}

async function readAll(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
