// Client processes of the cluster benchmark connect from many loopback addresses. Our server limits
// connections per client address (200 Yjs connections, 1,000 socket.io connections: hostile-client
// protection), and thousands of projectors and laptops do not share one address; so every loopback
// connection a client process makes is bound to a source address of its own block, at most
// PER_ADDRESS connections each (127.0.0.0/8 is all loopback on Linux). RawClient and socket.io-client
// take no socket options, hence the hook on net.connect, which ws calls for every client socket.
import net from 'node:net';

const PER_ADDRESS = 50;
let hooked = false;

/** From now on, this process's connections to 127.0.0.1 come from 127.<base + block>.x.y. */
export function spreadSourceAddresses(block: number, base = 10): void {
  if (hooked) return;
  hooked = true;
  let made = 0;
  const connect = net.connect;
  (net as { connect: unknown }).connect = (options: net.NetConnectOpts & { host?: string }, ...rest: unknown[]) => {
    if (typeof options === 'object' && options && 'host' in options && options.host === '127.0.0.1' && !('localAddress' in options)) {
      const k = Math.floor(made++ / PER_ADDRESS);
      options = { ...options, localAddress: `127.${base + block}.${(k >> 8) & 255}.${(k & 255) + 1}` };
    }
    return (connect as (...args: unknown[]) => net.Socket)(options, ...rest);
  };
}
