// The deployment's facts for the accessibility statement, from the environment, with demo values.
import type { AccessibilityFacts } from '../wire/accessibility.ts';

/** What the demo shows until a deployment names its own authority and contact. */
export const DEMO_ACCESSIBILITY: AccessibilityFacts = {
  authority: 'Jobcenter Eksempelby (demo)',
  email: 'tilgaengelighed@jobcenter.example',
  // Danish numbers never start with 0, so the demo's reaches nobody.
  phone: '+45 00 00 00 00',
  assessedOn: '2026-12-07',
  wasUrl: null,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function accessibilityFromEnv(env: NodeJS.ProcessEnv): AccessibilityFacts {
  const assessedOn = env.ACCESSIBILITY_ASSESSED_ON?.trim() || DEMO_ACCESSIBILITY.assessedOn;
  if (!ISO_DATE.test(assessedOn) || Number.isNaN(Date.parse(assessedOn))) {
    throw new Error(`ACCESSIBILITY_ASSESSED_ON must be a date, YYYY-MM-DD (got "${assessedOn}")`);
  }
  return {
    authority: env.ACCESSIBILITY_AUTHORITY?.trim() || DEMO_ACCESSIBILITY.authority,
    email: env.ACCESSIBILITY_EMAIL?.trim() || DEMO_ACCESSIBILITY.email,
    phone: env.ACCESSIBILITY_PHONE?.trim() || DEMO_ACCESSIBILITY.phone,
    assessedOn,
    wasUrl: wasUrlOf(env.ACCESSIBILITY_WAS_URL?.trim()),
  };
}

function wasUrlOf(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^https:\/\//.test(raw) || !URL.canParse(raw)) throw new Error(`ACCESSIBILITY_WAS_URL must be an https:// address (got "${raw}")`);
  return raw;
}
