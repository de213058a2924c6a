import { afterEach, beforeEach, expect } from 'vitest';
import { resetNow } from './clock.ts';
import { ledgerFaults } from './ledger-invariant.ts';

/** Tenants the current test created; after it, their ledgers must balance. */
export const tenantsTouched = new Set<string>();

beforeEach(() => {
  resetNow();
  tenantsTouched.clear();
});

afterEach(async () => {
  const faults = await ledgerFaults([...tenantsTouched]);
  tenantsTouched.clear();
  expect(faults, 'ledger invariant: purchases whose counters differ from their ledger').toEqual([]);
});
