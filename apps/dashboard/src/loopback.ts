/** A host only this machine reaches: localhost, ::1 or any 127.x.x.x address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why a server may not listen on `host` without a token, or undefined when it may. */
export function bindProblem(host: string, token: string | undefined): string | undefined {
  if (token !== undefined || isLoopback(host)) return undefined;
  return `HOST=${host} is reachable from other machines, so it needs TRAINYARD_API_TOKEN; without a token the server listens only on a loopback address (127.0.0.1, ::1, localhost)`;
}
