// API answers the contract (realtime/protocol.ts) does not name as types, as the web app reads them:
// the archived meeting (documented only as an object; after realtime/meetings/archive.ts
// ArchivedMeeting), search hits, note diffs and the preparation board. Pieces the contract does
// define (entries, the leaderboard) come from it.
import type { Leaderboard } from '$wire/leaderboard.ts';
import type { MeetingEntry } from '$wire/meetings.ts';

export interface ArchivedMeetingView {
  meeting: {
    id: string;
    networkId: string;
    title: string;
    startsAt: string;
    durationMinutes: number;
    location: string | null;
    startedAt: string | null;
    closedAt: string;
  };
  agenda: Array<{ title: string; providerId: string | null; minutes: number | null }>;
  minutes: { name: string; markdown: string };
  /** `markdown` is null when the note is not shared with the reader (a draft of another provider). */
  notes: Array<{ providerId: string; providerName: string; published: boolean; markdown: string | null }>;
  entries: MeetingEntry[];
  attendance: Array<{ userId: string; name: string; firstJoinedAt: string }>;
  board: Leaderboard;
  addenda: Array<{ id: string; text: string; createdBy: string; createdAt: string }>;
}

export interface ArchiveSearchHit {
  meetingId: string;
  meetingTitle: string;
  startsAt: string;
  kind: string;
  providerId: string | null;
  title: string;
  segments: Array<{ text: string; hit: boolean }>;
}

export interface NoteDiff {
  from: string;
  to: string;
  lines: Array<{ kind: 'same' | 'added' | 'removed'; text: string }>;
}

export interface PreparationBoard {
  meetingId: string;
  deadline: string;
  workingDaysBefore: number;
  rows: Array<{
    providerId: string;
    providerName: string;
    methodNote: { published: boolean; publishedAt: string | null; onTime: boolean };
    report: { month: string; submittedAt: string | null; onTime: boolean };
    overdueReports: Array<{ month: string; dueDate: string }>;
  }>;
}

/** A closed meeting to pick when comparing method notes. */
export interface ArchivedMeetingChoice {
  id: string;
  title: string;
  startsAt: string;
}
