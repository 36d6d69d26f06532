// Presence per network: who is online in the workspace now. Rooms are `network:<id>`.
import { can } from '../../domain/access.ts';
import { fieldIssues } from '../errors.ts';
import { PresenceJoin, type PresenceEntry } from '../wire/presence.ts';
import type { Ack } from '../wire/socket.ts';
import type { LiveServer, LiveSocket } from '../live/io.ts';

export const networkRoom = (networkId: string) => `network:${networkId}`;

async function presentIn(io: LiveServer, networkId: string): Promise<PresenceEntry[]> {
  const sockets = await io.in(networkRoom(networkId)).fetchSockets();
  const byUser = new Map<string, PresenceEntry>();
  for (const s of sockets) {
    const { user, actor } = s.data.identity;
    const m = actor.memberships.find((x) => x.networkId === networkId);
    if (m) byUser.set(user.id, { userId: user.id, name: user.name, role: m.role, organisationId: m.organisationId });
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function invalid<T>(ack: unknown, issues: ReturnType<typeof fieldIssues>): void {
  if (typeof ack === 'function') (ack as (r: Ack<T>) => void)({ ok: false, error: { code: 'validation_failed', message: 'Invalid payload.', issues } });
}

export function registerPresence(io: LiveServer, socket: LiveSocket): void {
  const joined = new Set<string>();
  const broadcast = async (networkId: string) => {
    io.to(networkRoom(networkId)).emit('presence:updated', { networkId, present: await presentIn(io, networkId) });
  };

  socket.on('presence:join', async (payload, ack) => {
    const parsed = PresenceJoin.safeParse(payload);
    if (!parsed.success) return invalid(ack, fieldIssues(parsed.error.issues));
    const { networkId } = parsed.data;
    if (!can(socket.data.identity.actor, { action: 'network.read', networkId })) {
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'forbidden', message: 'You are not a member of this network.' } });
      return;
    }
    await socket.join(networkRoom(networkId));
    joined.add(networkId);
    const present = await presentIn(io, networkId);
    if (typeof ack === 'function') ack({ ok: true, data: { present } });
    socket.to(networkRoom(networkId)).emit('presence:updated', { networkId, present });
  });

  socket.on('presence:leave', async (payload, ack) => {
    const parsed = PresenceJoin.safeParse(payload);
    if (!parsed.success) return invalid(ack, fieldIssues(parsed.error.issues));
    await socket.leave(networkRoom(parsed.data.networkId));
    joined.delete(parsed.data.networkId);
    if (typeof ack === 'function') ack({ ok: true, data: null });
    await broadcast(parsed.data.networkId);
  });

  socket.on('disconnect', () => {
    for (const networkId of joined) void broadcast(networkId);
  });
}
