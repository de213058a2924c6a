import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, ledgerKinds, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** Issue 17 items 1, 2, 3 and 5 with the seeds' own numbers. */
const tomorrow = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };

async function outboxNames(tenantId: string): Promise<string[]> {
  const { orm } = await testPlugin();
  const rows: { name: string }[] = await orm.em
    .fork()
    .getConnection()
    .execute('select name from outbox where tenant_id = ? order by seq', [tenantId]);
  return rows.map((r) => r.name);
}

describe('quote and pay-with (item 1)', () => {
  it('seed 001: the quote names the package, its label and counts before booking, and writes nothing', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '5-Haircut Training Package', credits: 5 }));
    await t.as('staff').post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'two taken before' });
    const session = await addSession(t, tomorrow);
    const body = { clientId: t.clientId, sessionId: session, channel: 'in_store' };
    const quoted = await t.as('staff').post('/v1/reservations/quote', body);
    expectStatus(quoted, 200);
    expect(quoted.body).toMatchObject({
      purchaseId: p.id,
      credit: { state: 'held', units: 1 },
      label: 'Available in Package',
      counts: { used: 0, remaining: 2, total: 5 },
    });
    expect(quoted.body.explain.assignment.chosen).toBe(p.id);
    expect(quoted.body.explain.usage.map((s: { trigger: string }) => s.trigger)).toEqual(['booked']);
    // Nothing written: the balance, the ledger and the client's reservations are as before.
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'deduction']);
    const listed = await t.as('staff').get(`/v1/clients/${t.clientId}/reservations`);
    expect(listed.body.reservations).toEqual([]);

    const booked = await reserve(t, session);
    expect(booked).toMatchObject({
      purchaseId: quoted.body.purchaseId,
      credit: quoted.body.credit,
      label: quoted.body.label,
      counts: quoted.body.counts,
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(2);
  });

  it('pay-with: a booking pays with the purchase named; one the policy refuses is a 422 at /purchaseId with the reason', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    setNow('2026-02-01T15:00:00Z');
    const older = await buy(t, plan);
    setNow('2026-02-10T15:00:00Z');
    const newer = await buy(t, plan);
    const onHold = await buy(t, plan);
    await t.as('staff').post(`/v1/purchases/${onHold.id}/hold`);
    setNow('2026-03-02T15:00:00Z');
    const s1 = await addSession(t, { id: 's1', ...tomorrow });
    const s2 = await addSession(t, {
      id: 's2',
      startsAt: '2026-03-04T10:00:00-05:00',
      endsAt: '2026-03-04T11:00:00-05:00',
    });
    // FIFO picks the older purchase; asked to, the booking pays with the newer one.
    const quoted = await t.as('staff').post('/v1/reservations/quote', {
      clientId: t.clientId,
      sessionId: s1,
      channel: 'in_store',
    });
    expect(quoted.body.purchaseId).toBe(older.id);
    const chosen = await reserve(t, s1, 'in_store', { purchaseId: newer.id });
    expect(chosen).toMatchObject({ purchaseId: newer.id, credit: { state: 'held', units: 1 } });
    expect(chosen.counts).toEqual({ used: 0, remaining: 9, total: 10 });
    expect([(await balanceOf(t, older.id)).remaining, (await balanceOf(t, newer.id)).remaining]).toEqual([
      10, 9,
    ]);

    const refused = await t.as('staff').post('/v1/reservations', {
      clientId: t.clientId,
      sessionId: s2,
      channel: 'in_store',
      purchaseId: onHold.id,
    });
    expectStatus(refused, 422);
    expect(refused.body.errors).toEqual([
      { path: '/purchaseId', message: `purchase '${onHold.id}' cannot pay for this booking: on hold` },
    ]);
    const unknown = await t.as('staff').post('/v1/reservations/quote', {
      clientId: t.clientId,
      sessionId: s2,
      channel: 'in_store',
      purchaseId: 'nope',
    });
    expectStatus(unknown, 422);
    expect(unknown.body.errors[0].path).toBe('/purchaseId');
    // Nothing was written by the refusals.
    expect((await balanceOf(t, onHold.id)).remaining).toBe(10);
    expect(await ledgerKinds(t, onHold.id)).toEqual(['grant']);
  });
});

