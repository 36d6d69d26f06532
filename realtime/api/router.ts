// The building blocks every API sub-app shares: its environment, validation hook, and access guards.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Identity } from '../auth/identity.ts';
import { AppError, errorBody, fieldIssues } from '../errors.ts';

export interface ApiEnv {
  Variables: { identity: Identity | null };
}

/** A sub-app whose failed validation answers 422 with one issue per field (or 400 for unreadable input). */
export function newRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = fieldIssues(result.error.issues);
        const where = result.target === 'json' ? 'request body' : result.target;
        return c.json(errorBody('validation_failed', `The ${where} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues), 422);
      }
    },
  });
}

export function requireIdentity(c: Context<ApiEnv>): Identity {
  const identity = c.get('identity');
  if (!identity) throw new AppError('unauthenticated', 'Sign in or send an API token (Authorization: Bearer <token>).');
  return identity;
}

export const bearerSecurity: Array<Record<string, string[]>> = [{ cookieAuth: [] }, { bearerAuth: [] }];

export const jsonContent = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});
