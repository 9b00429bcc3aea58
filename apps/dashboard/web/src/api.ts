import type { ApiErrorBody, DefinitionIssue } from '@trainyard/contract';
import { askForToken } from './token-dialog.js';

/** GET /api/config (apps/dashboard/src/routes/config.routes.ts). */
export interface ServerConfig {
  /** Changes need the API token, and reads too unless `publicReads`. */
  tokenRequired: boolean;
  publicReads: boolean;
  host: string;
  local: boolean;
}

const TOKEN_KEY = 'trainyard.apiToken';
const TOKEN_TEXT = /^[\x21-\x7e]+$/;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: DefinitionIssue[] = [],
  ) {
    super(message);
  }
}

let config: Promise<ServerConfig> | undefined;
/** GET /api/config, once per page; public, so it is read without the token. */
export function serverConfig(): Promise<ServerConfig> {
  // A failed read is not kept: the next call asks again.
  config ??= fetch('/api/config', { headers: { accept: 'application/json' } })
    .then((response) => parse<ServerConfig>(response))
    .catch((error: unknown) => {
      config = undefined;
      throw error;
    });
  return config;
}

/** Reads need the token: the server has one and does not open reads to all (TRAINYARD_PUBLIC_READS). */
export function readsNeedToken(server: ServerConfig): boolean {
  return server.tokenRequired && !server.publicReads;
}

function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

function bearer(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Forgets `token` unless another request already replaced it with a newer one. */
function forget(token: string | null): void {
  if (storedToken() === token) sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * POST /api/session: the server sets the read cookie (HttpOnly, SameSite=Strict) that
 * EventSource and download links show, which cannot send a header. False when the token is wrong.
 */
async function openSession(token: string): Promise<boolean> {
  const response = await fetch('/api/session', { method: 'POST', headers: bearer(token) });
  if (response.status === 401) return false;
  if (!response.ok) await parse(response); // throws the server's error
  return true;
}

type Asked = { token: string } | { problem: 'none' | 'text' | 'wrong' };

/** Set while the token dialog is open: reads and changes started together (a page loading, a bulk rerun) share one dialog. */
let asking: Promise<Asked> | undefined;

/**
 * Asks for the API token (once for every request waiting on it) and keeps it for this tab
 * (sessionStorage). When reads need it too, it also opens the read session, which checks it.
 */
function askAndKeepToken(): Promise<Asked> {
  asking ??= (async (): Promise<Asked> => {
    const server = await serverConfig();
    const token = await askForToken(readsNeedToken(server));
    if (!token) return { problem: 'none' };
    // An HTTP header carries no other characters (fetch would throw, and the tab keep a token it can never send).
    if (!TOKEN_TEXT.test(token)) return { problem: 'text' };
    if (readsNeedToken(server) && !(await openSession(token))) return { problem: 'wrong' };
    sessionStorage.setItem(TOKEN_KEY, token);
    declined = false;
    return { token };
  })().finally(() => (asking = undefined));
  return asking;
}

function tokenError(problem: 'none' | 'text' | 'wrong', consequence: string): ApiError {
  const what = { none: 'no API token given', text: 'an API token has only visible ASCII characters (no spaces)', wrong: 'the API token was not accepted' }[problem];
  return new ApiError(401, 'UNAUTHORIZED', `${what}; ${consequence}`);
}

const NOTHING_SHOWN = 'this server shows nothing without it (reload the page to enter it)';

/**
 * The user closed the token dialog a read asked for: later reads (polling, the live stream) do
 * not ask again and again; a change (which the user starts) or a reload does.
 */
let declined = false;

let readSession: Promise<void> | undefined;

/**
 * Makes sure this browser may read, once per page (and again after a 401): when the server
 * wants the token for reads, the read cookie is set (from the tab's token, or a valid one that
 * another tab left), or the token is asked for. Pages read with getJson, which waits for this;
 * the live stream (live.ts) waits for it too, since EventSource cannot send a header and gets
 * a 401 it never recovers from.
 */
export function readAccess(): Promise<void> {
  readSession ??= (async () => {
    if (!readsNeedToken(await serverConfig())) return;
    const token = storedToken();
    if (token) {
      if (await openSession(token)) return;
      forget(token); // the server's token changed
    }
    // A cookie another tab of this browser left (cookies are per browser, the token per tab).
    if ((await fetch('/api/session', { headers: { accept: 'application/json' } })).ok) return;
    if (declined) throw tokenError('none', NOTHING_SHOWN);
    const asked = await askAndKeepToken();
    if ('problem' in asked) {
      if (asked.problem === 'none') declined = true;
      throw tokenError(asked.problem, NOTHING_SHOWN);
    }
  })().catch((error: unknown) => {
    readSession = undefined;
    throw error;
  });
  return readSession;
}

/** The API token for changes: asked once per browser tab (sessionStorage) when the server requires one. */
async function authorization(): Promise<Record<string, string>> {
  if (!(await serverConfig()).tokenRequired) return {};
  let token = storedToken();
  if (!token) {
    const asked = await askAndKeepToken();
    if ('problem' in asked) throw tokenError(asked.problem, 'nothing was changed');
    token = asked.token;
  }
  return bearer(token);
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (body as Partial<ApiErrorBody> | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `${response.status} ${response.statusText}`, error?.issues ?? []);
  }
  return body as T;
}

/** A read: carries the tab's token (and the browser its read cookie); a 401 asks for the token once for every read, then tries again. */
export async function getJson<T>(path: string): Promise<T> {
  await readAccess();
  const sent = storedToken();
  const read = (): Promise<Response> => fetch(path, { headers: { accept: 'application/json', ...bearer(storedToken()) } });
  let response = await read();
  if (response.status === 401 && readsNeedToken(await serverConfig())) {
    // The server's token changed since this page got its own: ask again, once for every read that
    // got a 401 (a read that gets it after another one was answered just tries again).
    if (storedToken() === sent) {
      forget(sent);
      readSession = undefined;
    }
    await readAccess();
    response = await read();
  }
  return parse<T>(response);
}

/** A change (POST): carries the token when the server wants one. */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(await authorization()) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method: 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  // A wrong token is forgotten, so that the next change asks again.
  if (response.status === 401) forget(headers.authorization?.replace(/^Bearer /, '') ?? null);
  return parse<T>(response);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