describe('counts where the package icon shows (item 2)', () => {
  it('the reservation, its GET and its ticket line show used / remaining / total of the paying purchase', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const r = await reserve(t, await addSession(t, tomorrow));
    expect(r.counts).toEqual({ used: 0, remaining: 9, total: 10 });
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: t.clientId,
      locationId: t.locationId,
      lines: [{ itemId: 'yoga', reservationId: r.id }],
    });
    expectStatus(ticket, 201);
    // In store, a ticket generated uses the held credit (B12).
    expect(ticket.body.lines[0]).toMatchObject({
      purchaseId: p.id,
      label: 'Package Used',
      counts: { used: 1, remaining: 9, total: 10 },
    });
    const shown = await t.as('staff').get(`/v1/reservations/${r.id}`);
    expect(shown.body.counts).toEqual({ used: 1, remaining: 9, total: 10 });
    const free = await t.as('staff').post('/v1/clients', { id: 'bob', name: 'Bob' });
    expectStatus(free, 201);
    const none = await t
      .as('staff')
      .post('/v1/reservations', { clientId: 'bob', sessionId: r.sessionId, channel: 'in_store' });
    expect(none.body).toMatchObject({ purchaseId: null, counts: null, label: null });
  });
});

describe('the studio cancels a class (item 3)', () => {
  it('seed 001: 3 credits → 2 on booking → 3 after the class is canceled; idempotent; no booking after', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '5-Haircut Training Package', credits: 5 }));
    await t.as('staff').post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'two taken before' });
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    const session = await addSession(t, tomorrow);
    const r = await reserve(t, session);
    expect((await balanceOf(t, p.id)).remaining).toBe(2);
    expectStatus(await t.as('admin').post('/v1/clients', { id: 'ann', name: 'Ann' }), 201);
    const ann = await t
      .as('staff')
      .post('/v1/reservations', { clientId: 'ann', sessionId: session, channel: 'online' });
    expectStatus(ann, 201);
    const before = await outboxNames(t.id);

    const canceled = await t.as('staff').post(`/v1/sessions/${session}/cancel`);
    expectStatus(canceled, 200);
    expect(canceled.body.sessionId).toBe(session);
    expect(canceled.body.reservations.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual(
      [ann.body.id, r.id].sort().map((id) => [id, 'canceled']),
    );
    const mine = canceled.body.reservations.find((x: { id: string }) => x.id === r.id);
    expect(mine).toMatchObject({
      credit: { state: 'released', units: 0 },
      counts: { remaining: 3, total: 5 },
    });
    expect(mine.explain.usage.at(-1)).toMatchObject({
      trigger: 'session_canceled',
      event: 'release',
      rule: 'studio-canceled-class-returns-the-credit',
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'deduction', 'hold', 'release']);
    // One reservation.changed per reservation (and the release's credit.changed).
    const events = (await outboxNames(t.id)).slice(before.length);
    expect(events.filter((n) => n === 'reservation.changed')).toHaveLength(2);
    expect(events.filter((n) => n === 'credit.changed')).toHaveLength(1);

    const again = await t.as('staff').post(`/v1/sessions/${session}/cancel`);
    expectStatus(again, 200);
    expect(again.body).toEqual(canceled.body);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'deduction', 'hold', 'release']);
    expect((await outboxNames(t.id)).length).toBe(before.length + events.length);

    expect((await t.as('staff').get(`/v1/sessions/${session}`)).body.canceledAt).toBe(
      canceled.body.canceledAt,
    );
    const body = { clientId: t.clientId, sessionId: session, channel: 'in_store' };
    expectStatus(await t.as('staff').post('/v1/reservations', body), 409);
    expectStatus(await t.as('staff').post('/v1/reservations/quote', body), 409);
    expect((await balanceOf(t, p.id)).remaining).toBe(3);
    expectStatus(await t.as('staff').post('/v1/sessions/nope/cancel'), 404);
  });

  it('gymGO: an assigned reservation is released; a checked-in one gets its credit back; an ended class cannot be canceled', async () => {
    const t = await newStudio('gymgo');
    const p = await buy(t, await addPlan(t, { name: '5 Pack Small Group', credits: 5 }));
    const session = await addSession(t, tomorrow);
    const r = await reserve(t, session);
    expect(r.credit).toEqual({ state: 'assigned', units: 1 });
    expectStatus(await t.as('admin').post('/v1/clients', { id: 'ann', name: 'Ann' }), 201);
    const annPlan = await addPlan(t, { name: '10', credits: 10 });
    const annPurchase = await t
      .as('staff')
      .post('/v1/purchases', { clientId: 'ann', planId: annPlan, locationId: t.locationId });
    const ann = await t
      .as('staff')
      .post('/v1/reservations', { clientId: 'ann', sessionId: session, channel: 'in_store' });
    expectStatus(await t.as('staff').post(`/v1/reservations/${ann.body.id}/check-in`), 200);
    expect((await balanceOf(t, annPurchase.body.id)).remaining).toBe(9);

    const canceled = await t.as('staff').post(`/v1/sessions/${session}/cancel`);
    expectStatus(canceled, 200);
    const byId = new Map(canceled.body.reservations.map((x: { id: string }) => [x.id, x]));
    expect(byId.get(r.id)).toMatchObject({ status: 'canceled', credit: { state: 'released' } });
    expect(byId.get(ann.body.id)).toMatchObject({ status: 'canceled', credit: { state: 'released' } });
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant']);
    expect((await balanceOf(t, annPurchase.body.id)).remaining).toBe(10);
    expect(await ledgerKinds(t, annPurchase.body.id)).toEqual(['grant', 'use', 'refund']);
    // The class time passes: nothing is counted for a canceled class.
    setNow('2026-03-04T12:00:00Z');
    expectStatus(await t.as('admin').post('/v1/sweeps'), 200);
    expect((await balanceOf(t, p.id)).remaining).toBe(5);

    const ended = await addSession(t, {
      id: 'past',
      startsAt: '2026-03-03T10:00:00-05:00',
      endsAt: '2026-03-03T11:00:00-05:00',
    });
    expectStatus(await t.as('staff').post(`/v1/sessions/${ended}/cancel`), 409);
  });
});

