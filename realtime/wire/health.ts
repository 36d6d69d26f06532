// GET /api/health: liveness plus whether the database (and Redis) answer.
import { z } from '@hono/zod-openapi';

export const HealthResponse = z
  .object({
    ok: z.boolean(),
    database: z.object({ ok: z.boolean(), dialect: z.enum(['sqlite', 'postgres']) }),
    redis: z.object({ ok: z.boolean() }).optional().openapi({ description: 'Only with REDIS_URL. `false` while Redis is away: this instance still serves its own clients.' }),
    version: z.string(),
  })
  .openapi('Health');
