import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ruleset } from './ruleset-schema.ts';

/**
 * The rules/ folder shipped with the package, found from this file, not the cwd:
 * two levels up from src/policy/ (the sources), three from dist/src/policy/ (the build).
 */
const rulesDir = findRulesDir();

function findRulesDir(): string {
  for (const up of ['../../rules/', '../../../rules/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}schema/ruleset.schema.json`)) return dir;
  }
  throw new Error('punchcard: the rules/ folder with the presets is missing');
}

let listed: { id: string; name: string; description: string }[] | undefined;

export function listPresets(): { id: string; name: string; description: string }[] {
  listed ??= readdirSync(rulesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const r = JSON.parse(readFileSync(rulesDir + f, 'utf8')) as Ruleset;
      return { id: f.slice(0, -'.json'.length), name: r.name, description: r.description ?? '' };
    });
  return listed;
}

/** A preset's rule set, read fresh (callers may edit their copy). */
export function loadPreset(id: string): Ruleset {
  if (!listPresets().some((p) => p.id === id)) throw new Error(`unknown preset '${id}'`);
  return JSON.parse(readFileSync(`${rulesDir}${id}.json`, 'utf8')) as Ruleset;
}