describe('a class cancel racing bookings', () => {
  it('every booking either lands before the cancel (and is canceled with its credit back) or is refused 409', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '4', credits: 4 });
    const session = await addSession(t, tomorrow);
    const clients = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const purchases = new Map<string, string>();
    for (const id of clients) {
      expectStatus(await t.as('admin').post('/v1/clients', { id, name: id }), 201);
      const sold = await t
        .as('staff')
        .post('/v1/purchases', { clientId: id, planId: plan, locationId: t.locationId });
      purchases.set(id, sold.body.id);
    }
    const book = (clientId: string) =>
      t.as('staff').post('/v1/reservations', { clientId, sessionId: session, channel: 'in_store' });
    const answers = await Promise.all([
      ...clients.slice(0, 4).map(book),
      t.as('staff').post(`/v1/sessions/${session}/cancel`),
      ...clients.slice(4).map(book),
    ]);
    const cancel = answers[4];
    expectStatus(cancel, 200);
    const bookings = answers.filter((_, i) => i !== 4);
    expect(bookings.map((b) => b.status).every((s) => s === 201 || s === 409)).toBe(true);
    const landed = bookings.filter((b) => b.status === 201).map((b) => b.body.id);
    expect(cancel.body.reservations.map((r: { id: string }) => r.id)).toEqual([...landed].sort());
    expect(cancel.body.reservations.every((r: { status: string }) => r.status === 'canceled')).toBe(true);
    for (const id of clients) expect((await balanceOf(t, purchases.get(id) ?? '')).remaining).toBe(4);
    const after = await t.as('staff').post(`/v1/sessions/${session}/cancel`);
    expect(after.body).toEqual(cancel.body);
  });
});

