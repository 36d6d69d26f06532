// The toolbar's inline link form (instead of a prompt): whether it is open, the address typed, and
// whether the editor refused it; applying, removing and closing go back to the editor.
import { tick } from 'svelte';
import type { NoteEditor } from './noteEditor.svelte.ts';

export class LinkFormState {
  readonly #editor: () => NoteEditor;
  open = $state(false);
  url = $state('');
  /** The editor refused the address: the field says so and keeps the focus. */
  error = $state(false);
  /** The address field (`bind:this`). */
  input: HTMLInputElement | undefined = $state();

  /** `editor` is a getter of the toolbar's editor prop, so it is read live. */
  constructor(editor: () => NoteEditor) {
    this.#editor = editor;
  }

  /** Opens the form with the link under the cursor (or closes it) and focuses the address. */
  toggle = async () => {
    this.open = !this.open;
    this.url = this.#editor().currentLink();
    this.error = false;
    await tick();
    this.input?.focus();
  };

  apply = (event: SubmitEvent) => {
    event.preventDefault();
    if (!this.#editor().setLink(this.url)) {
      this.error = true;
      this.input?.focus();
      return;
    }
    this.open = false;
  };

  remove = () => {
    this.#editor().unsetLink();
    this.open = false;
  };

  close = () => {
    this.open = false;
    this.#editor().focus();
  };
}
