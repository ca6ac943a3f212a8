/**
 * Where the project and its data live, found at run time so the same code works from `lib/`
 * under tsx, from `dist/lib/` when built, and from notebooks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

let cachedRoot: string | undefined;

/** The folder holding the package.json named `mta4dpr`, found by walking up from this module. */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = resolve(__dirname);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mta4dpr') {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // An unreadable package.json is not ours: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json named "mta4dpr" above ${__dirname}`);
    dir = parent;
  }
}

/** The data folder: `$MTA4DPR_DATA` when set, else `<projectRoot>/data`. */
export function dataRoot(): string {
  const env = process.env.MTA4DPR_DATA;
  return env !== undefined && env !== '' ? resolve(env) : join(projectRoot(), 'data');
}
