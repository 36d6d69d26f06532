// `npm run db:migrate`, `npm run seed`, `npm run create-host`, `npm run account`: database chores from the command line.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/dialect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';
import { createHostedNetwork } from '../db/queries/networks.ts';
import { revokeAllApiTokens, revokeOtherSessions } from '../db/queries/sessions.ts';
import { findUserByEmail, setAccountDisabled } from '../db/queries/users.ts';
import { hashPassword } from '../realtime/auth/password.ts';
import { archiveDemoMeetings } from '../realtime/meetings/demoArchive.ts';
import { issuePasswordReset } from '../realtime/auth/passwordResetRoutes.ts';
import { configFromEnv } from '../realtime/config.ts';
import { consoleLogger } from '../realtime/context.ts';

const [command, ...rest] = process.argv.slice(2);
// The same database the server uses: DATABASE_URL and, on PostgreSQL, DATABASE_SCHEMA.
const handle = openDatabase(process.env.DATABASE_URL?.trim() || undefined, { pgSchema: process.env.DATABASE_SCHEMA?.trim() || undefined });
const { db } = handle;

async function main(): Promise<number> {
  const applied = await migrateToLatest(db, handle.schema);
  switch (command) {
    case 'migrate':
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    case 'seed': {
      if (!(await isEmpty(db))) {
        console.error('the database is not empty; the demo is only seeded into an empty database');
        return 1;
      }
      const s = await seedDemo(db, { now: new Date(), newId: randomUUID, hashPassword });
      const archived = await archiveDemoMeetings(
        { db, dialect: handle.dialect, config: configFromEnv(), now: () => new Date(), newId: randomUUID, log: consoleLogger() },
        s.networkId,
      );
      console.log(`seeded: ${s.users} users, ${s.reports} monthly reports, ${s.meetings} meetings (${archived} archived) (password samspil-demo)`);
      return 0;
    }
    case 'create-host': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          jobcenter: { type: 'string' },
          network: { type: 'string' },
          'target-group': { type: 'string', default: 'Ledige dimittender' },
        },
      });
      if (!values.email || !values.name || !values.jobcenter || !values.network) {
        console.error('usage: npm run create-host -- --email ADDRESS --name "FULL NAME" --jobcenter "Jobcenter X" --network "NETWORK NAME"\n' +
          'The password is read from SAMSPIL_PASSWORD, or generated and printed once.');
        return 2;
      }
      if (await findUserByEmail(db, values.email)) {
        console.error(`a user with email ${values.email} exists already`);
        return 1;
      }
      // PASSWORD_SIGN_IN=off: no password; the host is linked at their first single sign-on (by e-mail).
      const withoutPassword = (process.env.PASSWORD_SIGN_IN ?? '').trim().toLowerCase() === 'off';
      const password = process.env.SAMSPIL_PASSWORD || randomBytes(12).toString('base64url');
      await createHostedNetwork(db, {
        now: new Date().toISOString(),
        newId: randomUUID,
        email: values.email,
        name: values.name,
        passwordHash: withoutPassword ? '' : await hashPassword(password),
        jobcenter: values.jobcenter,
        network: values.network,
        targetGroup: values['target-group']!,
      });
      console.log(`created host ${values.email} for network "${values.network}"`);
      if (withoutPassword) console.log('no password (PASSWORD_SIGN_IN=off): the host signs in with single sign-on, linked at the first sign-in');
      else if (!process.env.SAMSPIL_PASSWORD) console.log(`password (shown once, change it after signing in): ${password}`);
      return 0;
    }
    case 'account': {
      // An account as a whole is closed or reopened here, by an operator; a network's host only
      // deactivates the person's membership of that network.
      const [action, ...args] = rest;
      const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
      if ((action !== 'disable' && action !== 'enable' && action !== 'reset-link') || !values.email) {
        console.error('usage: npm run account -- disable|enable|reset-link --email ADDRESS');
        return 2;
      }
      const user = await findUserByEmail(db, values.email);
      if (!user) {
        console.error(`no account has the email ${values.email}`);
        return 1;
      }
      const now = new Date().toISOString();
      if (action === 'reset-link') {
        // Without SMTP nobody can be e-mailed a link: the operator makes one for a host to pass on.
        if (user.disabled_at) {
          console.error(`the account ${user.email} is disabled; enable it first`);
          return 1;
        }
        const token = await issuePasswordReset({ db, now: () => new Date(), newId: randomUUID }, user.id);
        const origin = (process.env.ORIGIN?.trim() || `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
        console.log(`a reset link for ${user.email}, valid for one hour and once (pass it on privately):\n${origin}/password-reset/${token}`);
        return 0;
      }
      if (action === 'enable') {
        await setAccountDisabled(db, user.id, null);
        console.log(`enabled ${user.email}; they sign in with their password or a reset link`);
        return 0;
      }
      await db.transaction().execute(async (trx) => {
        await setAccountDisabled(trx, user.id, now);
        await revokeOtherSessions(trx, user.id, null, now);
        await revokeAllApiTokens(trx, user.id, now);
      });
      // Running instances close the person's open connections at their next credential check (30 s).
      console.log(`disabled ${user.email}: sessions and API tokens ended in every network`);
      return 0;
    }
    default:
      console.error('usage: tsx scripts/cli.ts migrate | seed | create-host | account');
      return 2;
  }
}

main()
  .then(async (code) => {
    await handle.close();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    await handle.close().catch(() => {});
    process.exit(1);
  });