describe('staff waive a counted no-show (item 5)', () => {
  it('gymGO: a no-show used 1 of 5; waived with a reason it is back to 5 with a waive entry and the reason in the explanation', async () => {
    const t = await newStudio('gymgo');
    const p = await buy(t, await addPlan(t, { name: '5 Pack Small Group', credits: 5 }));
    const r = await reserve(t, await addSession(t, tomorrow));
    const noShow = await t.as('staff').post(`/v1/reservations/${r.id}/no-show`);
    expect(noShow.body).toMatchObject({ status: 'no_show', credit: { state: 'used', units: 1 } });
    expect((await balanceOf(t, p.id)).remaining).toBe(4);

    const missing = await t.as('staff').post(`/v1/reservations/${r.id}/waive`, {});
    expectStatus(missing, 422);
    expect(missing.body.errors[0].path).toBe('/reason');

    const waived = await t.as('staff').post(`/v1/reservations/${r.id}/waive`, { reason: 'car broke down' });
    expectStatus(waived, 200);
    expect(waived.body).toMatchObject({
      status: 'no_show',
      credit: { state: 'released', units: 0 },
      counts: { used: 0, remaining: 5, total: 5 },
    });
    expect(waived.body.explain.usage.at(-1)).toMatchObject({
      event: 'release',
      rule: null,
      reason: 'no-show waived by staff: car broke down',
      state: 'released',
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'use', 'waive']);
    const ledger = await t.as('staff').get(`/v1/purchases/${p.id}/ledger`);
    expect(ledger.body.entries.at(-1)).toMatchObject({
      kind: 'waive',
      reservationId: r.id,
      reason: 'no-show waived by staff: car broke down',
      delta: { used: -1 },
    });
    // The usage report shows the use and the waive that gave it back.
    const report = await t.as('staff').get(`/v1/reports/credits?clientId=${t.clientId}`);
    expect(
      report.body.rows.map((x: { entry: string; units: number | null }) => `${x.entry}:${x.units}`),
    ).toEqual(['purchase:null', 'use:1', 'waive:-1']);
    // Nothing left to waive, and the class ending later counts nothing.
    expectStatus(await t.as('staff').post(`/v1/reservations/${r.id}/waive`, { reason: 'again' }), 409);
    setNow('2026-03-04T12:00:00Z');
    expectStatus(await t.as('admin').post('/v1/sweeps'), 200);
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
  });

  it('only a counted no-show can be waived; with staffMayWaive off only an admin may', async () => {
    const t = await newStudio('gymgo');
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    const a = await reserve(t, await addSession(t, { id: 'a', ...tomorrow }));
    await t.as('staff').post(`/v1/reservations/${a.id}/check-in`);
    expectStatus(await t.as('staff').post(`/v1/reservations/${a.id}/waive`, { reason: 'x' }), 409);
    const b = await reserve(
      t,
      await addSession(t, {
        id: 'b',
        startsAt: '2026-03-04T10:00:00-05:00',
        endsAt: '2026-03-04T11:00:00-05:00',
      }),
    );
    await t.as('staff').post(`/v1/reservations/${b.id}/no-show`);
    expectStatus(await t.as('admin').patch('/v1/policy/settings', { staffMayWaive: false }), 200);
    const refused = await t.as('staff').post(`/v1/reservations/${b.id}/waive`, { reason: 'sick' });
    expectStatus(refused, 403);
    const byAdmin = await t.as('admin').post(`/v1/reservations/${b.id}/waive`, { reason: 'sick' });
    expectStatus(byAdmin, 200);
    expect(byAdmin.body.explain.usage.at(-1).reason).toBe('no-show waived by admin: sick');
  });
});
