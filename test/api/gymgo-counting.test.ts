import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, ledgerKinds, newStudio, reserve } from '../support/fixtures.ts';

const tomorrow = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };

describe('gymGO preset', () => {
  it('B1: an item no plan covers is free — booked with no credit touched', async () => {
    const t = await newStudio('gymgo');
    const p = await buy(t, await addPlan(t, { name: '5 Pack', credits: 5, itemIds: [] }));
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r).toMatchObject({
      status: 'booked',
      purchaseId: null,
      credit: { state: 'none', units: 0 },
      label: null,
    });
    await t.as('staff').post(`/v1/reservations/${r.id}/check-in`);
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
  });

  it('B2 seed: the most recent purchase is assigned even with 1 of 5 left on the older one', async () => {
    const t = await newStudio('gymgo');
    const plan = await addPlan(t, { name: '5 Pack Small Group', credits: 5 });
    setNow('2026-02-01T15:00:00Z');
    const older = await buy(t, plan);
    await t
      .as('staff')
      .post(`/v1/purchases/${older.id}/adjustments`, { delta: -4, reason: 'four classes taken' });
    setNow('2026-02-20T15:00:00Z');
    const newer = await buy(t, plan);
    setNow('2026-03-02T15:00:00Z');
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r).toMatchObject({
      purchaseId: newer.id,
      credit: { state: 'assigned', units: 1 },
      label: 'Available in Package',
    });
    expect(r.explain.assignment.order).toEqual([{ key: 'purchasedAt', direction: 'desc' }]);
    // Assigned is not counted: both balances are untouched until check-in.
    expect([(await balanceOf(t, older.id)).remaining, (await balanceOf(t, newer.id)).remaining]).toEqual([
      1, 5,
    ]);
  });

  it('B2 own: three purchases, the newest of them wins; on hold it is skipped for the next newest (B4)', async () => {
    const t = await newStudio('gymgo');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const ids: string[] = [];
    for (const day of ['01', '05', '09']) {
      setNow(`2026-02-${day}T15:00:00Z`);
      ids.push((await buy(t, plan)).id);
    }
    setNow('2026-03-02T15:00:00Z');
    await t.as('staff').post(`/v1/purchases/${ids[2]}/hold`);
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r.purchaseId).toBe(ids[1]);
  });

  it('B17: check-in counts; canceled never counts', async () => {
    const t = await newStudio('gymgo');
    const p = await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const a = await reserve(t, await addSession(t, { id: 'a', ...tomorrow }));
    const checkedIn = await t.as('staff').post(`/v1/reservations/${a.id}/check-in`);
    expect(checkedIn.body).toMatchObject({
      status: 'checked_in',
      credit: { state: 'used', units: 1 },
      label: 'Package Used',
    });
    const b = await reserve(
      t,
      await addSession(t, {
        id: 'b',
        startsAt: '2026-03-04T10:00:00-05:00',
        endsAt: '2026-03-04T11:00:00-05:00',
      }),
    );
    await t.as('staff').post(`/v1/reservations/${b.id}/cancel`);
    setNow('2026-03-05T12:00:00Z');
    expect((await t.as('staff').get(`/v1/reservations/${b.id}`)).body.credit.state).toBe('released');
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 4, used: 1 });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'use']);
  });

  it('B17: a no-show counts — marked by staff, or booked and not checked in when the class ends', async () => {
    const t = await newStudio('gymgo');
    const p = await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const marked = await reserve(t, await addSession(t, { id: 'a', ...tomorrow }));
    const noShow = await t.as('staff').post(`/v1/reservations/${marked.id}/no-show`);
    expect(noShow.body.credit.state).toBe('used');
    const silent = await reserve(
      t,
      await addSession(t, {
        id: 'b',
        startsAt: '2026-03-04T10:00:00-05:00',
        endsAt: '2026-03-04T11:00:00-05:00',
      }),
    );
    setNow('2026-03-04T15:59:59.999Z');
    expect((await t.as('staff').get(`/v1/reservations/${silent.id}`)).body.credit.state).toBe('assigned');
    setNow('2026-03-04T16:00:00.000Z');
    expect((await t.as('staff').get(`/v1/reservations/${silent.id}`)).body.credit.state).toBe('used');
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 3, used: 2 });
  });

  it('B5: staff move a counted reservation to another purchase; the ledger moves the credit', async () => {
    const t = await newStudio('gymgo');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    setNow('2026-02-01T15:00:00Z');
    const older = await buy(t, plan);
    setNow('2026-02-20T15:00:00Z');
    const newer = await buy(t, plan);
    setNow('2026-03-02T15:00:00Z');
    const r = await reserve(t, await addSession(t, tomorrow));
    await t.as('staff').post(`/v1/reservations/${r.id}/check-in`);
    expect((await balanceOf(t, newer.id)).used).toBe(1);
    const moved = await t.as('staff').put(`/v1/reservations/${r.id}/purchase`, { purchaseId: older.id });
    expectStatus(moved, 200);
    expect(moved.body).toMatchObject({
      purchaseId: older.id,
      manualPurchase: true,
      credit: { state: 'used', units: 1 },
    });
    expect(await balanceOf(t, newer.id)).toMatchObject({ remaining: 5, used: 0 });
    expect(await balanceOf(t, older.id)).toMatchObject({ remaining: 4, used: 1 });
    expect(await ledgerKinds(t, newer.id)).toEqual(['grant', 'use', 'refund']);
    expect(await ledgerKinds(t, older.id)).toEqual(['grant', 'use']);
    const bad = await t.as('staff').put(`/v1/reservations/${r.id}/purchase`, { purchaseId: 'ghost' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/purchaseId');
  });
});

describe('MyTime never charges a no-show (B17), and the label stays (B20)', () => {
  it('marking no-show releases the held credit but keeps showing Available in Package', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const r = await reserve(t, await addSession(t, tomorrow));
    const noShow = await t.as('staff').post(`/v1/reservations/${r.id}/no-show`);
    expect(noShow.body).toMatchObject({
      status: 'no_show',
      credit: { state: 'released' },
      label: 'Available in Package',
    });
    setNow('2026-03-04T12:00:00Z');
    await t.as('staff').post('/v1/sweeps', {});
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 5, used: 0, held: 0 });
  });
});
