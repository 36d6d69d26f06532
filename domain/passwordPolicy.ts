// What a new password must be: long enough, and not one that attackers try first. The list of
// common passwords is @zxcvbn-ts's (maintained, ~49,000 entries); server-side only, it is 400 KB.
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'tooShort' | 'tooCommon' | 'repetitive';

const common = new Set<string>((dictionary as Record<string, string[]>)['passwords-common'].map((p) => p.toLowerCase()));

/** "password2024!" is "password" to a guesser: digits and symbols added at the end add little. */
const withoutTrailingDigitsAndSymbols = (p: string) => p.replace(/[\d\W_]+$/u, '');

/** "abcabcabcabc", "aaaaaaaaaaaa": a short chunk repeated. */
function isRepetitive(p: string): boolean {
  for (let size = 1; size <= 4; size++) {
    if (p.length % size === 0 && p.slice(0, size).repeat(p.length / size) === p) return true;
  }
  return false;
}

/** The first rule a new password breaks, or null when it is acceptable. */
export function passwordProblem(password: string): PasswordProblem | null {
  const p = password.normalize('NFKC');
  if ([...p].length < MIN_PASSWORD_LENGTH) return 'tooShort';
  const lower = p.toLowerCase();
  if (common.has(lower) || common.has(withoutTrailingDigitsAndSymbols(lower))) return 'tooCommon';
  if (isRepetitive(lower)) return 'repetitive';
  return null;
}

/** What to tell the person, in their language. */
export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, { da: string; en: string }> = {
  tooShort: { da: `Brug mindst ${MIN_PASSWORD_LENGTH} tegn.`, en: `Use at least ${MIN_PASSWORD_LENGTH} characters.` },
  tooCommon: {
    da: 'Adgangskoden er blandt de mest brugte og gættes let. Vælg en anden, fx flere tilfældige ord.',
    en: 'This password is among the most common ones and easy to guess. Choose another, e.g. several random words.',
  },
  repetitive: { da: 'Adgangskoden gentager de samme få tegn. Vælg en anden.', en: 'This password repeats the same few characters. Choose another.' },
};
