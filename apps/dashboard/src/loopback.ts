import { isIPv6 } from 'node:net';
import { hostname as machineHostname, networkInterfaces } from 'node:os';

/** A host only this machine reaches: localhost, ::1 or any 127.x.x.x address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** HOST values that listen on every address of the machine: they name no host a request is addressed to. */
function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/**
 * The shortest token a server reachable from other machines takes. 32 characters of
 * `openssl rand -hex 32` (which gives 64) are 128 bits: no one guesses that over HTTP, while a
 * word or a short password falls to a dictionary long before.
 */
export const MIN_SHARED_TOKEN_LENGTH = 32;

/** Why a server may not listen on `host` without a token, or undefined when it may. */
export function bindProblem(host: string, token: string | undefined): string | undefined {
  if (token !== undefined || isLoopback(host)) return undefined;
  return `HOST=${host} is reachable from other machines, so it needs TRAINYARD_API_TOKEN; without a token the server listens only on a loopback address (127.0.0.1, ::1, localhost)`;
}

/**
 * Why `token` is too weak for a server on `host`, or undefined. On a loopback address only this
 * machine's users reach the server, so a short token (or none) is the owner's call; beyond it,
 * anyone on the network may try tokens. The message never repeats the token.
 */
export function tokenProblem(host: string, token: string | undefined): string | undefined {
  if (token === undefined || isLoopback(host) || token.length >= MIN_SHARED_TOKEN_LENGTH) return undefined;
  return `TRAINYARD_API_TOKEN is ${token.length} characters long; a server reachable from other machines (HOST=${host}) needs one of at least ${MIN_SHARED_TOKEN_LENGTH}: make one with \`openssl rand -hex 32\``;
}

/** `localhost:3000` -> `localhost`, `[::1]:3000` -> `::1`; undefined for what is no host[:port] at all. */
function hostnameOf(hostHeader: string): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^[\]:\s@/?#]+))(?::\d*)?$/i.exec(hostHeader);
  const hostname = match?.[1] ?? match?.[2];
  return hostname?.toLowerCase();
}

/**
 * One entry of TRAINYARD_ALLOWED_HOSTS as the allow-list compares it (lower case, an IPv6
 * address without brackets), or undefined when it is no host name or address (a port, a
 * scheme, a path). `*` stands for any host.
 */
export function allowedHostEntry(entry: string): string | undefined {
  const text = entry.trim().toLowerCase();
  if (text === '*') return text;
  const bare = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  if (isIPv6(bare)) return bare;
  return /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(bare) ? bare : undefined;
}

/** This machine's name and the addresses of its network interfaces, as a Host header names them. */
function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .map((a) => a?.address.replace(/%.*$/, '').toLowerCase())
    .filter((a): a is string => a !== undefined);
  return [machineHostname().toLowerCase(), ...addresses];
}

/** Interfaces come and go (DHCP, VPNs): a miss re-reads them, at most this often. */
const MACHINE_REREAD_MS = 10_000;

export interface HostAllowListOptions {
  token: string | undefined;
  /** HOST, the address the server listens on: a name or address that is no wildcard is one of its own. */
  host: string;
  /** TRAINYARD_ALLOWED_HOSTS, as allowedHostEntry gives them; `*` admits any. */
  allowedHosts: readonly string[];
  /** This machine's names and addresses; os.hostname() and os.networkInterfaces() unless given (tests). */
  machine?: () => string[];
}

/**
 * The Host check against DNS rebinding: a page on a domain whose DNS answer switches to this
 * machine's (or a LAN server's) address is same-origin with this server in the user's browser,
 * and its requests arrive with that domain as their Host. Listening on a loopback address does
 * not stop it, and neither does a token: with public reads such a page reads every run, and
 * without them it still learns what the server answers. So every request must be addressed to a name the
 * server knows as its own: loopback names and TRAINYARD_ALLOWED_HOSTS always, and with a token
 * (a server shared over the network) also this machine's hostname, its interface addresses and
 * the bound HOST. Gives the reason a request addressed to `hostHeader` is refused, or undefined.
 * The reason names no address or name of the machine: a rebinding page can read it.
 */
export function hostAllowList(options: HostAllowListOptions): (hostHeader: string | undefined) => string | undefined {
  const listed = new Set(
    options.allowedHosts.map((entry) => {
      const host = allowedHostEntry(entry);
      if (host === undefined) throw new Error(`allowed host "${entry}" is not a host name or address (no scheme, no port; * for any)`);
      return host;
    }),
  );
  const anyHost = listed.has('*');
  const bound = isWildcard(options.host) ? undefined : allowedHostEntry(options.host);
  const machine = options.machine ?? machineNames;
  let own = new Set(options.token ? machine() : []);
  let ownReadAt = Date.now();
  const isOwn = (hostname: string): boolean => {
    if (!options.token) return false;
    if (hostname === bound || own.has(hostname)) return true;
    if (Date.now() - ownReadAt < MACHINE_REREAD_MS) return false;
    own = new Set(machine());
    ownReadAt = Date.now();
    return own.has(hostname);
  };
  return (hostHeader) => {
    if (anyHost) return undefined;
    const hostname = hostHeader === undefined ? undefined : hostnameOf(hostHeader);
    if (hostname !== undefined && (isLoopback(hostname) || listed.has(hostname) || isOwn(hostname))) return undefined;
    const given = hostHeader === undefined ? 'a request without a Host header' : `Host "${hostHeader}"`;
    if (!options.token) {
      return `${given} is not a loopback name: without TRAINYARD_API_TOKEN this server answers only requests addressed to localhost, 127.0.0.1, [::1] or a name in TRAINYARD_ALLOWED_HOSTS, so that a web page on another domain that resolves to this machine (DNS rebinding) cannot use it; open the dashboard at http://127.0.0.1:<port>, or add the name you use to TRAINYARD_ALLOWED_HOSTS (comma-separated)`;
    }
    return `${given} is not one of this server's names: it answers only requests addressed to a loopback name, this machine's name or addresses, or a name in TRAINYARD_ALLOWED_HOSTS, so that a web page on another domain that resolves to this machine (DNS rebinding) cannot use it; add the name the server is reached by (a reverse proxy's, a DNS alias) to TRAINYARD_ALLOWED_HOSTS (comma-separated, * for any)`;
  };
}

/**
 * Why a change (a POST...) coming from `origin` (its Origin header) to a request addressed to
 * `hostHeader` must be refused, or undefined. Without a token, any page the user's browser
 * shows can still send a simple POST to 127.0.0.1 (its Host is a loopback one), a page on
 * another loopback port (another dev server) included; browsers say where it came from in
 * Origin, which must then be this server's own: http:// and the Host the request is addressed
 * to. Requests without Origin (curl, the CLI) are not browsers' cross-site requests. With a
 * token, changes need the Authorization header, which no cross-site page can send.
 */
export function originProblem(origin: string | undefined, hostHeader: string | undefined, token: string | undefined): string | undefined {
  if (token || origin === undefined) return undefined;
  const own = hostHeader !== undefined && hostnameOf(hostHeader) !== undefined ? originOf(`http://${hostHeader}`) : undefined;
  // "null" (a sandboxed frame, a file) or garbage has no origin.
  if (own !== undefined && originOf(origin) === own) return undefined;
  return `a change from Origin "${origin}": without TRAINYARD_API_TOKEN this server accepts changes only from its own pages (${own ?? 'its own origin'}) or from clients that send no Origin, such as the CLI`;
}

function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
