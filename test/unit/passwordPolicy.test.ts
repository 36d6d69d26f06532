import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../domain/passwordPolicy.ts';

describe('password policy', () => {
  it('refuses passwords shorter than 12 characters, counting characters not bytes', () => {
    expect(passwordProblem('kort-ord-12')).toBe('tooShort');
    expect(passwordProblem('æøåæøåæøåæø')).toBe('tooShort');
    expect(passwordProblem('æøå-blå-bær-hus')).toBeNull();
  });

  it('refuses common passwords from the maintained list, whatever the case', () => {
    expect(passwordProblem('qwerty123456')).toBe('tooCommon');
    expect(passwordProblem('QWERTY123456')).toBe('tooCommon');
    expect(passwordProblem('1q2w3e4r5t6y')).toBe('tooCommon');
  });

  it('refuses a common password with digits or symbols added at the end', () => {
    expect(passwordProblem('password2024!')).toBe('tooCommon');
    expect(passwordProblem('sunshine12345')).toBe('tooCommon');
  });

  it('refuses a few characters repeated', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toBe('repetitive');
    expect(passwordProblem('xyzqxyzqxyzq')).toBe('repetitive');
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('kaffe tog cykel ugle')).toBeNull();
    expect(passwordProblem('samspil-demo-2026')).toBeNull();
  });
});
