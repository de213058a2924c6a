import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import {
  addPlan,
  addSession,
  balanceOf,
  buy,
  ledgerKinds,
  newStudio,
  type Studio,
} from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** Issue 20 items 4 (shared pools) and 5 (transfers), through the API; mytime holds a credit on booking. */
const day = (d: number) => ({
  startsAt: `2026-03-${String(d).padStart(2, '0')}T10:00:00-05:00`,
  endsAt: `2026-03-${String(d).padStart(2, '0')}T11:00:00-05:00`,
});

async function outbox(tenantId: string): Promise<{ name: string; payload: Record<string, unknown> }[]> {
  const { orm } = await testPlugin();
  return orm.em
    .fork()
    .getConnection()
    .execute('select name, payload from outbox where tenant_id = ? order by seq', [tenantId]);
}

async function household(t: Studio) {
  const admin = t.as('admin');
  for (const [id, name] of [
    ['tom', 'Tom'],
    ['ana', 'Ana'],
    ['bob', 'Bob'],
  ])
    expectStatus(await admin.post('/v1/clients', { id, name }), 201);
}

const book = (t: Studio, clientId: string, sessionId: string) =>
  t.as('staff').post('/v1/reservations', { clientId, sessionId, channel: 'in_store' });

const entries = async (t: Studio, purchaseId: string) =>
  (await t.as('staff').get(`/v1/purchases/${purchaseId}/ledger`)).body.entries.map(
    (e: { kind: string; clientId: string; delta: { total: number } }) => [e.kind, e.clientId, e.delta.total],
  );

