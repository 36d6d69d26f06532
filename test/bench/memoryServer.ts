// A server process of its own for measuring memory per connection: either our server over a fresh
// seeded database or the reference server, nothing else, so that its RSS delta is the connections'.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestServer } from '../helpers/server.ts';
import { serveCommands } from './child.ts';
import { ourUrl, prepareFixtures, referenceUrl } from './fixtures.ts';
import { startReferenceServer } from './referenceServer.ts';

export type MemoryServerCommand =
  | { kind: 'start'; which: 'ours' }
  /** The reference needs no tokens; any six names will do. */
  | { kind: 'start'; which: 'reference'; names: string[] }
  | { kind: 'memory' };
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory after garbage collection, once RSS has stopped moving (or after 5 s). */
async function settledMemory(): Promise<MemoryReading> {
  let last = Number.NaN;
  for (let i = 0; i < 25; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 200));
    const { rss } = process.memoryUsage();
    if (Math.abs(rss - last) < 64 * 1024) break;
    last = rss;
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

serveCommands<MemoryServerCommand>(async (command) => {
  if (command.kind === 'memory') return settledMemory();
  if (command.which === 'reference') {
    const reference = await startReferenceServer();
    return command.names.map((name) => referenceUrl(reference.url, name));
  }
  // Every benchmark client connects from 127.0.0.1: lift the per-address connection limit (200 by
  // default), which would refuse the measured connections with HTTP 429.
  const server = await startTestServer({ yjsLimits: { maxConnectionsPerAddress: 100_000 } });
  const fixtures = await prepareFixtures(server);
  return fixtures.notes.map((n) => ourUrl(server, n.name, n.token));
});
