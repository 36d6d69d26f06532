// The password reset e-mail, in the account's language.

export function passwordResetMail(locale: 'da' | 'en', f: { name: string; link: string }): { subject: string; text: string } {
  if (locale === 'en') {
    return {
      subject: 'Reset your Samspil password',
      text: [
        `Hello ${f.name},`,
        '',
        'Someone (hopefully you) asked to reset the password of your Samspil account. Choose a new password here:',
        '',
        f.link,
        '',
        'The link works once, for one hour. When you have set the new password, every place you were signed in is signed out.',
        '',
        'If you did not ask for this, ignore this e-mail: your password stays as it is.',
      ].join('\n'),
    };
  }
  return {
    subject: 'Nulstil din adgangskode til Samspil',
    text: [
      `Hej ${f.name}`,
      '',
      'Nogen (forhåbentlig dig) har bedt om at nulstille adgangskoden til din konto i Samspil. Vælg en ny adgangskode her:',
      '',
      f.link,
      '',
      'Linket virker én gang og i en time. Når du har valgt den nye adgangskode, bliver du logget ud alle de steder, du var logget ind.',
      '',
      'Har du ikke bedt om det, kan du se bort fra denne e-mail: din adgangskode forbliver den samme.',
    ].join('\n'),
  };
}
