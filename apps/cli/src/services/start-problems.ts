/** Where the client commands look when TRAINYARD_URL is not set (env.ts' default). */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/**
 * The command to type in another terminal to talk to the API at `url`: `npx trainyard ls`
 * where that is the default address, else with TRAINYARD_URL set to it (a PORT=3400 demo).
 * A server that wants a token needs TRAINYARD_API_TOKEN too, which the user has (it started it).
 */
export function clientHint(url: string, tokenRequired = false): string {
  const parts = [];
  if (!sameUrl(url, DEFAULT_API_URL)) parts.push(`TRAINYARD_URL=${url}`);
  if (tokenRequired) parts.push('TRAINYARD_API_TOKEN=...');
  return [...parts, 'npx trainyard ls'].join(' ');
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}

/**
 * Why a service command could not start, in one line a user can act on: a taken port says
 * which and what to set instead of a raw `listen EADDRINUSE`; anything else its own message.
 */
export function describeStartError(error: unknown): string {
  const e = error as Partial<NodeJS.ErrnoException> & { address?: string; port?: number };
  const message = error instanceof Error ? error.message : String(error);
  if (e.syscall !== 'listen' || e.port === undefined) return message;
  const where = `${e.address ?? 'this machine'}:${e.port}`;
  if (e.code === 'EADDRINUSE') {
    return `port ${e.port} is in use (${where}: another trainyard, or another server, listens there): stop it, or set PORT to a free port, e.g. PORT=${e.port + 1} (PORT=0 takes any free one)`;
  }
  if (e.code === 'EACCES') return `port ${e.port} needs privileges to listen on (${where}): set PORT to one above 1023, e.g. PORT=3000`;
  if (e.code === 'EADDRNOTAVAIL') return `${e.address ?? 'HOST'} is not an address of this machine: set HOST to one of its addresses (127.0.0.1, or 0.0.0.0 for all)`;
  return message;
}

/**
 * Rejects with the listen error (EADDRINUSE, EACCES, ...) when host:port cannot be listened on
 * now, so a command says so before it opens (or creates) a database; port 0 always can.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
