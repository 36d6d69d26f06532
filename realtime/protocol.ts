// Kept while imports move to realtime/wire/: the wire contract, re-exported whole.
export * from './wire/index.ts';
