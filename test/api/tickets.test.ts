import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, ledgerKinds, newStudio, reserve } from '../support/fixtures.ts';

const line = (itemId: string, extra: Record<string, unknown> = {}) => ({ itemId, ...extra });

describe('allocation on a ticket (B9, B10, B11)', () => {
  it('B9: three lines, two credits — the two cheapest lines are covered', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const [id, price] of [
      ['a', 3000],
      ['b', 1000],
      ['c', 2000],
    ] as const) {
      await admin.post('/v1/items', { id, name: id, kind: 'product', price });
    }
    const m = await buy(
      t,
      await addPlan(t, { name: 'Two', kind: 'membership', credits: 2, itemIds: ['a', 'b', 'c'] }),
    );
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('a'), line('b'), line('c')],
    });
    expectStatus(ticket, 201);
    expect(
      ticket.body.lines.map((l: { coveredUnits: number; amountDue: number }) => [
        l.coveredUnits,
        l.amountDue,
      ]),
    ).toEqual([
      [0, 3000],
      [1, 0],
      [1, 0],
    ]);
    expect([ticket.body.total, ticket.body.retailTotal]).toEqual([3000, 6000]);
    await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect(await balanceOf(t, m.id)).toMatchObject({ remaining: 0, used: 2 });
  });

  it('B9 own: four lines, one credit, a line price override counts', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    await admin.post('/v1/items', { id: 'x', name: 'x', kind: 'product', price: 500 });
    await buy(t, await addPlan(t, { name: 'One', kind: 'membership', credits: 1, itemIds: ['x', 'yoga'] }));
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('x'), line('yoga', { price: 400 }), line('x', { price: 450 }), line('yoga')],
    });
    expect(ticket.body.lines.map((l: { amountDue: number }) => l.amountDue)).toEqual([500, 0, 450, 2500]);
    expect(ticket.body.total).toBe(3450);
  });

  it('B10: seven nights, five credits — five covered, two charged at the unit price', async () => {
    const t = await newStudio('mytime');
    await t
      .as('admin')
      .post('/v1/items', { id: 'suite', name: 'Boarding suite', kind: 'appointment', price: 6500 });
    const m = await buy(
      t,
      await addPlan(t, { name: 'Five nights', kind: 'membership', credits: 5, itemIds: ['suite'] }),
    );
    const s = await addSession(t, {
      itemId: 'suite',
      startsAt: '2026-03-10T15:00:00-04:00',
      endsAt: '2026-03-17T11:00:00-04:00',
      units: 7,
    });
    const r = await reserve(t, s);
    expect(r.credit).toEqual({ state: 'held', units: 5 });
    expect((await balanceOf(t, m.id)).held).toBe(5);
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('suite', { reservationId: r.id })],
    });
    expect(ticket.body.lines[0]).toMatchObject({ units: 7, coveredUnits: 5, amountDue: 13000 });
    expect(ticket.body.total).toBe(13000);
    expect(await balanceOf(t, m.id)).toMatchObject({ remaining: 0, held: 0, used: 5 });
  });

  it('B10 own: three nights with ten credits use three', async () => {
    const t = await newStudio('mytime');
    await t.as('admin').post('/v1/items', { id: 'suite', name: 'Suite', kind: 'appointment', price: 6500 });
    const m = await buy(
      t,
      await addPlan(t, { name: 'Ten', kind: 'membership', credits: 10, itemIds: ['suite'] }),
    );
    const r = await reserve(
      t,
      await addSession(t, {
        itemId: 'suite',
        startsAt: '2026-03-10T15:00:00-04:00',
        endsAt: '2026-03-13T11:00:00-04:00',
        units: 3,
      }),
    );
    expect(r.credit).toEqual({ state: 'held', units: 3 });
    expect((await balanceOf(t, m.id)).remaining).toBe(7);
  });

  it('B11: $0 items take no credit until zeroPriceUsesCredits is on', async () => {
    const t = await newStudio('mytime');
    await t.as('admin').post('/v1/items', { id: 'open-gym', name: 'Open gym', kind: 'class', price: 0 });
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10, itemIds: ['open-gym'] }));
    const before = await reserve(
      t,
      await addSession(t, {
        id: 'g1',
        itemId: 'open-gym',
        startsAt: '2026-03-03T10:00:00-05:00',
        endsAt: '2026-03-03T11:00:00-05:00',
      }),
    );
    expect(before.credit.state).toBe('none');
    expect(before.explain.assignment.summary).toContain('zeroPriceUsesCredits is off');
    const patched = await t.as('admin').patch('/v1/policy/settings', { zeroPriceUsesCredits: true });
    expectStatus(patched, 200);
    expect(patched.body.version).toBe(2);
    const after = await reserve(
      t,
      await addSession(t, {
        id: 'g2',
        itemId: 'open-gym',
        startsAt: '2026-03-04T10:00:00-05:00',
        endsAt: '2026-03-04T11:00:00-05:00',
      }),
    );
    expect(after.credit.state).toBe('held');
    expect((await balanceOf(t, p.id)).remaining).toBe(9);
  });

  it('B11: a session price of $0 overrides a priced item', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(
      t,
      await addSession(t, {
        startsAt: '2026-03-03T10:00:00-05:00',
        endsAt: '2026-03-03T11:00:00-05:00',
        price: 0,
      }),
    );
    expect(r.credit.state).toBe('none');
    expect((await balanceOf(t, p.id)).remaining).toBe(10);
  });
});

