// What the planned and the live meeting both read from a meeting and the viewer: whether the viewer
// hosts it, the providers (full and short names), the minutes, the viewer's own provider (whose
// method note it may write) and which form action's answer belongs to which form.
import type { Role } from '$wire/common.ts';
import type { MeetingDetail } from '$wire/meetings.ts';
import type { MeetingFormResult } from '$lib/server/meetings.ts';
import type { MeetingRoom } from './room.svelte.ts';

export interface MeetingViewProps {
  meeting: MeetingDetail;
  room: MeetingRoom | null;
  role: Role | null;
  organisationId: string | null;
  result: MeetingFormResult | null;
}

export class MeetingView {
  readonly #props: () => MeetingViewProps;
  readonly host = $derived.by(() => this.#props().role === 'host');
  readonly minutes = $derived.by(() => this.#props().meeting.documents.minutes);
  readonly providers = $derived.by(() => this.#props().meeting.documents.methodNotes.map((n) => ({ id: n.providerId, name: n.providerName })));
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt on every change, never mutated
  readonly providerNames = $derived.by(() => new Map(this.#props().meeting.documents.methodNotes.map((n) => [n.providerId, n.providerShortName])));
  /** A provider's own method note is the one it may write. */
  readonly ownProviderId = $derived.by(() => (this.#props().role === 'provider' ? this.#props().organisationId : null));

  /** `props` is a getter of the component's props, so they are read live. */
  constructor(props: () => MeetingViewProps) {
    this.#props = props;
  }

  /** The action's answer when it answers one of these forms, else null. */
  resultFor = (...forms: MeetingFormResult['form'][]): MeetingFormResult | null => {
    const result = this.#props().result;
    return result && forms.includes(result.form) ? result : null;
  };
}
