import type { EntityManager } from '@mikro-orm/sql';
import { describe, expect, it } from 'vitest';
import type { CreditContext } from '../../src/credits/context.ts';
import { bookQuickly } from '../../src/credits/fast-booking.ts';
import { book } from '../../src/credits/reservations.ts';
import { presentReservation } from '../../src/http/reservations.ts';
import { activePolicy } from '../../src/tenants/policy-versions.ts';
import { clock } from '../support/clock.ts';
import { addPlan, addSession, buy, ledgerKinds, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** The fast path must decide and write exactly what book() does. */
async function inTransaction<T>(tenantId: string, work: (ctx: CreditContext) => Promise<T>): Promise<T> {
  const { orm } = await testPlugin();
  const em = orm.em.fork() as unknown as EntityManager;
  em.setFilterParams('tenant', { tenantId });
  return em.transactional(async (tx) =>
    work({
      tx,
      tenantId,
      active: await activePolicy(tx, tenantId),
      now: clock(),
      actor: 'staff',
      events: [],
      locked: new Map(),
    }),
  );
}

async function scenario(preset: string, setup: (t: Studio) => Promise<string>) {
  const results: any[] = [];
  for (const path of ['fast', 'general'] as const) {
    const t = await newStudio(preset);
    const sessionId = await setup(t);
    const input = { id: 'r1', clientId: 'sarah', sessionId, channel: 'online' as const };
    const shown = await inTransaction(t.id, async (ctx) => {
      if (path === 'fast') {
        const quick = await bookQuickly(ctx, input);
        expect(quick, 'the fast path should take this booking').not.toBeNull();
        return quick;
      }
      return presentReservation(ctx, await book(ctx, input));
    });
    const purchases = (await t.as('staff').get('/v1/clients/sarah/balances')).body.purchases;
    const ledgers = await Promise.all(purchases.map((p: { id: string }) => ledgerKinds(t, p.id)));
    const again = (await t.as('staff').get('/v1/reservations/r1')).body;
    results.push({
      shown,
      again,
      balances: purchases.map((p: Record<string, unknown>) => [
        p.total,
        p.held,
        p.used,
        p.remaining,
        p.label,
      ]),
      ledgers,
    });
  }
  const strip = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/(pur|ses)_[A-Za-z0-9_-]+/g, '$1'));
  expect(strip(results[0])).toEqual(strip(results[1]));
  return results[0];
}

const ahead = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };

describe('booking fast path = book()', () => {
  it('MyTime hold', async () => {
    const r = await scenario('mytime', async (t) => {
      await buy(t, await addPlan(t, { name: '5', credits: 5 }));
      return addSession(t, ahead);
    });
    expect(r.shown?.credit).toEqual({ state: 'held', units: 1 });
  });

  it('gymGO assign only, most recent purchase', async () => {
    const r = await scenario('gymgo', async (t) => {
      const plan = await addPlan(t, { name: '5', credits: 5 });
      await buy(t, plan, { purchasedAt: '2026-02-01T10:00:00Z' });
      await buy(t, plan, { purchasedAt: '2026-02-10T10:00:00Z' });
      return addSession(t, ahead);
    });
    expect(r.shown?.credit).toEqual({ state: 'assigned', units: 1 });
  });

  it('seven nights over five credits, a $0 class, an uncovered class', async () => {
    const nights = await scenario('mytime', async (t) => {
      await t.as('admin').post('/v1/items', { id: 'suite', name: 'Suite', kind: 'appointment', price: 6500 });
      await buy(t, await addPlan(t, { name: 'Five', kind: 'membership', credits: 5, itemIds: ['suite'] }));
      return addSession(t, {
        itemId: 'suite',
        startsAt: '2026-03-10T15:00:00-04:00',
        endsAt: '2026-03-17T11:00:00-04:00',
        units: 7,
      });
    });
    expect(nights.shown?.credit).toEqual({ state: 'held', units: 5 });
    const free = await scenario('mytime', async (t) => {
      await buy(t, await addPlan(t, { name: '5', credits: 5 }));
      return addSession(t, { ...ahead, price: 0 });
    });
    expect(free.shown?.credit).toEqual({ state: 'none', units: 0 });
    const uncovered = await scenario('mytime', async (t) => {
      await buy(t, await addPlan(t, { name: '5', credits: 5, itemIds: [] }));
      return addSession(t, ahead);
    });
    expect(uncovered.shown?.purchaseId).toBeNull();
  });

  it('declines what is not ordinary: a session already started', async () => {
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const sessionId = await addSession(t, {
      startsAt: '2026-03-02T09:00:00-05:00',
      endsAt: '2026-03-02T11:00:00-05:00',
    });
    const quick = await inTransaction(t.id, (ctx) =>
      bookQuickly(ctx, { clientId: 'sarah', sessionId, channel: 'in_store' }),
    );
    expect(quick).toBeNull();
  });
});
