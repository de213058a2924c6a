import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding punchcard's package.json and rules/, found from this file, not
 * the cwd: one level above src/ in a checkout, two above dist/src/ in the package.
 */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (const up of ['..', '../..']) {
    const dir = join(from, up);
    if (existsSync(join(dir, 'rules', 'schema', 'ruleset.schema.json'))) return dir;
  }
  throw new Error(`punchcard: no package folder (package.json, rules/) above ${from}`);
}
