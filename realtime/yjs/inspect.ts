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
        if (decoding.readVarUint(d) === 0) throw new UpdateRefused('malformed', 'empty struct'); // GC or Skip: a length
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
 * Throws UpdateRefused when a decoded struct refers to a later struct of its own client (Yjs assumes
 * a client's own references point back, and throws while integrating, after we stored it), or when
 * the update deletes content that neither the document nor the update has (Yjs would keep such
 * deletions pending and retry them on every later update).
 */
export function checkReferences(decoded: { structs: Array<Y.Item | Y.GC>; ds: { clients: Map<number, Array<{ clock: number; len: number }>> } }, doc: Y.Doc): void {
  const ends = new Map<number, number>();
  for (const s of decoded.structs) {
    const { client, clock } = s.id;
    if (s instanceof Y.Item) {
      for (const ref of [s.origin, s.rightOrigin, s.parent]) {
        if (ref instanceof Y.ID && ref.client === client && ref.clock >= clock) throw new UpdateRefused('malformed', 'struct refers forward to its own client');
      }
    }
    ends.set(client, Math.max(ends.get(client) ?? 0, clock + s.length));
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (const r of ranges) if (r.clock + r.len > known) throw new UpdateRefused('unknown_deletion', 'update deletes content the document does not have');
  }
}

function readId(d: decoding.Decoder) {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
}

/** Skips a length-prefixed string or buffer without decoding it; returns its length in bytes. */
function skipBytes(d: decoding.Decoder): number {
  const len = decoding.readVarUint(d);
  if (d.pos + len > d.arr.length) throw new UpdateRefused('malformed', 'length beyond the end of the update');
  d.pos += len;
  return len;
}

/** A struct of length 0 breaks Yjs's binary search over a client's structs: stored, it makes the document unloadable. */
function nonEmpty(n: number) {
  if (n === 0) throw new UpdateRefused('malformed', 'empty struct');
}

/** Skips one struct's content. */
function skipContent(d: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted: a length
      return nonEmpty(decoding.readVarUint(d));
    case 2: {
      // JSON: n strings
      const n = decoding.readVarUint(d);
      nonEmpty(n);
      for (let i = 0; i < n; i++) skipBytes(d);
      return;
    }
    case 3: // binary
    case 5: // embed (JSON text)
      skipBytes(d);
      return;
    case 4: // string
      return nonEmpty(skipBytes(d));
    case 6: // format: key, JSON text
      skipBytes(d);
      skipBytes(d);
      return;
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
      nonEmpty(n);
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
