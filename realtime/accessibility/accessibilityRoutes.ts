// GET /api/accessibility: the deployment's facts for the public accessibility statement (no sign-in).
import type { AppContext } from '../context.ts';
import { jsonContent, newRouter, openRoute } from '../http/router.ts';
import { AccessibilityFacts } from '../wire/accessibility.ts';
import { DEMO_ACCESSIBILITY } from './accessibilityFacts.ts';

const facts = openRoute('get', '/', 'Who is responsible for this deployment, whom to contact, and when it was assessed', {
  responses: { 200: jsonContent(AccessibilityFacts, 'The accessibility statement\'s facts') },
});

export function accessibilityRoutes(ctx: AppContext) {
  return newRouter().openapi(facts, (c) => c.json(ctx.config.accessibility ?? DEMO_ACCESSIBILITY, 200));
}
