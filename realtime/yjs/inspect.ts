// A cheap, bounded look at an untrusted Yjs update (format v1) before anything is stored: it walks
// the structs and the delete set without building them, and refuses what would be costly or would
// poison the stored log. Yjs decodes every struct of a message at once, so a 1 MiB message of
// 2-byte structs (half a million) holds the event loop for about a second; here we stop at the limit.
// Also refused: deletion ranges of length 0 (Yjs stores them, then throws on every later load) and
// deletions of content the document does not have (Yjs keeps them pending and retries them on
// every later update, forever). A legitimate client only deletes what the server sent it.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';

export class UpdateRefused extends Error {
  constructor(
    readonly reason: 'too_many_structs' | 'malformed' | 'unknown_deletion',
    message: string,
  ) {
    super(message);
  }
}

const BITS5 = 31;
const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;

/** Throws UpdateRefused when the update is malformed, too large in structs, or deletes unknown content. */
export function inspectUpdate(update: Uint8Array, doc: Y.Doc, maxStructs: number): { structs: number; deletions: number } {
  const d = decoding.createDecoder(update);
  let structs = 0;
  /** Where each client's structs in this update end (exclusive clock). */
  const ends = new Map<number, number>();
  const count = () => {
    if (++structs > maxStructs) throw new UpdateRefused('too_many_structs', `update has more than ${maxStructs} structs and deletions`);
  };
  const clients = decoding.readVarUint(d);
  for (let i = 0; i < clients; i++) {
    const numStructs = decoding.readVarUint(d);
    const client = decoding.readVarUint(d);
    let clock = decoding.readVarUint(d);
    for (let j = 0; j < numStructs; j++) {
      count();
      const info = decoding.readUint8(d);
      switch (info & BITS5) {
        case 0: // GC
        case 10: // Skip
          clock += decoding.readVarUint(d);
          continue;
      }
      if (info & BIT8) readId(d);
      if (info & BIT7) readId(d);
      if ((info & (BIT7 | BIT8)) === 0) {
        if (decoding.readVarUint(d) === 1) decoding.readVarString(d);
        else readId(d);
        if (info & BIT6) decoding.readVarString(d);
      }
      clock += skipContent(d, info & BITS5);
    }
    ends.set(client, Math.max(ends.get(client) ?? 0, clock));
  }
  let deletions = 0;
  const dsClients = decoding.readVarUint(d);
  for (let i = 0; i < dsClients; i++) {
    const client = decoding.readVarUint(d);
    const ranges = decoding.readVarUint(d);
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (let j = 0; j < ranges; j++) {
      count();
      deletions++;
      const clock = decoding.readVarUint(d);
      const len = decoding.readVarUint(d);
      if (len === 0) throw new UpdateRefused('malformed', 'empty deletion range');
      if (clock + len > known) throw new UpdateRefused('unknown_deletion', 'update deletes content the document does not have');
    }
  }
  return { structs: structs - deletions, deletions };
}

function readId(d: decoding.Decoder) {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
}

/** Skips one struct's content; returns its length in clock ticks (as Yjs counts it). */
function skipContent(d: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(d);
    case 2: {
      // JSON
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) decoding.readVarString(d);
      return n;
    }
    case 3: // binary
      decoding.readVarUint8Array(d);
      return 1;
    case 4: // string: its length in UTF-16 code units
      return decoding.readVarString(d).length;
    case 5: // embed
      decoding.readVarString(d);
      return 1;
    case 6: // format
      decoding.readVarString(d);
      decoding.readVarString(d);
      return 1;
    case 7: {
      // type
      const typeRef = decoding.readVarUint(d);
      if (typeRef > 6) throw new UpdateRefused('malformed', `unknown type ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(d); // XmlElement, XmlHook: the node name
      return 1;
    }
    case 8: {
      // any
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) decoding.readAny(d);
      return n;
    }
    case 9: // subdocument
      decoding.readVarString(d);
      decoding.readAny(d);
      return 1;
    default:
      throw new UpdateRefused('malformed', `unknown struct content ${ref}`);
  }
}
