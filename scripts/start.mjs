// `npm start`: build the web app if it is missing or older than its sources, then run the one
// server in this same Node process.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'build/handler.js');

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const sources = ['web', 'svelte.config.js', 'vite.config.ts', 'package.json', 'realtime/wire', 'realtime/transport', 'domain'].map((p) => join(root, p));
const stale = !existsSync(built) || Math.max(...sources.filter(existsSync).map(newestMtime)) > statSync(built).mtimeMs;
if (stale) {
  console.log('[samspil] building the web app (first start or sources changed)…');
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

register();
await import('../realtime/main.ts');
