import net from 'node:net';

/**
 * A TCP port free on loopback right now, for servers that tests and benchmarks start. Kept free
 * of vitest imports so the benchmarks (plain Node) can use it too.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
