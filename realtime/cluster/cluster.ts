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
import type { LiveServer } from '../live/io.ts';
import { connectRedis, type RedisLink } from './redis.ts';
import { YjsRelay } from './yjsRelay.ts';

/** What this instance does when another one reports a change of rights. */
export interface LocalActions {
  documentsChanged(names: string[]): Promise<void>;
  freezeDocuments(names: string[]): Promise<void>;
  credentialRevoked(credentialId: string): void;
  resultsChanged(networkId: string): void;
  /** Redis is back after an outage: re-send what local clients may have missed. */
  resumed(): void;
}

export interface Cluster {
  instanceId: string;
  relay: YjsRelay;
  redisUp(): boolean;
  /** Tell the other instances (this one has already acted). */
  documentsChanged(names: string[]): void;
  credentialRevoked(credentialId: string): void;
  resultsChanged(networkId: string): void;
  /** Ask every other instance to freeze these documents and wait for their answers (bounded). */
  freezeDocuments(names: string[]): Promise<void>;
  close(): Promise<void>;
}

export function joinCluster(ctx: AppContext, redisUrl: string, io: LiveServer, local: LocalActions): Cluster {
  const instanceId = randomBytes(8).toString('hex');
  const link: RedisLink = connectRedis(redisUrl, ctx.log);
  io.adapter(createAdapter(link.command, { streamName: 'samspil:socket.io', maxLen: 10_000 }));
  const relay = new YjsRelay(link, instanceId, ctx.log);

  io.on('documents:changed', (names) => void local.documentsChanged(names));
  io.on('credential:revoked', (credentialId) => local.credentialRevoked(credentialId));
  io.on('results:changed', (networkId) => local.resultsChanged(networkId));
  io.on('documents:freeze', (names, done) => {
    local.freezeDocuments(names).then(
      () => done(true),
      (err: unknown) => {
        ctx.log.error('freezing documents for another instance failed', { error: String(err) });
        done(false);
      },
    );
  });
  link.onResume(() => local.resumed());

  const tell = (fn: () => void) => {
    if (!link.up()) return; // the others catch up from the database; nothing to queue
    try {
      fn();
    } catch (err) {
      ctx.log.warn(`could not reach the other instances: ${String(err)}`);
    }
  };

  return {
    instanceId,
    relay,
    redisUp: link.up,
    documentsChanged: (names) => tell(() => io.serverSideEmit('documents:changed', names)),
    credentialRevoked: (credentialId) => tell(() => io.serverSideEmit('credential:revoked', credentialId)),
    resultsChanged: (networkId) => tell(() => io.serverSideEmit('results:changed', networkId)),
    async freezeDocuments(names) {
      if (!link.up()) return;
      try {
        // The adapter waits for every known instance (or its requestsTimeout) before answering.
        const answers = await io.serverSideEmitWithAck('documents:freeze', names);
        if (answers.some((ok) => !ok)) ctx.log.warn(`an instance failed to freeze ${names.join(', ')}`);
      } catch {
        ctx.log.warn(`not every instance confirmed freezing ${names.join(', ')} in time`);
      }
    },
    close: () => link.close(),
  };
}
