// Who is here now: presence in a network, shown on every live page.
import { z } from '@hono/zod-openapi';
import type { Role } from './common.ts';

export interface PresenceEntry {
  userId: string;
  name: string;
  role: Role;
  organisationId: string | null;
}

export const PresenceJoin = z.object({ networkId: z.string().min(1).max(100) });
