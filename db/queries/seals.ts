// Sealed leaderboard periods: while sealed, each provider sees only its own figures.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { LeaderboardSealRow } from '../tables/results.table.ts';

export async function activeSeals(db: Kysely<Database>, networkId: string): Promise<LeaderboardSealRow[]> {
  return db.selectFrom('leaderboard_seals').selectAll().where('network_id', '=', networkId).where('revealed_at', 'is', null).orderBy('sealed_at').execute();
}

export async function insertSeal(db: Kysely<Database>, seal: LeaderboardSealRow): Promise<void> {
  await db.insertInto('leaderboard_seals').values(seal).execute();
}

/** Reveals every active seal of the network; answers how many there were. */
export async function revealSeals(db: Kysely<Database>, networkId: string, by: string, at: string): Promise<number> {
  const result = await db
    .updateTable('leaderboard_seals')
    .set({ revealed_at: at, revealed_by: by })
    .where('network_id', '=', networkId)
    .where('revealed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
