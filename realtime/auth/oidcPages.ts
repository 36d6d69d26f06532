// The pages a person sees when single sign-on ends without a session: what happened and what to do,
// in Danish or English (the browser's Accept-Language; Danish unless English is preferred).
import type { OidcRefusal } from './oidc.ts';

type Locale = 'da' | 'en';

interface PageText {
  title: string;
  body: string;
  action: string;
}

const TEXT: Record<OidcRefusal, { status: 400 | 403 | 503; da: PageText; en: PageText }> = {
  unavailable: {
    status: 503,
    da: { title: 'Log-ind-tjenesten svarer ikke', body: '{provider} kunne ikke nås lige nu. Du er ikke logget ind, og intet er ændret. Prøv igen om lidt.', action: 'Prøv igen' },
    en: { title: 'The sign-in service is not answering', body: '{provider} could not be reached just now. You are not signed in and nothing was changed. Try again shortly.', action: 'Try again' },
  },
  samspil_unavailable: {
    status: 503,
    da: { title: 'Samspil kunne ikke logge dig ind lige nu', body: 'Dit log-ind hos {provider} lykkedes, men Samspil kunne ikke gøre det færdigt lige nu. Du er ikke logget ind, og intet er ændret. Prøv igen om lidt.', action: 'Prøv igen' },
    en: { title: 'Samspil could not sign you in just now', body: 'Your sign-in at {provider} succeeded, but Samspil could not finish it just now. You are not signed in and nothing was changed. Try again shortly.', action: 'Try again' },
  },
  state_expired: {
    status: 400,
    da: { title: 'Log-ind tog for lang tid', body: 'Log-ind skal gennemføres inden for 10 minutter og i den samme browser, som du startede i. Start forfra.', action: 'Log ind igen' },
    en: { title: 'The sign-in took too long', body: 'A sign-in must be finished within 10 minutes, in the browser you started it in. Start again.', action: 'Sign in again' },
  },
  failed: {
    status: 400,
    da: { title: 'Log-ind kunne ikke bekræftes', body: 'Svaret fra {provider} kunne ikke bekræftes, så du er ikke logget ind. Start forfra; sker det igen, så kontakt din it-afdeling.', action: 'Log ind igen' },
    en: { title: 'The sign-in could not be verified', body: 'The answer from {provider} could not be verified, so you are not signed in. Start again; if it happens again, contact your IT department.', action: 'Sign in again' },
  },
  provider_refused: {
    status: 403,
    da: { title: 'Log-ind blev afvist', body: '{provider} afviste log-ind eller blev afbrudt. Du er ikke logget ind. Kontakt din it-afdeling, hvis du mener, du burde have adgang.', action: 'Til log-ind' },
    en: { title: 'The sign-in was refused', body: '{provider} refused or cancelled the sign-in. You are not signed in. Contact your IT department if you think you should have access.', action: 'Back to sign-in' },
  },
  email_unverified: {
    status: 403,
    da: { title: 'Din e-mailadresse er ikke bekræftet', body: '{provider} har ikke bekræftet din e-mailadresse, så Samspil kan ikke vide, hvem du er. Bed din it-afdeling om at bekræfte den, eller bed din vært om at invitere dig.', action: 'Til log-ind' },
    en: { title: 'Your e-mail address is not verified', body: '{provider} has not verified your e-mail address, so Samspil cannot tell who you are. Ask your IT department to verify it, or ask your host to invite you.', action: 'Back to sign-in' },
  },
  not_invited: {
    status: 403,
    da: { title: 'Du er ikke inviteret til Samspil', body: 'Du er logget ind hos {provider}, men har ingen adgang til Samspil. Bed din vært i netværket om en invitation.', action: 'Til log-ind' },
    en: { title: 'You are not invited to Samspil', body: 'You are signed in at {provider}, but have no access to Samspil. Ask your host in the network for an invitation.', action: 'Back to sign-in' },
  },
  linked_to_other: {
    status: 403,
    da: { title: 'Kontoen hører til en anden', body: 'Samspil-kontoen med din e-mailadresse er knyttet til en anden person hos {provider}. Kontakt din vært.', action: 'Til log-ind' },
    en: { title: 'The account belongs to someone else', body: 'The Samspil account with your e-mail address is linked to another person at {provider}. Contact your host.', action: 'Back to sign-in' },
  },
};

export function localeOf(acceptLanguage: string | undefined): Locale {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'da';
}

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The refusal page: its status and a small, self-contained HTML document. */
export function refusalPage(refusal: OidcRefusal, provider: string, acceptLanguage: string | undefined): { status: 400 | 403 | 503; html: string } {
  const locale = localeOf(acceptLanguage);
  const entry = TEXT[refusal];
  const text = entry[locale];
  const body = escape(text.body).replace('{provider}', escape(provider));
  const href = refusal === 'unavailable' || refusal === 'samspil_unavailable' || refusal === 'state_expired' || refusal === 'failed' ? '/auth/oidc/login' : '/login';
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(text.title)} – Samspil</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}a{color:#004993}</style></head>
<body><main><h1>${escape(text.title)}</h1><p>${body}</p><p><a href="${href}">${escape(text.action)}</a></p></main></body>
</html>`;
  return { status: entry.status, html };
}

/** After signing out of Samspil: on to the identity provider's logout (a new navigation, not the form's redirect, which CSP form-action 'self' would stop). */
export function onToProviderLogoutPage(endSessionUrl: string, provider: string, acceptLanguage: string | undefined): string {
  const locale = localeOf(acceptLanguage);
  const text =
    locale === 'en'
      ? { title: 'You are signed out of Samspil', body: `Now signing you out at ${provider} as well.`, action: `Continue to ${provider}` }
      : { title: 'Du er logget ud af Samspil', body: `Du sendes videre for også at logge ud hos ${provider}.`, action: `Fortsæt til ${provider}` };
  const href = escape(endSessionUrl);
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(text.title)} – Samspil</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}a{color:#004993}</style></head>
<body><main><h1>${escape(text.title)}</h1><p>${escape(text.body)}</p><p><a href="${href}">${escape(text.action)}</a></p></main></body>
</html>`;
}