describe('shared pools (issue 20 item 4)', () => {
  it('members book from the owner’s pack under their caps; the ledger names each; balances show it from each side', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(t, await addPlan(t, { name: 'Family 3', credits: 3 }));
    const set = await t
      .as('staff')
      .put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom', 'ana'], caps: { tom: 1 } });
    expectStatus(set, 200);
    expect(set.body.members).toEqual([
      { clientId: 'tom', cap: 1, used: 0 },
      { clientId: 'ana', cap: null, used: 0 },
    ]);
    const [s1, s2, s3, s4] = await Promise.all(
      [2, 3, 4, 5].map((d) => addSession(t, { id: `s${d}`, ...day(d + 1) })),
    );
    const tom1 = await book(t, 'tom', s1 as string);
    expect(tom1.body).toMatchObject({ purchaseId: p.id, credit: { state: 'held', units: 1 } });
    // Tom's cap is 1: his second booking gets no credit from the pool.
    const tom2 = await book(t, 'tom', s2 as string);
    expect(tom2.body).toMatchObject({ purchaseId: null, credit: { state: 'none' } });
    const ana = await book(t, 'ana', s2 as string);
    expect(ana.body).toMatchObject({ purchaseId: p.id, credit: { state: 'held' } });
    // Bob is not a member: nothing of Sarah's pays for him.
    expect((await book(t, 'bob', s3 as string)).body).toMatchObject({
      purchaseId: null,
      credit: { state: 'none' },
    });
    const sarah = await book(t, 'sarah', s3 as string);
    expect(sarah.body).toMatchObject({ purchaseId: p.id, credit: { state: 'held' } });
    expect(await balanceOf(t, p.id)).toMatchObject({ total: 3, held: 3, remaining: 0 });
    // The pool is empty: the owner too books without a credit now.
    expect((await book(t, 'sarah', s4 as string)).body).toMatchObject({ purchaseId: null });
    expect(await entries(t, p.id)).toEqual([
      ['grant', 'sarah', 3],
      ['hold', 'tom', 0],
      ['hold', 'ana', 0],
      ['hold', 'sarah', 0],
    ]);
    const tomSide = await t.as('staff').get('/v1/clients/tom/balances');
    expectStatus(tomSide, 200);
    expect(tomSide.body.purchases).toHaveLength(1);
    expect(tomSide.body.purchases[0]).toMatchObject({
      id: p.id,
      clientId: 'sarah',
      remaining: 0,
      sharedBy: { ownerId: 'sarah', cap: 1, used: 1 },
    });
    const sarahSide = await t.as('staff').get('/v1/clients/sarah/balances');
    expect(sarahSide.body.purchases[0].sharedBy).toBeUndefined();
    expect(sarahSide.body.purchases[0].members).toEqual([
      { clientId: 'tom', cap: 1, used: 1 },
      { clientId: 'ana', cap: null, used: 1 },
    ]);
    expect((await t.as('staff').get('/v1/clients/bob/balances')).body.purchases).toEqual([]);
    // Tom cancels: his credit comes back to the pool and under his cap.
    expectStatus(await t.as('staff').post(`/v1/reservations/${tom1.body.id}/cancel`), 200);
    expect(await balanceOf(t, p.id)).toMatchObject({ held: 2, remaining: 1 });
    const again = await book(t, 'tom', s4 as string);
    expect(again.body).toMatchObject({ purchaseId: p.id, credit: { state: 'held' } });
    const members = (await outbox(t.id)).filter((e) => e.name === 'purchase.members_changed');
    expect(members.map((e) => e.payload)).toEqual([
      {
        tenantId: t.id,
        purchaseId: p.id,
        ownerId: 'sarah',
        members: [
          { clientId: 'tom', cap: 1 },
          { clientId: 'ana', cap: null },
        ],
      },
    ]);
  });

  it('a member taken off the pool books without it, and its earlier credit still moves back on cancel', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(t, await addPlan(t, { name: 'Family 2', credits: 2 }));
    await t.as('staff').put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom'] });
    const s1 = await addSession(t, day(3));
    const s2 = await addSession(t, day(4));
    const r = await book(t, 'tom', s1);
    expect(r.body.purchaseId).toBe(p.id);
    const cleared = await t.as('staff').put(`/v1/purchases/${p.id}/members`, { clientIds: [] });
    expectStatus(cleared, 200);
    expect(cleared.body.members).toBeUndefined();
    expect((await book(t, 'tom', s2)).body).toMatchObject({ purchaseId: null });
    expect((await t.as('staff').get('/v1/clients/tom/balances')).body.purchases).toEqual([]);
    expectStatus(await t.as('staff').post(`/v1/reservations/${r.body.id}/cancel`), 200);
    expect(await balanceOf(t, p.id)).toMatchObject({ held: 0, remaining: 2 });
    expect(await entries(t, p.id)).toEqual([
      ['grant', 'sarah', 2],
      ['hold', 'tom', 0],
      ['release', 'tom', 0],
    ]);
  });

  it('bad members are 422 with pointers and change nothing; unknown purchase 404; voided 409', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(t, await addPlan(t, { name: 'Family 2', credits: 2 }));
    const staff = t.as('staff');
    const owner = await staff.put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom', 'sarah', 'tom'] });
    expect(owner.status).toBe(422);
    expect(owner.body.errors).toEqual([
      { path: '/clientIds/1', message: 'is the owner of the purchase' },
      { path: '/clientIds/2', message: "'tom' is listed twice" },
    ]);
    const caps = await staff.put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom'], caps: { ana: 2 } });
    expect(caps.body.errors).toEqual([{ path: '/caps/ana', message: 'is not a member' }]);
    const ghost = await staff.put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom', 'ghost'] });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors).toEqual([{ path: '/clientIds/1', message: "no client with id 'ghost'" }]);
    const zero = await staff.put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom'], caps: { tom: 0 } });
    expect(zero.status).toBe(422);
    expect((await staff.put('/v1/purchases/nope/members', { clientIds: ['tom'] })).status).toBe(404);
    expect((await balanceOf(t, p.id)).members).toBeUndefined();
    expectStatus(await staff.post(`/v1/purchases/${p.id}/void`, { reason: 'refunded' }), 200);
    expect((await staff.put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom'] })).status).toBe(409);
  });

  it('two members booking the last pooled credit at once: exactly one gets it', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(t, await addPlan(t, { name: 'Family 1', credits: 1 }));
    await t.as('staff').put(`/v1/purchases/${p.id}/members`, { clientIds: ['tom', 'ana'] });
    const s = await addSession(t, day(3));
    const [tom, ana] = await Promise.all([book(t, 'tom', s), book(t, 'ana', s)]);
    expectStatus(tom, 201);
    expectStatus(ana, 201);
    const paid = [tom.body, ana.body].filter((r) => r.purchaseId === p.id);
    expect(paid).toHaveLength(1);
    expect(paid[0].credit.state).toBe('held');
    expect(await balanceOf(t, p.id)).toMatchObject({ total: 1, held: 1, remaining: 0 });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'hold']);
  });
});

