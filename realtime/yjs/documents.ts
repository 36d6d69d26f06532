// Names of the Yjs documents a meeting has: minutes, and one method note per provider.
export type DocumentRef =
  | { kind: 'minutes'; meetingId: string }
  | { kind: 'methodNote'; meetingId: string; providerId: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const MINUTES = new RegExp(`^meeting:(${ID}):minutes$`);
const NOTE = new RegExp(`^meeting:(${ID}):note:(${ID})$`);

export const minutesDocName = (meetingId: string) => `meeting:${meetingId}:minutes`;
export const methodNoteDocName = (meetingId: string, providerId: string) => `meeting:${meetingId}:note:${providerId}`;

export function parseDocumentName(name: string): DocumentRef | null {
  let m = MINUTES.exec(name);
  if (m) return { kind: 'minutes', meetingId: m[1] };
  m = NOTE.exec(name);
  if (m) return { kind: 'methodNote', meetingId: m[1], providerId: m[2] };
  return null;
}
