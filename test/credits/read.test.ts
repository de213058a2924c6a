import { describe, expect, it } from 'vitest';
import { readClient } from '../../src/credits/read.ts';
import { query } from '../../src/db/sql.ts';
import { inTransaction } from '../support/credit-transaction.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';

/** The one locking read takes what can change: live purchases, not years of used-up ones. */

describe('readClient', () => {
  it('takes live purchases and those named; used-up history stays out', async () => {
    const t = await newStudio('mytime');
    const planId = await addPlan(t, { name: '10', credits: 10 });
    const live = await buy(t, planId);
    await inTransaction(t.id, async (ctx) => {
      // Three purchases sold two years before now: used up, expired, and one still holding a credit.
      await query(
        ctx,
        `insert into purchases (tenant_id, id, client_id, plan_id, location_id, purchased_at, expires_at, status, source,
                unlimited, total, held, used, deducted, expired, remaining, created_at)
         values ($1, 'used-up', 'sarah', $2, 'loc', '2024-03-01', null, 'active', 'pos', false, 10, 0, 10, 0, 0, 0, '2024-03-01'),
                ($1, 'gone', 'sarah', $2, 'loc', '2024-03-01', '2024-06-01', 'expired', 'pos', false, 10, 0, 4, 0, 6, 0, '2024-03-01'),
                ($1, 'holding', 'sarah', $2, 'loc', '2024-03-01', '2024-06-01', 'expired', 'pos', false, 10, 1, 3, 0, 6, 0, '2024-03-01')`,
        [t.id, planId],
      );
      await query(
        ctx,
        `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, actor,
                idempotency_key, occurred_at)
         select $1, 'le-' || p.id || '-' || x.k, p.id, x.k, x.total, x.held, x.used, 0, x.expired, 'test', x.k || ':' || p.id,
                '2024-03-01'
           from purchases p, lateral (values ('grant', p.total, 0, 0, 0), ('use', 0, 0, p.used, 0),
                                             ('hold', 0, p.held, 0, 0), ('expiry', 0, 0, 0, p.expired)) x(k, total, held, used, expired)
          where p.tenant_id = $1 and p.id in ('used-up', 'gone', 'holding')
            and (x.k = 'grant' or x.total + x.held + x.used + x.expired > 0)`,
        [t.id],
      );
      const plain = await readClient(ctx, { client: { clientId: 'sarah' } });
      expect([...(plain?.purchases.keys() ?? [])].sort()).toEqual(['holding', live.id].sort());
      const named = await readClient(ctx, { client: { clientId: 'sarah' }, purchaseIds: ['gone'] });
      expect([...(named?.purchases.keys() ?? [])].sort()).toEqual(['gone', 'holding', live.id].sort());
      expect(plain?.policyVersion).toBe(1);
    });
  });

  it('finds the client through what the request names, and nothing for an unknown one', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    await inTransaction(t.id, async (ctx) => {
      expect((await readClient(ctx, { client: { purchaseId: p.id } }))?.clientId).toBe('sarah');
      expect(await readClient(ctx, { client: { clientId: 'nobody' } })).toBeNull();
      expect(await readClient(ctx, { client: { reservationId: 'nothing' } })).toBeNull();
    });
  });
});
