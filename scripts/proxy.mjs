// A tiny TCP round-robin load balancer for trying several instances on one machine. It forwards
// whole connections (HTTP, WebSocket upgrades alike) to the next backend that accepts, so a dead
// instance is skipped. Not for production: use your platform's load balancer there.
import net from 'node:net';

/**
 * @param {{ port: number, host?: string, backends: Array<{ host: string, port: number }>, log?: (line: string) => void }} options
 * @returns {Promise<net.Server>}
 */
export function startProxy({ port, host = '127.0.0.1', backends, log = () => {} }) {
  let next = 0;
  const server = net.createServer((client) => {
    client.pause();
    const tryBackend = (attempt) => {
      if (attempt >= backends.length) {
        log('proxy: no instance accepted the connection');
        client.destroy();
        return;
      }
      const backend = backends[next++ % backends.length];
      const upstream = net.connect(backend.port, backend.host);
      upstream.once('connect', () => {
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.once('error', () => tryBackend(attempt + 1));
    };
    tryBackend(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
