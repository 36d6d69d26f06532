// Column types that several tables share.

/** Timestamps are ISO 8601 strings in UTC, generated in TypeScript so both dialects agree. */
export type IsoTime = string;
