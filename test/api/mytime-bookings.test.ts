import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, ledgerKinds, newStudio, reserve } from '../support/fixtures.ts';

// Default test time: Mon 2 Mar 2026 10:00 in New York (15:00Z).
const tomorrow = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };

describe('MyTime preset: booking holds, cancel returns (B14)', () => {
  it('seed: 3 credits → book → 2 → cancel → 3', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '5-Haircut Training', credits: 5 }));
    await t
      .as('staff')
      .post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'two used elsewhere' });
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r).toMatchObject({
      status: 'booked',
      purchaseId: p.id,
      credit: { state: 'held', units: 1 },
      label: 'Available in Package',
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(2);
    const canceled = await t.as('staff').post(`/v1/reservations/${r.id}/cancel`);
    expect(canceled.body).toMatchObject({
      status: 'canceled',
      credit: { state: 'released', units: 0 },
      label: null,
    });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 3, held: 0, total: 5, deducted: 2 });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'deduction', 'hold', 'release']);
  });

  it('own: 2 credits, three bookings — the third pays out of pocket; a cancel frees one', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: 'Duo', credits: 2 }));
    const [a, b, c] = await Promise.all([
      addSession(t, { id: 's1', ...tomorrow }),
      addSession(t, { id: 's2', startsAt: '2026-03-04T10:00:00-05:00', endsAt: '2026-03-04T11:00:00-05:00' }),
      addSession(t, { id: 's3', startsAt: '2026-03-05T10:00:00-05:00', endsAt: '2026-03-05T11:00:00-05:00' }),
    ]);
    const r1 = await reserve(t, a);
    const r2 = await reserve(t, b);
    const r3 = await reserve(t, c);
    expect([r1.credit.state, r2.credit.state, r3.credit.state]).toEqual(['held', 'held', 'none']);
    expect(r3.purchaseId).toBeNull();
    expect((await balanceOf(t, p.id)).remaining).toBe(0);
    await t.as('staff').post(`/v1/reservations/${r2.id}/cancel`);
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 1, held: 1 });
  });

  it('booking the same client into a session twice is 409; unknown session is 422', async () => {
    const t = await newStudio('mytime');
    const s = await addSession(t, tomorrow);
    await reserve(t, s);
    expect(
      (await t.as('staff').post('/v1/reservations', { clientId: 'sarah', sessionId: s, channel: 'online' }))
        .status,
    ).toBe(409);
    const bad = await t
      .as('staff')
      .post('/v1/reservations', { clientId: 'sarah', sessionId: 'ghost', channel: 'online' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: '/sessionId', message: "no session with id 'ghost'" }]);
  });
});

describe('MyTime preset: FIFO (B3)', () => {
  it('uses the earliest purchase even when a newer one expires first', async () => {
    const t = await newStudio('mytime');
    const plan90 = await addPlan(t, { name: '10 (90 days)', credits: 10, daysToExpire: 90 });
    const plan10 = await addPlan(t, { name: '10 (10 days)', credits: 10, daysToExpire: 10 });
    setNow('2026-02-01T15:00:00Z');
    const older = await buy(t, plan90);
    setNow('2026-03-01T15:00:00Z');
    const newer = await buy(t, plan10);
    expect(new Date(newer.expiresAt) < new Date(older.expiresAt)).toBe(true);
    setNow('2026-03-02T15:00:00Z');
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r.purchaseId).toBe(older.id);
    expect(r.explain.assignment.order).toEqual([{ key: 'purchasedAt', direction: 'asc' }]);
    expect([(await balanceOf(t, older.id)).remaining, (await balanceOf(t, newer.id)).remaining]).toEqual([
      9, 10,
    ]);
  });

  it('moves on to the next purchase when the oldest is used up', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '1', credits: 1 });
    setNow('2026-02-01T15:00:00Z');
    const first = await buy(t, plan);
    setNow('2026-02-10T15:00:00Z');
    const second = await buy(t, plan);
    setNow('2026-03-02T15:00:00Z');
    const r1 = await reserve(t, await addSession(t, { id: 'a', ...tomorrow }));
    const r2 = await reserve(
      t,
      await addSession(t, {
        id: 'b',
        startsAt: '2026-03-04T10:00:00-05:00',
        endsAt: '2026-03-04T11:00:00-05:00',
      }),
    );
    expect([r1.purchaseId, r2.purchaseId]).toEqual([first.id, second.id]);
  });
});