describe('transfers (issue 20 item 5)', () => {
  it('moves n unused credits to a new purchase of the receiver: both ledgers show it, totals conserved', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(t, await addPlan(t, { name: '10 classes', credits: 10, daysToExpire: 30 }));
    await book(t, 'sarah', await addSession(t, day(3)));
    const admin = t.as('admin');
    const moved = await admin.post(`/v1/purchases/${p.id}/transfer`, {
      toClientId: 'tom',
      credits: 4,
      reason: 'moving away',
    });
    expectStatus(moved, 201);
    expect(moved.body.credits).toBe(4);
    expect(moved.body.from).toMatchObject({ id: p.id, total: 6, held: 1, remaining: 5, status: 'active' });
    expect(moved.body.to).toMatchObject({
      clientId: 'tom',
      planId: p.planId,
      locationId: 'loc',
      purchasedAt: p.purchasedAt,
      expiresAt: p.expiresAt,
      total: 4,
      remaining: 4,
      status: 'active',
    });
    expect(await entries(t, p.id)).toEqual([
      ['grant', 'sarah', 10],
      ['hold', 'sarah', 0],
      ['transfer_out', 'sarah', -4],
    ]);
    expect(await entries(t, moved.body.to.id)).toEqual([['transfer_in', 'tom', 4]]);
    // Tom books from his new purchase.
    expect((await book(t, 'tom', await addSession(t, day(4)))).body.purchaseId).toBe(moved.body.to.id);
    // The rest, whole: the 5 unheld credits; then nothing is left to move.
    const rest = await admin.post(`/v1/purchases/${p.id}/transfer`, { toClientId: 'ana', reason: 'gift' });
    expectStatus(rest, 201);
    expect([
      rest.body.credits,
      rest.body.from.remaining,
      rest.body.from.held,
      rest.body.to.remaining,
    ]).toEqual([5, 0, 1, 5]);
    expect(
      (await admin.post(`/v1/purchases/${p.id}/transfer`, { toClientId: 'ana', reason: 'again' })).status,
    ).toBe(409);
    const transferred = (await outbox(t.id)).filter((e) => e.name === 'purchase.transferred');
    expect(transferred.map((e) => e.payload)).toEqual([
      {
        tenantId: t.id,
        fromPurchaseId: p.id,
        toPurchaseId: moved.body.to.id,
        fromClientId: 'sarah',
        toClientId: 'tom',
        credits: 4,
        reason: 'moving away',
      },
      {
        tenantId: t.id,
        fromPurchaseId: p.id,
        toPurchaseId: rest.body.to.id,
        fromClientId: 'sarah',
        toClientId: 'ana',
        credits: 5,
        reason: 'gift',
      },
    ]);
  });

  it('refused: staff (403), more than remaining, on hold, voided, expired (409), owner or unknown receiver (422)', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const plan = await addPlan(t, { name: '3 classes', credits: 3, daysToExpire: 10 });
    const p = await buy(t, plan);
    const admin = t.as('admin');
    const body = { toClientId: 'tom', credits: 1, reason: 'x' };
    expect((await t.as('staff').post(`/v1/purchases/${p.id}/transfer`, body)).status).toBe(403);
    const tooMany = await admin.post(`/v1/purchases/${p.id}/transfer`, { ...body, credits: 4 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.detail).toBe(`cannot transfer 4 credits: purchase '${p.id}' has 3 remaining`);
    const self = await admin.post(`/v1/purchases/${p.id}/transfer`, { ...body, toClientId: 'sarah' });
    expect(self.body.errors).toEqual([{ path: '/toClientId', message: 'is the owner of the purchase' }]);
    const ghost = await admin.post(`/v1/purchases/${p.id}/transfer`, { ...body, toClientId: 'ghost' });
    expect(ghost.body.errors).toEqual([{ path: '/toClientId', message: "no client with id 'ghost'" }]);
    expect((await admin.post('/v1/purchases/nope/transfer', body)).status).toBe(404);
    await admin.post(`/v1/purchases/${p.id}/hold`, {});
    expect((await admin.post(`/v1/purchases/${p.id}/transfer`, body)).body.detail).toBe(
      `purchase '${p.id}' is on hold: its credits cannot be transferred`,
    );
    await admin.post(`/v1/purchases/${p.id}/resume`, {});
    const v = await buy(t, plan);
    await admin.post(`/v1/purchases/${v.id}/void`, {});
    expect((await admin.post(`/v1/purchases/${v.id}/transfer`, body)).status).toBe(409);
    setNow('2026-03-20T15:00:00Z');
    const expired = await admin.post(`/v1/purchases/${p.id}/transfer`, body);
    expect(expired.status).toBe(409);
    expect(expired.body.detail).toBe(`purchase '${p.id}' is expired: its credits cannot be transferred`);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'expiry']);
    expect((await t.as('staff').get('/v1/clients/tom/balances')).body.purchases).toEqual([]);
  });

  it('an unlimited purchase moves whole (credits refused): the receiver gets it, the source is voided', async () => {
    const t = await newStudio('mytime');
    await household(t);
    const p = await buy(
      t,
      await addPlan(t, { name: 'Unlimited month', kind: 'membership', unlimited: true, daysToExpire: 30 }),
    );
    const admin = t.as('admin');
    const withCredits = await admin.post(`/v1/purchases/${p.id}/transfer`, {
      toClientId: 'tom',
      credits: 2,
      reason: 'x',
    });
    expect(withCredits.status).toBe(409);
    const whole = await admin.post(`/v1/purchases/${p.id}/transfer`, {
      toClientId: 'tom',
      reason: 'sold on',
    });
    expectStatus(whole, 201);
    expect(whole.body.credits).toBeNull();
    expect(whole.body.from).toMatchObject({ status: 'voided', unlimited: true });
    expect(whole.body.to).toMatchObject({
      clientId: 'tom',
      status: 'active',
      unlimited: true,
      expiresAt: p.expiresAt,
    });
    expect(await ledgerKinds(t, p.id)).toEqual(['transfer_out']);
    expect(await ledgerKinds(t, whole.body.to.id)).toEqual(['transfer_in']);
    expect((await book(t, 'tom', await addSession(t, day(3)))).body.purchaseId).toBe(whole.body.to.id);
  });
});
