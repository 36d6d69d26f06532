// A cheap, bounded look at an untrusted Yjs update (format v1) before anything is stored: it walks
// the structs and the delete set without building them, and refuses what would be costly or would
// poison the stored log. Yjs decodes every struct of a message at once, so a 1 MiB message of
// 2-byte structs (half a million) holds the event loop for about a second; here we stop at the limit.
// Also refused: deletion ranges of length 0 (Yjs stores them, then throws on every later load) and
// deletions of content the document does not have (Yjs keeps them pending and retries them on
// every later update, forever; see checkDeletions). A legitimate client only deletes what the server sent it.
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

/**
 * Throws UpdateRefused when the update has more than `maxStructs` structs and deletion ranges, an
 * empty deletion range, or content of an unknown kind. Strings are skipped, not decoded; Yjs's own
 * decoder reads the update afterwards (and throws on what this walk let through).
 */
export function inspectUpdate(update: Uint8Array, maxStructs: number): void {
  const d = decoding.createDecoder(update);
  let structs = 0;
  const count = () => {
    if (++structs > maxStructs) throw new UpdateRefused('too_many_structs', `update has more than ${maxStructs} structs and deletions`);
  };
  const clients = decoding.readVarUint(d);
  for (let i = 0; i < clients; i++) {
    const numStructs = decoding.readVarUint(d);
    decoding.readVarUint(d); // client
    decoding.readVarUint(d); // clock
    for (let j = 0; j < numStructs; j++) {
      count();
      const info = decoding.readUint8(d);
      const ref = info & BITS5;
      if (ref === 0 || ref === 10) {
        decoding.readVarUint(d); // GC or Skip: a length
        continue;
      }
      if (info & BIT8) readId(d);
      if (info & BIT7) readId(d);
      if ((info & (BIT7 | BIT8)) === 0) {
        if (decoding.readVarUint(d) === 1) skipBytes(d);
        else readId(d);
        if (info & BIT6) skipBytes(d);
      }
      skipContent(d, ref);
    }
  }
  const dsClients = decoding.readVarUint(d);
  for (let i = 0; i < dsClients; i++) {
    decoding.readVarUint(d); // client
    const ranges = decoding.readVarUint(d);
    for (let j = 0; j < ranges; j++) {
      count();
      decoding.readVarUint(d); // clock
      if (decoding.readVarUint(d) === 0) throw new UpdateRefused('malformed', 'empty deletion range');
    }
  }
}

/**
 * Throws UpdateRefused when the decoded update deletes content that neither the document nor the
 * update itself has: Yjs would keep such deletions pending and retry them on every later update.
 */
export function checkDeletions(decoded: { structs: Array<{ id: { client: number; clock: number }; length: number }>; ds: { clients: Map<number, Array<{ clock: number; len: number }>> } }, doc: Y.Doc): void {
  if (decoded.ds.clients.size === 0) return;
  const ends = new Map<number, number>();
  for (const s of decoded.structs) ends.set(s.id.client, Math.max(ends.get(s.id.client) ?? 0, s.id.clock + s.length));
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (const r of ranges) if (r.clock + r.len > known) throw new UpdateRefused('unknown_deletion', 'update deletes content the document does not have');
  }
}

function readId(d: decoding.Decoder) {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
}

/** Skips a length-prefixed string or buffer without decoding it. */
function skipBytes(d: decoding.Decoder) {
  const len = decoding.readVarUint(d);
  if (d.pos + len > d.arr.length) throw new UpdateRefused('malformed', 'length beyond the end of the update');
  d.pos += len;
}

/** Skips one struct's content. */
function skipContent(d: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted: a length
      decoding.readVarUint(d);
      return;
    case 2: {
      // JSON: n strings
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) skipBytes(d);
      return;
    }
    case 3: // binary
    case 4: // string
    case 5: // embed (JSON text)
      return skipBytes(d);
    case 6: // format: key, JSON text
      skipBytes(d);
      return skipBytes(d);
    case 7: {
      // type
      const typeRef = decoding.readVarUint(d);
      if (typeRef > 6) throw new UpdateRefused('malformed', `unknown type ${typeRef}`);
      if (typeRef === 3 || typeRef === 5) skipBytes(d); // XmlElement, XmlHook: the node name
      return;
    }
    case 8: {
      // any: n values
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) decoding.readAny(d);
      return;
    }
    case 9: // subdocument: guid, options
      skipBytes(d);
      decoding.readAny(d);
      return;
    default:
      throw new UpdateRefused('malformed', `unknown struct content ${ref}`);
  }
}
