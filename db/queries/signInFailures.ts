// Failed sign-ins, counted in the database so that every instance sees the same count.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { IsoTime } from '../tables/columns.ts';

/** When each key failed since `since`, oldest first. */
export async function failuresSince(db: Kysely<Database>, key: string, since: IsoTime): Promise<IsoTime[]> {
  const rows = await db.selectFrom('sign_in_failures').select('failed_at').where('key', '=', key).where('failed_at', '>', since).orderBy('failed_at').execute();
  return rows.map((r) => r.failed_at);
}

/** Records one failure under each key, and drops failures older than any window still counts. */
export async function recordFailure(db: Kysely<Database>, keys: string[], at: IsoTime, forgetBefore: IsoTime): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('sign_in_failures').values(keys.map((key) => ({ key, failed_at: at }))).execute();
    await trx.deleteFrom('sign_in_failures').where('failed_at', '<=', forgetBefore).execute();
  });
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
