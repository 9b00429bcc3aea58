import {
  ApiClient,
  ApiRequestError,
  type ApiRoutes,
  type ConfigResponse,
  type DefinitionIssue,
  type FetchLike,
  type RouteCall,
  type RouteInput,
  type RouteName,
  type RouteOutput,
} from '@trainyard/contract';
import { askForToken } from './token-dialog.js';

/** GET /api/config: whether the server wants the token, for changes and for reads. */
export type ServerConfig = ConfigResponse;

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
  config ??= call(new ApiClient(location.origin), 'config', {})
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
  if (!response.ok) throw new ApiError(response.status, 'UNAVAILABLE', `POST /api/session answered ${response.status}`);
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
 * another tab left), or the token is asked for. Pages read with read(), which waits for this;
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

/** A read: carries the tab's token (and the browser its read cookie); a 401 asks for the token once for every read, then tries again. */
const readFetch: FetchLike = async (url, init) => {
  await readAccess();
  const sent = storedToken();
  const send = (): Promise<Response> => fetch(url, { ...init, headers: { ...init.headers, ...bearer(storedToken()) } });
  const response = await send();
  if (response.status !== 401 || !readsNeedToken(await serverConfig())) return response;
  // The server's token changed since this page got its own: ask again, once for every read that
  // got a 401 (a read that gets it after another one was answered just tries again).
  if (storedToken() === sent) {
    forget(sent);
    readSession = undefined;
  }
  await readAccess();
  return send();
};

/** A change (POST): carries the token when the server wants one; a wrong token is forgotten, so that the next change asks again. */
const changeFetch: FetchLike = async (url, init) => {
  const auth = await authorization();
  const response = await fetch(url, { ...init, headers: { ...init.headers, ...auth } });
  if (response.status === 401) forget(auth.authorization?.replace(/^Bearer /, '') ?? null);
  return response;
};

const reads = new ApiClient(location.origin, readFetch);
const changes = new ApiClient(location.origin, changeFetch);

async function call<N extends RouteName>(client: ApiClient, name: N, input: RouteCall<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
  try {
    return await client.call(name, input);
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error;
    throw new ApiError(error.status, error.body?.error.code ?? 'HTTP_ERROR', error.message, error.body?.error.issues ?? []);
  }
}

/** A read of the API, typed and parsed by the contract's route table. */
export function read<N extends RouteName>(name: N, input: RouteInput<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
  // Reads have no upload: their input is the whole call.
  return call(reads, name, input as RouteCall<ApiRoutes[N]>);
}

/**
 * A change through the API (submit, cancel, rerun, predict, an upload with its file), typed and
 * parsed by the contract's route table.
 */
export function change<N extends RouteName>(name: N, input: RouteCall<ApiRoutes[N]>): Promise<RouteOutput<ApiRoutes[N]>> {
  return call(changes, name, input);
}

/** The URL of a read route, for links the browser follows itself (a download: the read cookie authorizes it). */
export function routeUrl<N extends RouteName>(name: N, input: RouteInput<ApiRoutes[N]>): string {
  return reads.url(name, input);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
