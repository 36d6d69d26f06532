// What the server stored, read straight from its SQLite file while it is down: a Yjs document, and
// whether it holds everything another document holds (crash and fault tests).
import * as Y from 'yjs';
import { openDatabase } from '../../db/dialect.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';

export async function storedDoc(dbUrl: string, name: string): Promise<Y.Doc> {
  const handle = openDatabase(dbUrl);
  try {
    const update = await new DatabaseDocumentStore({ db: handle.db, postgres: false, now: () => new Date() }).load(name);
    const doc = new Y.Doc();
    if (update) Y.applyUpdate(doc, update);
    return doc;
  } finally {
    await handle.close();
  }
}

/** Whether `stored` holds every struct `other` holds. */
export function contains(stored: Y.Doc, other: Y.Doc): boolean {
  const missing = Y.decodeUpdate(Y.diffUpdate(Y.encodeStateAsUpdate(other), Y.encodeStateVector(stored)));
  return missing.structs.length === 0;
}
