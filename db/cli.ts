// `npm run db:migrate`, `npm run seed`, `npm run create-host`: database chores from the command line.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import { isEmpty, seedDemo } from './seed.ts';
import { hashPassword } from '../realtime/auth/password.ts';
import { findUserByEmail } from './queries/users.ts';
import { archiveDemoMeetings } from '../realtime/meetings/demoArchive.ts';
import { configFromEnv } from '../realtime/config.ts';
import { consoleLogger } from '../realtime/context.ts';

const [command, ...rest] = process.argv.slice(2);
const handle = openDatabase(process.env.DATABASE_URL?.trim() || undefined);
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
      const password = process.env.SAMSPIL_PASSWORD || randomBytes(12).toString('base64url');
      const now = new Date().toISOString();
      const jobcenterId = randomUUID();
      const networkId = randomUUID();
      const userId = randomUUID();
      const passwordHash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organisations').values({ id: jobcenterId, kind: 'jobcenter', name: values.jobcenter!, short_name: values.jobcenter!, created_at: now }).execute();
        await trx.insertInto('networks').values({ id: networkId, name: values.network!, host_organisation_id: jobcenterId, target_group: values['target-group']!, meeting_cadence_months: 2, activation_requirement_pct: 30, created_at: now }).execute();
        await trx.insertInto('users').values({ id: userId, email: values.email!.toLowerCase(), name: values.name!, password_hash: passwordHash, locale: 'da', created_at: now, disabled_at: null }).execute();
        await trx.insertInto('memberships').values({ id: randomUUID(), user_id: userId, network_id: networkId, role: 'host', organisation_id: jobcenterId, created_at: now }).execute();
        await trx.insertInto('audit_log').values({ id: randomUUID(), network_id: networkId, actor_user_id: null, action: 'host.create', subject_type: 'user', subject_id: userId, before_json: null, after_json: JSON.stringify({ email: values.email }), at: now }).execute();
      });
      console.log(`created host ${values.email} for network "${values.network}"`);
      if (!process.env.SAMSPIL_PASSWORD) console.log(`password (shown once, change it after signing in): ${password}`);
      return 0;
    }
    default:
      console.error('usage: tsx db/cli.ts migrate | seed | create-host');
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
