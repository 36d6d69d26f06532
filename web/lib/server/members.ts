// Server-only: the members page (everyone for a host, their own provider's staff for a provider's
// administrator) and its form actions, each one API call through the bridge.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '$wire/common.ts';
import { call, expectOk, formChoice, segment, type ApiResult } from './api.ts';
import { loadNetwork } from './results.ts';
import type { InviteValues, MembersProblem, MembersResult } from '$lib/members/types.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

const networkParam = (event: Event) => ({ networkId: segment(event.params.networkId ?? '') });

export async function loadMembers(event: Event) {
  const network = await loadNetwork(event);
  if (!network.capabilities.manageMembers) error(403, { message: 'Only hosts and provider administrators manage members.', code: 'forbidden' });
  const [members, invitations] = await Promise.all([
    call(event, (api) => api.networks[':networkId'].members.$get({ param: networkParam(event) })),
    call(event, (api) => api.networks[':networkId'].invitations.$get({ param: networkParam(event) })),
  ]);
  return { network, members: expectOk(members).members, invitations: expectOk(invitations).invitations };
}

const text = (form: FormData, name: string, max = 320) => String(form.get(name) ?? '').slice(0, max);

function refusal(result: Extract<ApiResult<unknown>, { ok: false }>, form: 'invite' | 'member' | 'invitation', subjectId: string | null, values: InviteValues | null) {
  if (result.status === 401) redirect(303, '/login');
  const fields = (result.error.issues ?? []).map((i) => (i.path === 'email' ? 'email' : i.path === 'providerId' ? 'providerId' : null)).filter((f) => f !== null);
  const problem: MembersProblem =
    result.status === 403
      ? 'forbidden'
      : result.status === 404
        ? 'notFound'
        : result.status === 409
          ? form === 'member' && /last active host/i.test(result.error.message)
            ? 'lastHost'
            : 'conflict'
          : result.status === 422
            ? fields.includes('email')
              ? 'emailInvalid'
              : 'providerRequired'
            : 'generic';
  const status = result.status >= 400 && result.status < 500 ? result.status : 503;
  return fail(status, { ok: false, form, subjectId, problem, fields, values } satisfies MembersResult);
}

export const membersActions = {
  invite: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const values: InviteValues = { email: text(form, 'email'), role: text(form, 'role', 20), providerId: text(form, 'providerId', 100), providerAdmin: form.get('providerAdmin') === 'on' };
    const json = {
      email: values.email,
      role: formChoice<Role>(values.role),
      ...(values.role === 'provider' && values.providerId ? { providerId: values.providerId } : {}),
      ...(values.role === 'provider' && values.providerAdmin ? { providerAdmin: true } : {}),
    };
    const result = await call(event, (api) => api.networks[':networkId'].invitations.$post({ param: networkParam(event), json }));
    if (!result.ok) return refusal(result, 'invite', null, values);
    return { ok: true, done: 'invited', email: values.email.trim().toLowerCase(), mailStatus: result.data.mailStatus, link: result.data.link ?? null } satisfies MembersResult;
  },
  resend: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const invitationId = text(form, 'invitationId', 100);
    const result = await call(event, (api) => api.networks[':networkId'].invitations[':invitationId'].resend.$post({ param: { ...networkParam(event), invitationId: segment(invitationId) } }));
    if (!result.ok) return refusal(result, 'invitation', invitationId, null);
    return { ok: true, done: 'resent', email: text(form, 'email'), mailStatus: result.data.mailStatus, link: result.data.link ?? null } satisfies MembersResult;
  },
  revoke: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const invitationId = text(form, 'invitationId', 100);
    const result = await call(event, (api) => api.networks[':networkId'].invitations[':invitationId'].$delete({ param: { ...networkParam(event), invitationId: segment(invitationId) } }));
    if (!result.ok) return refusal(result, 'invitation', invitationId, null);
    return { ok: true, done: 'revoked', name: text(form, 'email') } satisfies MembersResult;
  },
  /** Role (and provider), or deactivate / reactivate: one PATCH. */
  update: async (event: RequestEvent) => {
    const form = await event.request.formData();
    const userId = text(form, 'userId', 100);
    const name = text(form, 'name', 200);
    const change = text(form, 'change', 20);
    const json =
      change === 'deactivate'
        ? { disabled: true }
        : change === 'reactivate'
          ? { disabled: false }
          : { role: formChoice<Role>(text(form, 'role', 20)), ...(text(form, 'role', 20) === 'provider' ? { providerId: text(form, 'providerId', 100) || undefined } : {}) };
    const result = await call(event, (api) => api.networks[':networkId'].members[':userId'].$patch({ param: { ...networkParam(event), userId: segment(userId) }, json }));
    if (!result.ok) return refusal(result, 'member', userId, null);
    const done = change === 'deactivate' ? 'deactivated' : change === 'reactivate' ? 'reactivated' : 'updated';
    return { ok: true, done, name } satisfies MembersResult;
  },
  /** From the confirmation dialog: the person is named in the address (?/remove&userId=…). */
  remove: async (event: RequestEvent) => {
    const userId = (event.url.searchParams.get('userId') ?? '').slice(0, 100);
    const result = await call(event, (api) => api.networks[':networkId'].members[':userId'].$delete({ param: { ...networkParam(event), userId: segment(userId) } }));
    if (!result.ok) return refusal(result, 'member', userId, null);
    return { ok: true, done: 'removed', name: '' } satisfies MembersResult;
  },
};
