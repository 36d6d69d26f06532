// The facts of the accessibility statement only a deployment knows, for the public statement page.
import { z } from '@hono/zod-openapi';

export const AccessibilityFacts = z
  .object({
    /** The public authority responsible for this deployment (ACCESSIBILITY_AUTHORITY). */
    authority: z.string(),
    /** Where to write about accessibility (ACCESSIBILITY_EMAIL). */
    email: z.string(),
    /** A telephone number: the law asks for both written and telephone contact (ACCESSIBILITY_PHONE). */
    phone: z.string(),
    /** When the solution was last assessed, YYYY-MM-DD (ACCESSIBILITY_ASSESSED_ON). */
    assessedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** The statement filed in Digitaliseringsstyrelsen's WAS-Tool, when there is one (ACCESSIBILITY_WAS_URL). */
    wasUrl: z.string().url().nullable(),
  })
  .openapi('AccessibilityFacts');
export type AccessibilityFacts = z.infer<typeof AccessibilityFacts>;
