import type { ApiErrorBody, DefinitionIssue } from '@trainyard/experiments/definition';
import { askForToken } from './token-dialog.js';

/** GET /api/config (apps/dashboard/src/routes/config.routes.ts). */
export interface ServerConfig {
  tokenRequired: boolean;
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
export function serverConfig(): Promise<ServerConfig> {
  // A failed read is not kept: the next change asks again.
  config ??= getJson<ServerConfig>('/api/config').catch((error: unknown) => {
    config = undefined;
    throw error;
  });
  return config;
}

/** Set while the token dialog is open: changes started together (the runs page's bulk actions) share one dialog. */
let asking: Promise<string | null> | undefined;

/** The API token for changes: asked once per browser tab (sessionStorage) when the server requires one. */
async function authorization(): Promise<Record<string, string>> {
  if (!(await serverConfig()).tokenRequired) return {};
  let token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    asking ??= askForToken().finally(() => (asking = undefined));
    token = await asking;
    if (!token) throw new ApiError(401, 'UNAUTHORIZED', 'no API token given; nothing was changed');
    // An HTTP header carries no other characters (fetch would throw, and the tab keep a token it can never send).
    if (!TOKEN_TEXT.test(token)) throw new ApiError(401, 'UNAUTHORIZED', 'an API token has only visible ASCII characters (no spaces); nothing was changed');
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  return { authorization: `Bearer ${token}` };
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (body as Partial<ApiErrorBody> | undefined)?.error;
    if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    throw new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `${response.status} ${response.statusText}`, error?.issues ?? []);
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { accept: 'application/json' } }));
}

/** A change (POST): carries the token when the server wants one. */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(await authorization()) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return parse<T>(await fetch(path, { method: 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
