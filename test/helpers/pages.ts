// The web app's page routes, read from web/routes, so a test over "every page" fails when a page is
// added that it does not know how to visit.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const routesDir = new URL('../../web/routes', import.meta.url).pathname;

/** Every page route, as its directory under web/routes ('' is the root). */
export function pageRoutes(dir = routesDir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pageRoutes(full));
    else if (name === '+page.svelte') out.push(relative(routesDir, dir));
  }
  return out.sort();
}

/** The paths of a route with each `[param]` replaced by each of its test values (all combinations). */
export function pagePaths(route: string, values: Record<string, string[]>): string[] {
  let paths = ['/' + route];
  for (const param of route.match(/\[(\w+)\]/g) ?? []) {
    const name = param.slice(1, -1);
    if (!values[name]) throw new Error(`no test value for [${name}] in web/routes/${route}: add one to this test`);
    paths = paths.flatMap((p) => values[name].map((v) => p.replace(param, encodeURIComponent(v))));
  }
  return paths.map((p) => p.replace(/\/\([^)]+\)/g, '') || '/');
}
