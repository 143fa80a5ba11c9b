import { clientKey } from '../storage';

/**
 * The client's address as this service can trust it: the socket's, or with `hops` trusted
 * reverse proxies (TRUST_PROXY_HOPS) the X-Forwarded-For entry the last trusted proxy saw.
 * Untrusted entries are ignored, so a client cannot pick its own address.
 */
export function clientAddress(req: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string } }, hops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Each trusted proxy appended the address it saw; the entry `hops` from the end is the client.
  return list.length >= hops ? list[list.length - hops] : list[0] ?? socketAddress;
}

/** The key rate limits count a client under (IPv6 by /64), from a request. */
export function requestClientKey(req: Parameters<typeof clientAddress>[0], hops: number): string {
  return clientKey(clientAddress(req, hops));
}
