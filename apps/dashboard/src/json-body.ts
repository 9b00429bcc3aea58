import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-errors.js';

/**
 * Deepest nesting of arrays and objects a request body may have. A definition is about six
 * levels deep and a sweep eight; 10,000 levels overflowed the stack of the code that walks it.
 */
export const MAX_JSON_DEPTH = 64;

/** The depth of the deepest array or object in JSON text, counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** `application/json; charset=utf-16` -> 'utf-16'; undefined when no charset is given. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * Replaces Fastify's body parsers with one for JSON that refuses what it would misread or what
 * would hurt the process: a charset other than UTF-8 (415: the body would be decoded as UTF-8
 * anyway) and nesting deeper than MAX_JSON_DEPTH (400), before parsing. Parsing itself stays
 * Fastify's, which refuses `__proto__` and `constructor.prototype` keys.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  // JSON only: text/plain is also what a cross-site HTML form may post without asking.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = typeof raw === 'string' ? raw : raw.toString('utf8');
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(new HttpError(415, 'UNSUPPORTED_CHARSET', `charset "${charset}": request bodies must be JSON in UTF-8`), undefined);
      return;
    }
    if (jsonDepth(body) > MAX_JSON_DEPTH) {
      done(new HttpError(400, 'INVALID_JSON', `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`), undefined);
      return;
    }
    parse(request, body, done);
  });
}
