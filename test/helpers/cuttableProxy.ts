// A TCP forwarder to a real service (PostgreSQL) that a test can cut, hang and restore, to take the
// service away from one server without stopping it for everything else on the machine.
import net from 'node:net';
import { Transform } from 'node:stream';
import { freePort } from './process.ts';

export interface CuttableProxy {
  port: number;
  /** Drops every open connection and refuses new ones. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  /**
   * A hung service: connections stay open and new ones are accepted, but every byte either way is
   * swallowed, so nothing is ever answered (a frozen database, a network that drops packets).
   */
  hang(): void;
  /** Forwards again; bytes swallowed meanwhile stay lost, so a connection used during the hang is broken. */
  unhang(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(target: { host: string; port: number }): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let hanging = false;
  const gate = () => new Transform({ transform: (chunk, _encoding, done) => done(null, hanging ? undefined : chunk) });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(gate()).pipe(upstream).pipe(gate()).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return {
    port,
    cut: stop,
    restore: listen,
    hang: () => void (hanging = true),
    unhang: () => void (hanging = false),
    close: stop,
  };
}
