// Notifications in a user's inbox, and whether they were read or e-mailed.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface NotificationTable {
  id: string;
  user_id: string;
  network_id: string | null;
  kind: string;
  subject_key: string;
  params_json: string;
  created_at: IsoTime;
  read_at: IsoTime | null;
  emailed_at: IsoTime | null;
}

export type NotificationRow = Selectable<NotificationTable>;
export type NewNotification = Insertable<NotificationTable>;
export type NotificationUpdate = Updateable<NotificationTable>;
