// API answers the web app shows about meetings, taken from the routes' own declarations (AppType) so
// they cannot drift from what the API returns: the archived meeting, search hits, note diffs and the
// preparation board.
import type { InferResponseType } from 'hono/client';
import type { MeetingSummary } from '$wire/meetings.ts';
import type { BrowserApi } from '$lib/live/api.ts';

type MeetingRoutes = BrowserApi['meetings'][':meetingId'];
type ArchiveRoutes = BrowserApi['networks'][':networkId']['archive'];

/** GET /api/meetings/:meetingId/archive. A note's `markdown` is null when it is not shared with the reader (a draft of another provider). */
export type ArchivedMeetingView = InferResponseType<MeetingRoutes['archive']['$get'], 200>;

/** One hit of GET /api/networks/:networkId/archive/search. */
export type ArchiveSearchHit = InferResponseType<ArchiveRoutes['search']['$get'], 200>['hits'][number];

/** GET /api/networks/:networkId/archive/diff: a method note compared line by line between two meetings. */
export type NoteDiff = InferResponseType<ArchiveRoutes['diff']['$get'], 200>;

/** GET /api/meetings/:meetingId/preparation. */
export type PreparationBoard = InferResponseType<MeetingRoutes['preparation']['$get'], 200>;

/** A closed meeting to pick when comparing method notes. */
export type ArchivedMeetingChoice = Pick<MeetingSummary, 'id' | 'title' | 'startsAt'>;
