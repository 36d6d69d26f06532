// Relays Yjs updates and awareness between instances over Redis pub/sub, one channel per loaded
// document. An update is published only after the instance that received it has stored it, so a
// relayed update never carries an edit the database lacks; receivers apply it in memory without
// storing it again. Pub/sub forgets what it could not deliver, so after a Redis outage each
// instance reloads its open documents from the database (the store of record) to catch up.
import type { Logger } from '../context.ts';
import type { RedisLink } from './redis.ts';
import type { DocumentRelay, RelayHandlers } from '../yjs/registry.ts';

export const YJS_CHANNEL_PREFIX = 'samspil:yjs:';

const enum Kind {
  Update = 0,
  Awareness = 1,
}

export class YjsRelay implements DocumentRelay {
  readonly #link: RedisLink;
  readonly #instanceId: Buffer;
  readonly #log: Logger;
  readonly #followed = new Map<string, RelayHandlers>();

  constructor(link: RedisLink, instanceId: string, log: Logger) {
    this.#link = link;
    this.#instanceId = Buffer.from(instanceId.padEnd(16, '-').slice(0, 16), 'latin1');
    this.#log = log;
    link.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel.toString('utf8'), message));
  }

  /** Start hearing other instances' updates of a document (when it loads here). */
  follow(name: string, handlers: RelayHandlers): void {
    this.#followed.set(name, handlers);
    this.#link.subscriber.subscribe(YJS_CHANNEL_PREFIX + name).catch((err: Error) => this.#log.warn(`redis: could not follow ${name}: ${err.message}`));
  }

  /** Stop (when it unloads here). */
  unfollow(name: string): void {
    this.#followed.delete(name);
    this.#link.subscriber.unsubscribe(YJS_CHANNEL_PREFIX + name).catch(() => {});
  }

  /** The documents this instance follows: what to reload after an outage. */
  followed(): string[] {
    return [...this.#followed.keys()];
  }

  publishUpdate(name: string, update: Uint8Array): void {
    this.#publish(name, Kind.Update, update);
  }

  publishAwareness(name: string, update: Uint8Array): void {
    this.#publish(name, Kind.Awareness, update);
  }

  #publish(name: string, kind: Kind, payload: Uint8Array): void {
    // Nothing is queued while Redis is away: the database catch-up replaces what is missed.
    if (!this.#link.up()) return;
    const message = Buffer.concat([Buffer.from([kind]), this.#instanceId, payload]);
    this.#link.command.publish(YJS_CHANNEL_PREFIX + name, message).catch(() => {});
  }

  #receive(channel: string, message: Buffer): void {
    if (!channel.startsWith(YJS_CHANNEL_PREFIX) || message.length < 17) return;
    if (message.subarray(1, 17).equals(this.#instanceId)) return; // our own
    const handlers = this.#followed.get(channel.slice(YJS_CHANNEL_PREFIX.length));
    if (!handlers) return;
    const payload = new Uint8Array(message.buffer, message.byteOffset + 17, message.length - 17);
    try {
      if (message[0] === Kind.Update) handlers.update(payload);
      else if (message[0] === Kind.Awareness) handlers.awareness(payload);
    } catch (err) {
      this.#log.warn(`redis: a relayed message for ${channel} could not be applied: ${String(err)}`);
    }
  }
}
