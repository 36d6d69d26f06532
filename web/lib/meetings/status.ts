// A meeting's status as the catalogue names it.
export const STATUS_KEYS = {
  planned: 'meeting.statusPlanned',
  live: 'meeting.statusLive',
  closed: 'meeting.statusClosed',
  cancelled: 'meeting.statusCancelled',
} as const;
