// Course records: one citizen's course with one provider, pseudonymous, upserted by case key and referral date.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { CourseRecordRow } from '../tables/results.table.ts';

export async function coursesOfNetwork(db: Kysely<Database>, networkId: string, providerId?: string): Promise<CourseRecordRow[]> {
  let q = db.selectFrom('course_records').selectAll().where('network_id', '=', networkId);
  if (providerId) q = q.where('provider_id', '=', providerId);
  return q.orderBy('provider_id').orderBy('referral_date').execute();
}

/** Inserts or updates a course (a course evolves: it ends, the citizen gets a job). Answers whether it was new. */
export async function upsertCourse(db: Kysely<Database>, course: CourseRecordRow): Promise<boolean> {
  const existing = await db
    .selectFrom('course_records')
    .select('id')
    .where('network_id', '=', course.network_id)
    .where('provider_id', '=', course.provider_id)
    .where('case_key', '=', course.case_key)
    .where('referral_date', '=', course.referral_date)
    .executeTakeFirst();
  if (!existing) {
    await db.insertInto('course_records').values(course).execute();
    return true;
  }
  const { id: _id, created_at: _created, created_by: _by, ...changes } = course;
  await db.updateTable('course_records').set(changes).where('id', '=', existing.id).execute();
  return false;
}

/** How many course records a network has and when one last changed: what a cached figure is keyed on. */
export async function coursesVersion(db: Kysely<Database>, networkId: string) {
  return db
    .selectFrom('course_records')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
    .where('network_id', '=', networkId)
    .executeTakeFirst();
}
