// GET /api/health: liveness plus database reachability, for load balancers and operators.
import { pingDatabase } from '../../db/dialect.ts';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { HealthResponse } from '../wire/health.ts';
import { jsonContent, newRouter, openRoute } from '../http/router.ts';

const health = openRoute('get', '/', 'Is the server up and the database reachable?', {
  responses: {
    200: jsonContent(HealthResponse, 'Up; `database.ok` tells whether the database answered'),
    503: jsonContent(HealthResponse, 'The database did not answer'),
  },
});

export function healthRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter().openapi(health, async (c) => {
    let ok = true;
    try {
      await pingDatabase(ctx.db);
    } catch {
      ok = false;
    }
    const relay = live.relayUp();
    const body = { ok, database: { ok, dialect: ctx.dialect }, ...(relay === null ? {} : { redis: { ok: relay } }), version: ctx.config.version };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
}
