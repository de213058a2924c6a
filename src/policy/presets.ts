import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import type { Ruleset } from './ruleset-schema.ts';

/** The presets shipped with the package (a trailing slash: names are appended). */
const rulesDir = `${join(packageRoot, 'rules')}/`;

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
