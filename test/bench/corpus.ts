// The stored history of a long-edited document: 10,000 small real Yjs updates, as typing into the
// editor's XML fragment produces them (words, new paragraphs, the odd backspace). Deterministic, so
// the client process and the server process generate byte-identical updates.
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../realtime/yjs/templates.ts';

const WORDS = 'deltager praktik virksomhed samtale mentor opfølgning fastholdelse kandidat job netværk aktivering ledighed'.split(' ');

export function typingHistory(count: number, clientId = 4242): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  let text: Y.XmlText | null = null;
  for (let i = 0; updates.length < count; i++) {
    if (!text || i % 40 === 0) {
      const paragraph = new Y.XmlElement('paragraph');
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
      fragment.insert(fragment.length, [paragraph]);
    } else if (i % 7 === 0 && text.length > 0) {
      text.delete(text.length - 1, 1); // a backspace
    } else {
      text.insert(text.length, WORDS[i % WORDS.length] + ' ');
    }
  }
  doc.destroy();
  return updates;
}
