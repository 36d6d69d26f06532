// The accessibility statement's deployment facts from the environment: demo values, and refusals at start.
import { describe, expect, it } from 'vitest';
import { accessibilityFromEnv, DEMO_ACCESSIBILITY } from '../../realtime/accessibility/accessibilityFacts.ts';

describe('the accessibility statement from the environment', () => {
  it('shows the demo values until a deployment names its own', () => {
    expect(accessibilityFromEnv({})).toEqual(DEMO_ACCESSIBILITY);
  });

  it('takes the authority, contact, date and WAS-Tool address as given', () => {
    const facts = accessibilityFromEnv({
      ACCESSIBILITY_AUTHORITY: ' Jobcenter Aalborg ',
      ACCESSIBILITY_EMAIL: 'web@aalborg.example',
      ACCESSIBILITY_PHONE: '99 31 31 31',
      ACCESSIBILITY_ASSESSED_ON: '2027-01-15',
      ACCESSIBILITY_WAS_URL: 'https://www.was.digst.dk/samspil-aalborg-dk',
    });
    expect(facts).toEqual({
      authority: 'Jobcenter Aalborg',
      email: 'web@aalborg.example',
      phone: '99 31 31 31',
      assessedOn: '2027-01-15',
      wasUrl: 'https://www.was.digst.dk/samspil-aalborg-dk',
    });
  });

  it('refuses to start on a date of assessment that is not YYYY-MM-DD, or a WAS-Tool address that is not https', () => {
    expect(() => accessibilityFromEnv({ ACCESSIBILITY_ASSESSED_ON: '7/12/2026' })).toThrow(/ACCESSIBILITY_ASSESSED_ON must be a date/);
    expect(() => accessibilityFromEnv({ ACCESSIBILITY_ASSESSED_ON: '2026-13-01' })).toThrow(/ACCESSIBILITY_ASSESSED_ON/);
    expect(() => accessibilityFromEnv({ ACCESSIBILITY_WAS_URL: 'http://was.digst.dk/x' })).toThrow(/ACCESSIBILITY_WAS_URL must be an https/);
  });
});
