// Runs SQLite WAL checkpoints on a thread of its own (plain JavaScript: a worker needs no loader),
// so no commit on the server's event loop ever pays for copying the WAL into the database.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { timeout: 5000 });
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for readers or writers; what it cannot copy now, it copies next time.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort?.postMessage({ type: 'error', message: String(err) });
  }
}, workerData.intervalMs);

parentPort?.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort?.postMessage({ type: 'stopped' });
  }
});