describe('refunds, one-day packages, commission', () => {
  it('B18: a refunded ticket shows the full retail price and the credit is back', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('yoga', { reservationId: r.id })],
    });
    const closed = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect([closed.body.status, closed.body.total]).toEqual(['closed', 0]);
    expect((await balanceOf(t, p.id)).remaining).toBe(9);
    const refunded = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`);
    expect(refunded.body).toMatchObject({ status: 'refunded', total: 2500, retailTotal: 2500 });
    expect(refunded.body.lines[0]).toMatchObject({ coveredUnits: 0, amountDue: 2500, purchaseId: null });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 10, used: 0 });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'hold', 'use', 'refund']);
    expect((await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`)).status).toBe(409);
  });

  it('B18 own: refunding a two-line ticket returns both credits; total is 4000 retail', async () => {
    const t = await newStudio('mytime');
    await t.as('admin').post('/v1/items', { id: 'mat', name: 'Mat rental', kind: 'product', price: 1500 });
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10, itemIds: ['yoga', 'mat'] }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('yoga', { reservationId: r.id }), line('mat')],
    });
    await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect((await balanceOf(t, p.id)).remaining).toBe(8);
    const refunded = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`);
    expect(refunded.body.total).toBe(4000);
    expect((await balanceOf(t, p.id)).remaining).toBe(10);
  });

  it('B8 seed: a one-day package bought 10 Nov pre-books 22 Dec; closing the ticket voids it and releases the credit', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: 'Day pass', credits: 1, oneDay: true });
    setNow('2026-11-10T15:00:00Z');
    const p = await buy(t, plan);
    expect(p.expiresAt).toBe('2026-11-11T04:59:59.999Z');
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-12-22T10:00:00-05:00', endsAt: '2026-12-22T11:00:00-05:00' }),
      'online',
    );
    expect(r).toMatchObject({ purchaseId: p.id, credit: { state: 'held', units: 1 } });
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('yoga', { reservationId: r.id })],
    });
    expect(ticket.body.total).toBe(0);
    const closed = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect(closed.body.status).toBe('voided');
    expect(closed.body.voidReason).toContain('expired 2026-11-11T04:59:59.999Z');
    expect(closed.body.lines[0]).toMatchObject({ coveredUnits: 0, amountDue: 2500 });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 1, held: 0, used: 0 });
    setNow('2026-11-11T05:00:00Z');
    expect(await balanceOf(t, p.id)).toMatchObject({ status: 'expired', remaining: 0, expired: 1 });
  });

  it('B8 own: a one-day package used for a class the same evening closes normally', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: 'Day pass', credits: 1, oneDay: true });
    setNow('2026-11-10T15:00:00Z');
    const p = await buy(t, plan);
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-11-10T19:00:00-05:00', endsAt: '2026-11-10T20:00:00-05:00' }),
      'online',
    );
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('yoga', { reservationId: r.id })],
    });
    const closed = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect([closed.body.status, closed.body.total]).toEqual(['closed', 0]);
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 0, used: 1 });
  });

  it('B21: commission base per plan setting — retail, unit price, internal price', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const id of ['r', 'u', 'i'])
      await admin.post('/v1/items', { id, name: id, kind: 'product', price: 2500 });
    await buy(
      t,
      await addPlan(t, { name: 'Retail', kind: 'membership', credits: 10, price: 20000, itemIds: ['r'] }),
    );
    await buy(
      t,
      await addPlan(t, {
        name: 'Unit',
        kind: 'membership',
        credits: 3,
        price: 10000,
        itemIds: ['u'],
        commission: { basis: 'unit_price' },
      }),
    );
    await buy(
      t,
      await addPlan(t, {
        name: 'Internal',
        kind: 'membership',
        credits: 10,
        price: 20000,
        itemIds: ['i'],
        commission: { basis: 'internal_price', internalPrice: 1200 },
      }),
    );
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [line('r'), line('u'), line('i'), line('r', { units: 2, price: 900 })],
    });
    expect(ticket.body.lines.map((l: { commissionBase: number }) => l.commissionBase)).toEqual([
      2500, 3333, 1200, 1800,
    ]);
  });

  it('bad ticket input: pointers for each faulty line, nothing written', async () => {
    const t = await newStudio('mytime');
    const res = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'nowhere',
      lines: [line('ghost'), line('yoga', { reservationId: 'nope' })],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: '/locationId', message: "no location with id 'nowhere'" },
      { path: '/lines/0/itemId', message: "no item with id 'ghost'" },
      { path: '/lines/1/reservationId', message: "no reservation with id 'nope'" },
    ]);
    expect(
      (await t.as('staff').post('/v1/tickets', { clientId: 'sarah', locationId: 'loc', lines: [] })).status,
    ).toBe(422);
    expect((await t.as('staff').get('/v1/tickets/nope')).status).toBe(404);
  });
});
