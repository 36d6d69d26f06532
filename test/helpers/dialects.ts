// The database dialects every integration test runs on: SQLite always, PostgreSQL when it answers.
import type { DialectName } from '../../db/dialect.ts';
import { postgresAvailable } from './services.ts';

export const DIALECTS: ReadonlyArray<{ dialect: DialectName; available: boolean }> = [
  { dialect: 'sqlite', available: true },
  { dialect: 'postgres', available: await postgresAvailable() },
];
