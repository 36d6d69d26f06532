// The co-edited documents' schema as one contract: the extensions the browser editor runs are the
// ones the server builds its schema from to render Markdown, text and documents. Add a node or mark
// here and both sides have it; the renderers' tests fail until every export handles it.
import type { AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

/** The Yjs XmlFragment the editor binds to and the server's templates write to. */
export const CONTENT_FIELD = 'content';

const SAFE_LINK = /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i;

/** Whether a link address is one we let people insert or export (no javascript:, no relative paths). */
export function isSafeLink(href: string): boolean {
  return SAFE_LINK.test(href.trim());
}

/** The nodes and marks of a document; the browser adds collaboration, carets and guards (no schema of their own). */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings its own undo history, which only undoes this user's changes.
      undoRedo: false,
      heading: { levels: [1, 2, 3] },
      // Writing, a click on a link places the caret; reading, it is an ordinary link. isAllowedUri refuses javascript: and the like.
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
  ];
}
