import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { resetNow } from './clock.ts';
import { ledgerFaults } from './ledger-invariant.ts';

/** Tenants the current test created; after it, their ledgers must balance. */
export const tenantsTouched = new Set<string>();

// The worker's one plugin (PGlite start, migrations) opens here, with room for a busy
// machine, not inside whichever test happens to run first.
beforeAll(async () => {
  const { testPlugin } = await import('./plugin.ts');
  await testPlugin();
}, 180_000);

// Each file starts from the default clock: a file's own beforeAll (a seed) runs before
// the per-test reset, and an earlier file in this worker may have moved the clock.
beforeAll(() => resetNow());

beforeEach(() => {
  resetNow();
  tenantsTouched.clear();
});

afterEach(async () => {
  const faults = await ledgerFaults([...tenantsTouched]);
  tenantsTouched.clear();
  expect(faults, 'ledger invariant: purchases whose counters differ from their ledger').toEqual([]);
});
