// The y-websocket messages a connection sends and reads: encoding (each built once where many
// connections send the same), awareness entries decoded for checking, and the error that closes.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { YjsCloseCode, YjsMessage } from '../wire/yjs.ts';

/** A message the connection refuses: closes it with this code. */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const message = (type: number, write: (e: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
};

export const syncStep2 = (update: Uint8Array) =>
  message(YjsMessage.sync, (e) => {
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });

/** The sync step 2 message of a document's whole encoded state, built once for every client that needs it. */
const fullStateMessages = new WeakMap<Uint8Array, Uint8Array>();
export function fullStateMessage(state: Uint8Array): Uint8Array {
  let encoded = fullStateMessages.get(state);
  if (!encoded) fullStateMessages.set(state, (encoded = syncStep2(state)));
  return encoded;
}

/** Each update's sync message, built by the first connection that relays it and reused by the rest. */
const encodedUpdates = new WeakMap<Uint8Array, Uint8Array>();
export function updateMessage(update: Uint8Array): Uint8Array {
  let encoded = encodedUpdates.get(update);
  if (!encoded) {
    encoded = message(YjsMessage.sync, (e) => syncProtocol.writeUpdate(e, update));
    encodedUpdates.set(update, encoded);
  }
  return encoded;
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 64) throw new ProtocolError(YjsCloseCode.malformed, 'too many awareness entries');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new ProtocolError(YjsCloseCode.malformed, 'awareness state must be an object');
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}
