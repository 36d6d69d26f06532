// One colour per person, the same in every browser: picked from the user id the server stamps on
// presence, from a palette where white label text has at least 4.5:1 contrast (WCAG AA).

/** Kept in step with the .person-colour-N classes in editor.css. */
export const PALETTE_SIZE = 8;

/** FNV-1a, so the same id gives the same colour everywhere without a lookup. */
export function colourIndex(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % PALETTE_SIZE;
}

export const colourClass = (userId: string) => `person-colour-${colourIndex(userId)}`;
