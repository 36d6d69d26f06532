// The invitation e-mail, in the invitee's language (Danish unless their existing account chose English).
import { copenhagenDateTime } from '../../domain/time.ts';
import type { Role } from '../wire/common.ts';

export interface InvitationFacts {
  networkName: string;
  /** The provider (provider members), the jobcenter (hosts); null for viewers. */
  organisationName: string | null;
  role: Role;
  inviterName: string;
  link: string;
  expiresAt: Date;
}

const ROLE = {
  da: { host: 'vært', provider: 'medarbejder hos en udbyder', viewer: 'deltager (kan læse med)' },
  en: { host: 'host', provider: 'provider member', viewer: 'viewer (can read along)' },
} as const;

const dayName = (locale: 'da' | 'en', date: string) =>
  new Intl.DateTimeFormat(locale === 'da' ? 'da-DK' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

export function invitationMail(locale: 'da' | 'en', f: InvitationFacts): { subject: string; text: string } {
  const { date, time } = copenhagenDateTime(f.expiresAt);
  const until = `${dayName(locale, date)} ${time}`;
  const role = ROLE[locale][f.role];
  if (locale === 'en') {
    return {
      subject: `Invitation to the network "${f.networkName}" in Samspil`,
      text: [
        'Hello,',
        '',
        `${f.inviterName} has invited you to the network "${f.networkName}" in Samspil as ${role}${f.organisationName ? ` for ${f.organisationName}` : ''}.`,
        '',
        `Accept the invitation here: ${f.link}`,
        '',
        `The link works once and until ${until} (Danish time). If it has expired, ask ${f.inviterName} for a new one.`,
        'If you did not expect this e-mail, you can ignore it.',
      ].join('\n'),
    };
  }
  return {
    subject: `Invitation til netværket "${f.networkName}" i Samspil`,
    text: [
      'Hej',
      '',
      `${f.inviterName} har inviteret dig til netværket "${f.networkName}" i Samspil som ${role}${f.organisationName ? ` for ${f.organisationName}` : ''}.`,
      '',
      `Tag imod invitationen her: ${f.link}`,
      '',
      `Linket virker én gang og indtil ${until}. Er det udløbet, så bed ${f.inviterName} om et nyt.`,
      'Har du ikke ventet denne e-mail, kan du se bort fra den.',
    ].join('\n'),
  };
}