describe('validity against the session, not the booking time (B6)', () => {
  it('a purchase expiring 11 Mar 23:59:59.999 local pays for a class starting 23:30 that day, not one at midnight', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '10 days', credits: 5, daysToExpire: 10 });
    setNow('2026-03-01T15:00:00Z');
    const p = await buy(t, plan);
    expect(p.expiresAt).toBe('2026-03-12T03:59:59.999Z');
    const late = await reserve(
      t,
      await addSession(t, {
        id: 'late',
        startsAt: '2026-03-11T23:30:00-04:00',
        endsAt: '2026-03-12T00:30:00-04:00',
      }),
    );
    expect(late.credit.state).toBe('held');
    const midnight = await reserve(
      t,
      await addSession(t, {
        id: 'midnight',
        startsAt: '2026-03-12T00:00:00-04:00',
        endsAt: '2026-03-12T01:00:00-04:00',
      }),
    );
    expect(midnight.credit.state).toBe('none');
    expect(midnight.explain.assignment.considered).toEqual([
      { purchaseId: p.id, eligible: false, reason: 'expires before the session starts', rule: null },
    ]);
  });

  it('on hold and expired purchases are never auto-assigned (B4)', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    const held = await buy(t, plan);
    const gone = await buy(t, plan);
    await t.as('staff').post(`/v1/purchases/${held.id}/hold`);
    await t.as('staff').post(`/v1/purchases/${gone.id}/expire`);
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r.credit.state).toBe('none');
    expect(r.explain.assignment.considered.map((c: { reason: string }) => c.reason).sort()).toEqual([
      'no credits left',
      'on hold',
    ]);
  });
});

describe('usage triggers (B12, B13)', () => {
  it('in-store: generating a ticket uses the credit, even while the ticket is open', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(t, await addSession(t, tomorrow), 'in_store');
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id }],
    });
    expectStatus(ticket, 201);
    expect(ticket.body).toMatchObject({ status: 'open', total: 0, retailTotal: 2500 });
    expect(ticket.body.lines[0]).toMatchObject({
      coveredUnits: 1,
      purchaseId: p.id,
      amountDue: 0,
      label: 'Package Used',
    });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 9, held: 0, used: 1 });
  });

  it('in-store: the credit is used once the start time passes, without any sweep', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(t, await addSession(t, tomorrow), 'in_store');
    setNow('2026-03-03T14:59:59.999Z');
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.credit.state).toBe('held');
    setNow('2026-03-03T15:00:00.000Z');
    const after = await t.as('staff').get(`/v1/reservations/${r.id}`);
    expect(after.body).toMatchObject({ credit: { state: 'used', units: 1 }, label: 'Package Used' });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 9, held: 0, used: 1 });
  });

  it('online: an open ticket keeps the credit held; saving it uses it', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(t, await addSession(t, tomorrow), 'online');
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id }],
    });
    expect(ticket.body.lines[0].credit.state).toBe('held');
    expect((await balanceOf(t, p.id)).held).toBe(1);
    const saved = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/save`);
    expect(saved.body).toMatchObject({ status: 'saved', total: 0 });
    expect(saved.body.lines[0].credit.state).toBe('used');
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 9, held: 0, used: 1 });
  });

  it('online: with the ticket still open, the start time passing uses it', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(t, await addSession(t, tomorrow), 'online');
    await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id }],
    });
    setNow('2026-03-03T15:00:00.000Z');
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.credit.state).toBe('used');
    expect((await balanceOf(t, p.id)).used).toBe(1);
  });

  it('products in a membership are used when the ticket closes, not when it opens (B13)', async () => {
    const t = await newStudio('mytime');
    await t
      .as('admin')
      .post('/v1/items', { id: 'shake', name: 'Protein shake', kind: 'product', price: 600 });
    const m = await buy(
      t,
      await addPlan(t, { name: 'Shake club', kind: 'membership', credits: 4, itemIds: ['shake'] }),
    );
    const ticket = await t
      .as('staff')
      .post('/v1/tickets', { clientId: 'sarah', locationId: 'loc', lines: [{ itemId: 'shake' }] });
    expect(ticket.body.lines[0]).toMatchObject({
      coveredUnits: 1,
      amountDue: 0,
      label: 'Available in Membership',
    });
    expect((await balanceOf(t, m.id)).used).toBe(0);
    const closed = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expect(closed.body.lines[0]).toMatchObject({ amountDue: 0, label: 'Membership Used' });
    expect(await balanceOf(t, m.id)).toMatchObject({ remaining: 3, used: 1 });
  });
});
