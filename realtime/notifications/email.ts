// E-mail through SMTP (nodemailer) and the reminder texts, Danish unless the user chose English.
import nodemailer from 'nodemailer';
import type { NotificationKind } from '../wire/deadlines.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const DEFAULT_MAIL_FROM = 'Samspil <noreply@samspil.local>';

/** A mailer for `smtp://` or `smtps://` URLs (credentials in the URL); short timeouts, so a dead server fails a run fast. */
export function smtpMailer(url: string, from = DEFAULT_MAIL_FROM): Mailer {
  const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from });
  return {
    async send(mail) {
      await transport.sendMail(mail);
    },
    close: () => transport.close(),
  };
}

/** An absolute link into Samspil: under ORIGIN when set, else under the address the request came to. */
export function publicLink(ctx: { config: { publicUrl?: string | null } }, requestUrl: string, path: string): string {
  const base = ctx.config.publicUrl?.trim() || new URL(requestUrl).origin;
  return base.replace(/\/$/, '') + path;
}

/** Where the SMTP server is, for logs: never the credentials. */
export function smtpHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(an unreadable SMTP_URL)';
  }
}

/** A 5xx reply (except 503, a session out of step) refuses this message for good: retrying gets the same. */
export function isPermanentRejection(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 && code !== 503;
}

export interface ReminderFacts {
  recipientName: string;
  providerName: string;
  networkName: string;
  month: string;
  dueDate: string;
  /** The reports page, when the server knows its public address. */
  link: string | null;
}

const intl = { da: 'da-DK', en: 'en-GB' } as const;
const monthName = (locale: 'da' | 'en', month: string) =>
  new Intl.DateTimeFormat(intl[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const dayName = (locale: 'da' | 'en', date: string) =>
  new Intl.DateTimeFormat(intl[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

export function reminderMail(kind: NotificationKind, locale: 'da' | 'en', f: ReminderFacts): { subject: string; text: string } {
  const month = monthName(locale, f.month);
  const due = dayName(locale, f.dueDate);
  if (locale === 'en') {
    const subject = kind === 'report.overdue' ? `Monthly report overdue: ${f.providerName}, ${month}` : `Reminder: the monthly report for ${month} is due by ${due}`;
    const lead =
      kind === 'report.overdue'
        ? `${f.providerName}'s monthly report for ${month} has not been submitted, and the deadline was ${due}. The report documents what the provider is paid for: submit it in Samspil as soon as possible.`
        : `${f.providerName}'s monthly report for ${month} must be submitted in Samspil by the end of ${due}.`;
    return {
      subject,
      text: [`Hello ${f.recipientName},`, '', lead, ...(f.link ? ['', `Monthly reports: ${f.link}`] : []), '', `You receive this e-mail because you are in the network "${f.networkName}" in Samspil. The notice is also on your home page.`].join('\n'),
    };
  }
  const subject = kind === 'report.overdue' ? `Månedsrapport mangler: ${f.providerName}, ${month}` : `Påmindelse: månedsrapporten for ${month} skal indberettes senest ${due}`;
  const lead =
    kind === 'report.overdue'
      ? `Månedsrapporten for ${month} fra ${f.providerName} er ikke indberettet, og fristen var den ${due}. Rapporten dokumenterer det, udbyderen får betaling for: indberet den i Samspil hurtigst muligt.`
      : `Månedsrapporten for ${month} fra ${f.providerName} skal være indberettet i Samspil senest ved udgangen af den ${due}.`;
  return {
    subject,
    text: [`Hej ${f.recipientName}`, '', lead, ...(f.link ? ['', `Månedsrapporter: ${f.link}`] : []), '', `Du får denne e-mail, fordi du er med i netværket "${f.networkName}" i Samspil. Beskeden står også på din forside.`].join('\n'),
  };
}
