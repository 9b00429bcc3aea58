/** A host only this machine reaches: localhost, ::1 or any 127.x.x.x address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why a server may not listen on `host` without a token, or undefined when it may. */
export function bindProblem(host: string, token: string | undefined): string | undefined {
  if (token !== undefined || isLoopback(host)) return undefined;
  return `HOST=${host} is reachable from other machines, so it needs TRAINYARD_API_TOKEN; without a token the server listens only on a loopback address (127.0.0.1, ::1, localhost)`;
}

/** `localhost:3000` -> `localhost`, `[::1]:3000` -> `::1`; undefined for what is no host[:port] at all. */
function hostnameOf(hostHeader: string): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^[\]:\s]+))(?::\d*)?$/i.exec(hostHeader);
  const hostname = match?.[1] ?? match?.[2];
  return hostname?.toLowerCase();
}

/**
 * Why a request addressed to `hostHeader` (its Host header) must be refused, or undefined when
 * it may be answered. Listening on a loopback address is not enough without a token: a page on
 * a domain whose DNS answer switches to 127.0.0.1 (DNS rebinding) is same-origin with this
 * server in the user's browser, and its requests arrive here with that domain as their Host.
 * With a token the server is meant to be reached by any name, and changes need the token.
 */
export function hostProblem(hostHeader: string | undefined, token: string | undefined): string | undefined {
  if (token) return undefined;
  const hostname = hostHeader === undefined ? undefined : hostnameOf(hostHeader);
  if (hostname !== undefined && isLoopback(hostname)) return undefined;
  const given = hostHeader === undefined ? 'a request without a Host header' : `Host "${hostHeader}"`;
  return `${given} is not a loopback name: without TRAINYARD_API_TOKEN this server answers only requests addressed to localhost, 127.0.0.1 or [::1], so that a web page on another domain that resolves to this machine (DNS rebinding) cannot use it; open the dashboard at http://127.0.0.1:<port>, or set TRAINYARD_API_TOKEN to share the server`;
}

/**
 * Why a change (a POST...) coming from `origin` (its Origin header) must be refused, or
 * undefined. Without a token, a page on any other site can still send a simple cross-site
 * POST to 127.0.0.1 (its Host is a loopback one); browsers say where it came from in Origin.
 * Requests without Origin (curl, the CLI) are not browsers' cross-site requests.
 */
export function originProblem(origin: string | undefined, token: string | undefined): string | undefined {
  if (token || origin === undefined) return undefined;
  let hostname: string | undefined;
  try {
    hostname = new URL(origin).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  } catch {
    hostname = undefined; // "null" (a sandboxed frame, a file) or garbage
  }
  if (hostname !== undefined && isLoopback(hostname)) return undefined;
  return `a change from Origin "${origin}": without TRAINYARD_API_TOKEN this server accepts changes only from its own pages on localhost, 127.0.0.1 or [::1] (or from clients that send no Origin, such as the CLI)`;
}
