import type { EntityManager } from '@mikro-orm/sql';
import { ApiKey } from '../domain/api-key.ts';
import { Tenant } from '../domain/tenant.ts';
import { conflict, invalid } from '../errors.ts';
import { hashKey, newKey } from '../http/keys.ts';
import { newId } from '../ids.ts';
import { listPresets, loadPreset, validateRuleset } from '../policy/index.ts';
import { saveVersion } from './policy-versions.ts';

export interface NewTenant {
  id?: string;
  name: string;
  preset: string;
}

/**
 * A tenant with its admin and staff keys (returned once, stored hashed) and
 * version 1 of its rule set, copied from the chosen preset.
 */
export async function createTenant(tx: EntityManager, input: NewTenant, now: Date) {
  if (!listPresets().some((p) => p.id === input.preset)) {
    throw invalid('/preset', `unknown preset '${input.preset}'; see GET /v1/presets`);
  }
  const checked = validateRuleset(loadPreset(input.preset));
  if (!checked.ok) throw new Error(`preset '${input.preset}' is invalid: ${JSON.stringify(checked.errors)}`);
  const id = input.id ?? newId('ten');
  if (await tx.findOne(Tenant, { id })) throw conflict(`tenant '${id}' already exists`);
  tx.create(Tenant, { id, name: input.name, activeVersion: 1, createdAt: now });
  await tx.flush();
  const keys = { admin: newKey('admin'), staff: newKey('staff') };
  for (const role of ['admin', 'staff'] as const) {
    tx.create(ApiKey, { keyHash: hashKey(keys[role]), tenantId: id, role, createdAt: now });
  }
  await saveVersion(tx, id, checked.ruleset, checked.hash, 'platform', `preset ${input.preset}`, now);
  return { id, name: input.name, preset: input.preset, keys };
}
