// Secrets never reach the logs: tokens in URLs, API tokens, bearer headers and session cookies.
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../realtime/context.ts';

describe('log redaction', () => {
  it('removes every kind of credential and keeps the rest of the line', () => {
    const line = redactSecrets(
      'upgrade /yjs/meeting:1:minutes?acks=1&token=sp_abcDEF123456789 from 10.0.0.1 Authorization: Bearer sp_zzzzzzzzzzzz cookie samspil_session=secretvalue; other=1',
    );
    expect(line).not.toMatch(/abcDEF123456789|zzzzzzzzzzzz|secretvalue/);
    expect(line).toContain('/yjs/meeting:1:minutes?acks=1&token=[redacted]');
    expect(line).toContain('from 10.0.0.1');
    expect(line).toContain('other=1');
  });

  it('removes the token of invitation and password-reset links, in pages and in the API', () => {
    const token = 'Qm9vLXRoaXMtaXMtYS10b2tlbi1vZi0zMi1ieXRlcw';
    for (const path of [`/invitations/${token}`, `/api/invitations/${token}/accept`, `/password-reset/${token}`, `/api/auth/password-reset/${token}`]) {
      const line = redactSecrets(`GET ${path} 200`);
      expect(line).not.toContain(token);
      expect(line).toContain('[redacted]');
    }
  });

  it('leaves lines without secrets alone', () => {
    expect(redactSecrets('[samspil] seeded the demo network')).toBe('[samspil] seeded the demo network');
  });
});
