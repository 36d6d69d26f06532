// The Tiptap editor bound to a shared document's 'content' fragment, with other people's carets,
// the CPR and read-only guards, and the toolbar's state and commands. Browser-only.
import { Editor, Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import type { CollaborationSession } from './collaboration.svelte.ts';
import { colourClass } from './colors.ts';
import { DocumentGuard, TabMovesFocus } from './guards.ts';
import { CONTENT_FIELD, documentExtensions, isSafeLink } from '$wire/editor.ts';

export interface ToolbarState {
  heading2: boolean;
  heading3: boolean;
  bold: boolean;
  italic: boolean;
  bulletList: boolean;
  orderedList: boolean;
  quote: boolean;
  link: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

export type ToolbarCommand = 'heading2' | 'heading3' | 'bold' | 'italic' | 'bulletList' | 'orderedList' | 'quote' | 'undo' | 'redo';

export interface NoteEditorOptions {
  element: HTMLElement;
  session: CollaborationSession;
  user: { id: string; name: string };
  writable: boolean;
  /** The editable area's accessible name. */
  label: string;
  /** Id of a visible explanation of the keyboard behaviour. */
  describedBy?: string;
}

export class NoteEditor {
  toolbar: ToolbarState = $state(emptyToolbar());
  /** Bumped each time a CPR number is refused, so the page can show (and re-announce) the message. */
  cprBlocks = $state(0);
  readonly editor: Editor;
  private writable: boolean;

  constructor(private readonly options: NoteEditorOptions) {
    this.writable = options.writable;
    const { session, user } = options;
    this.editor = new Editor({
      element: options.element,
      editable: this.mayEdit(),
      extensions: [
        // The schema shared with the server's renderers (realtime/wire/editor.ts).
        ...documentExtensions(),
        Collaboration.configure({ document: session.doc, field: CONTENT_FIELD }),
        CollaborationCaret.configure({
          provider: session.provider,
          // The same fields the session announced; the server replaces name and id with the signed-in user's.
          user: session.provider.awareness.getLocalState()?.user ?? { id: user.id, name: user.name },
          render: renderCaret,
          selectionRender: (person) => ({ nodeName: 'span', class: `collaboration-selection ${colourClass(personKey(person))}` }),
        }),
        DocumentGuard.configure({ mayEdit: () => this.mayEdit(), onCprBlocked: () => this.cprBlocks++ }),
        TabMovesFocus,
        // A plugin, not editorProps: Tiptap only applies an attributes function given there once editable changes.
        Extension.create({
          name: 'textboxAttributes',
          addProseMirrorPlugins: () => [
            new Plugin({
              props: {
                attributes: () => ({
                  role: 'textbox',
                  'aria-multiline': 'true',
                  'aria-label': options.label,
                  ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
                  'aria-readonly': this.mayEdit() ? 'false' : 'true',
                  class: 'document-text',
                }),
              },
            }),
          ],
        }),
      ],
      coreExtensionOptions: { tabindex: { value: '0' } },
      onTransaction: () => this.refreshToolbar(),
    });
    this.refreshToolbar();
  }

  /** Writable, and the content has arrived (typing into an empty placeholder would duplicate it). */
  mayEdit(): boolean {
    return this.writable && this.options.session.ready;
  }

  /** Call when rights or readiness change. */
  update(writable: boolean): void {
    this.writable = writable;
    if (this.editor.isEditable !== this.mayEdit()) this.editor.setEditable(this.mayEdit());
    this.refreshToolbar();
  }

  run(command: ToolbarCommand): void {
    const chain = this.editor.chain().focus();
    switch (command) {
      case 'heading2':
        chain.toggleHeading({ level: 2 }).run();
        break;
      case 'heading3':
        chain.toggleHeading({ level: 3 }).run();
        break;
      case 'bold':
        chain.toggleBold().run();
        break;
      case 'italic':
        chain.toggleItalic().run();
        break;
      case 'bulletList':
        chain.toggleBulletList().run();
        break;
      case 'orderedList':
        chain.toggleOrderedList().run();
        break;
      case 'quote':
        chain.toggleBlockquote().run();
        break;
      case 'undo':
        chain.undo().run();
        break;
      case 'redo':
        chain.redo().run();
        break;
    }
  }

  /** The link under the cursor, if any, to prefill the link form. */
  currentLink(): string {
    return (this.editor.getAttributes('link').href as string | undefined) ?? '';
  }

  /** Links the selection (or the word-less cursor: inserts the address as its own text). */
  setLink(href: string): boolean {
    const url = href.trim();
    if (!isSafeLink(url)) return false;
    const { empty } = this.editor.state.selection;
    if (empty && !this.editor.isActive('link')) {
      this.editor.chain().focus().insertContent({ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }).run();
    } else {
      this.editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
    }
    return true;
  }

  unsetLink(): void {
    this.editor.chain().focus().extendMarkRange('link').unsetLink().run();
  }

  focus(): void {
    this.editor.commands.focus();
  }

  destroy(): void {
    this.editor.destroy();
  }

  private refreshToolbar() {
    // Also called by transactions during construction, before `editor` is assigned.
    const e = this.editor as Editor | undefined;
    if (!e || e.isDestroyed) return;
    this.toolbar = {
      heading2: e.isActive('heading', { level: 2 }),
      heading3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      canUndo: this.mayEdit() && e.can().undo(),
      canRedo: this.mayEdit() && e.can().redo(),
    };
  }
}

function emptyToolbar(): ToolbarState {
  return { heading2: false, heading3: false, bold: false, italic: false, bulletList: false, orderedList: false, quote: false, link: false, canUndo: false, canRedo: false };
}

/** The key a person's colour derives from: the user id the server stamped on their presence. */
function personKey(person: Record<string, unknown>): string {
  return typeof person.id === 'string' ? person.id : String(person.name ?? '');
}

/** Another person's caret: a coloured bar with their name above it (colours by class, not inline style). */
function renderCaret(person: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span');
  caret.className = `collaboration-carets__caret ${colourClass(personKey(person))}`;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.textContent = typeof person.name === 'string' ? person.name : '';
  caret.append(label);
  return caret;
}
