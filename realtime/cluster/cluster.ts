// Joins this instance to the others through Redis: socket.io rooms span instances (the Redis
// Streams adapter), rights changes reach every instance's open connections (serverSideEmit), and
// Yjs updates and awareness are relayed (YjsRelay). Without REDIS_URL none of this exists and the
// instance works alone.
//
// Why the Streams adapter rather than the pub/sub one: a stream is read from an offset, so an
// instance that loses Redis for a moment reads on where it stopped when it returns, instead of
// silently missing the leaderboard and meeting events published meanwhile.
import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { AppContext } from '../context.ts';
import type { InstanceEvents, OtherInstances } from '../events.ts';
import type { LiveServer } from '../live/io.ts';
import { connectRedis, type RedisLink } from './redis.ts';
import { YjsRelay } from './yjsRelay.ts';

/** The other instances: telling them (this one has already acted), and hearing from them. */
export interface Cluster extends OtherInstances {
  instanceId: string;
  relay: YjsRelay;
  redisUp(): boolean;
  /**
   * Act on what other instances report with this instance's handlers; `resumed` runs when Redis is
   * back after an outage, to re-send what local clients may have missed.
   */
  listen(here: InstanceEvents, resumed: () => void): void;
  close(): Promise<void>;
}

export function joinCluster(ctx: AppContext, redisUrl: string, io: LiveServer): Cluster {
  const instanceId = randomBytes(8).toString('hex');
  const link: RedisLink = connectRedis(redisUrl, ctx.log);
  io.adapter(createAdapter(link.command, { streamName: 'samspil:socket.io', maxLen: 10_000 }));
  const relay = new YjsRelay(link, instanceId, ctx.log);

  const answer = (what: string, work: Promise<void>, done: (ok: boolean) => void) =>
    work.then(
      () => done(true),
      (err: unknown) => {
        ctx.log.error(`${what} documents for another instance failed`, { error: String(err) });
        done(false);
      },
    );
  const listen = (here: InstanceEvents, resumed: () => void) => {
    io.on('documents:changed', (names) => void here.documentsChanged(names));
    io.on('credential:revoked', (credentialId) => here.credentialRevoked(credentialId));
    io.on('results:changed', (networkId) => here.resultsChanged(networkId));
    io.on('membership:changed', (userId) => void here.membershipChanged(userId));
    io.on('documents:freeze', (names, done) => void answer('freezing', here.freezeDocuments(names), done));
    io.on('documents:close', (names, done) => void answer('closing', here.closeDocuments(names), done));
    link.onResume(resumed);
  };

  const tell = (fn: () => void) => {
    if (!link.up()) return; // the others catch up from the database; nothing to queue
    try {
      fn();
    } catch (err) {
      ctx.log.warn(`could not reach the other instances: ${String(err)}`);
    }
  };

  /** Asks every other instance and waits for their answers; the adapter gives up after its requestsTimeout. */
  const askEveryone = async (event: 'documents:freeze' | 'documents:close', verb: string, names: string[]) => {
    if (!link.up()) return;
    try {
      const answers = await io.serverSideEmitWithAck(event, names);
      if (answers.some((ok) => !ok)) ctx.log.warn(`an instance failed to ${verb} ${names.join(', ')}`);
    } catch {
      ctx.log.warn(`not every instance confirmed it would ${verb} ${names.join(', ')} in time`);
    }
  };

  return {
    instanceId,
    relay,
    redisUp: link.up,
    listen,
    documentsChanged: (names) => tell(() => io.serverSideEmit('documents:changed', names)),
    credentialRevoked: (credentialId) => tell(() => io.serverSideEmit('credential:revoked', credentialId)),
    resultsChanged: (networkId) => tell(() => io.serverSideEmit('results:changed', networkId)),
    membershipChanged: (userId) => tell(() => io.serverSideEmit('membership:changed', userId)),
    freezeDocuments: (names) => askEveryone('documents:freeze', 'freeze', names),
    closeDocuments: (names) => askEveryone('documents:close', 'close', names),
    close: () => link.close(),
  };
}
