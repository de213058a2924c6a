import { afterEach, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { resetNow, setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, ledgerKinds, newStudio, reserve } from '../support/fixtures.ts';

// Issue 17 item 5 (B10, seed 004): "if the appointment lasts for seven nights and the client
// has five active membership item credits, those five credits will cover five nights" — here
// the five credits sit in two purchases, and a stay draws from both in the policy's order.

const stay = (units: number) => ({
  itemId: 'suite',
  startsAt: '2026-03-10T15:00:00-04:00',
  endsAt: `2026-03-${10 + units}T11:00:00-04:00`,
  units,
});

async function boarding(credits: [number, number]) {
  const t = await newStudio('mytime');
  await t
    .as('admin')
    .post('/v1/items', { id: 'suite', name: 'Boarding suite', kind: 'appointment', price: 6500 });
  await t.as('admin').post('/v1/items', { id: 'treat', name: 'Treat', kind: 'product', price: 1000 });
  const plan = async (n: number) =>
    addPlan(t, { name: `${n} nights`, kind: 'membership', credits: n, itemIds: ['suite', 'treat'] });
  // FIFO (seed 004): the earlier purchase pays first.
  const first = await buy(t, await plan(credits[0]), { purchasedAt: '2026-03-01T09:00:00-05:00' });
  const second = await buy(t, await plan(credits[1]), { purchasedAt: '2026-03-02T09:00:00-05:00' });
  return { t, first, second };
}

const entries = async (t: Awaited<ReturnType<typeof boarding>>['t'], purchaseId: string) =>
  (await t.as('staff').get(`/v1/purchases/${purchaseId}/ledger`)).body.entries.map(
    (e: { kind: string; reservationId: string | null; held: number; used: number }) => [
      e.kind,
      e.reservationId,
    ],
  );

describe('B10 across purchases: a stay draws from as many purchases as it needs', () => {
  // Test files share a worker (isolate: false) and a later file may seed in beforeAll,
  // before setup's beforeEach resets the clock: leave it as found.
  afterEach(resetNow);

  it('seed: seven nights, purchases of 3 and 2 credits — five covered (3 + 2), two charged', async () => {
    const { t, first, second } = await boarding([3, 2]);
    const r = await reserve(t, await addSession(t, stay(7)));
    expect(r).toMatchObject({
      purchaseId: first.id,
      credit: { state: 'held', units: 5 },
      shares: [
        { purchaseId: first.id, units: 3, label: 'Available in Membership' },
        { purchaseId: second.id, units: 2, label: 'Available in Membership' },
      ],
    });
    expect(await balanceOf(t, first.id)).toMatchObject({ total: 3, held: 3, remaining: 0 });
    expect(await balanceOf(t, second.id)).toMatchObject({ total: 2, held: 2, remaining: 0 });
    // The shares are stored: a later read shows them.
    const read = await t.as('staff').get(`/v1/reservations/${r.id}`);
    expectStatus(read, 200);
    expect(read.body.shares).toEqual(r.shares);

    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'suite', reservationId: r.id }],
    });
    expectStatus(ticket, 201);
    expect(ticket.body.lines[0]).toMatchObject({
      units: 7,
      coveredUnits: 5,
      amountDue: 13000,
      purchaseId: first.id,
      shares: [
        { purchaseId: first.id, units: 3 },
        { purchaseId: second.id, units: 2 },
      ],
    });
    expect(ticket.body.total).toBe(13000);
    // Each purchase's ledger shows its own entries for the one reservation.
    expect(await entries(t, first.id)).toEqual([
      ['grant', null],
      ['hold', r.id],
      ['use', r.id],
    ]);
    expect(await entries(t, second.id)).toEqual([
      ['grant', null],
      ['hold', r.id],
      ['use', r.id],
    ]);
    expect(await balanceOf(t, first.id)).toMatchObject({ used: 3, held: 0, remaining: 0 });
    expect(await balanceOf(t, second.id)).toMatchObject({ used: 2, held: 0, remaining: 0 });

    // A refund of the ticket gives each share back to its own purchase.
    await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    const refunded = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`);
    expectStatus(refunded, 200);
    expect(refunded.body.lines[0]).toMatchObject({ coveredUnits: 0, amountDue: 45500, shares: [] });
    expect(await ledgerKinds(t, first.id)).toEqual(['grant', 'hold', 'use', 'refund']);
    expect(await ledgerKinds(t, second.id)).toEqual(['grant', 'hold', 'use', 'refund']);
    expect(await balanceOf(t, first.id)).toMatchObject({ used: 0, remaining: 3 });
    expect(await balanceOf(t, second.id)).toMatchObject({ used: 0, remaining: 2 });
  });

  it('own: five nights, two 3-credit packs — five covered, one credit left on the second; cancel returns each share', async () => {
    const { t, first, second } = await boarding([3, 3]);
    const r = await reserve(t, await addSession(t, stay(5)));
    expect(r).toMatchObject({
      purchaseId: first.id,
      credit: { state: 'held', units: 5 },
      shares: [
        { purchaseId: first.id, units: 3 },
        { purchaseId: second.id, units: 2 },
      ],
    });
    expect((await balanceOf(t, first.id)).remaining).toBe(0);
    expect(await balanceOf(t, second.id)).toMatchObject({ held: 2, remaining: 1 });

    const canceled = await t.as('staff').post(`/v1/reservations/${r.id}/cancel`);
    expectStatus(canceled, 200);
    expect(canceled.body).toMatchObject({
      status: 'canceled',
      credit: { state: 'released', units: 0 },
      shares: [],
    });
    expect(await ledgerKinds(t, first.id)).toEqual(['grant', 'hold', 'release']);
    expect(await ledgerKinds(t, second.id)).toEqual(['grant', 'hold', 'release']);
    expect(await balanceOf(t, first.id)).toMatchObject({ held: 0, remaining: 3 });
    expect(await balanceOf(t, second.id)).toMatchObject({ held: 0, remaining: 3 });
  });

  it('own: one purchase with enough credits keeps a claim of one share', async () => {
    const { t, first } = await boarding([10, 3]);
    const r = await reserve(t, await addSession(t, stay(4)));
    expect(r).toMatchObject({
      purchaseId: first.id,
      credit: { state: 'held', units: 4 },
      shares: [{ purchaseId: first.id, units: 4 }],
    });
  });

  it('own: a product line of 4 over two 3-credit packs takes 3 + 1; refunding the ticket gives each back', async () => {
    const { t, first, second } = await boarding([3, 3]);
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'treat', units: 4 }],
    });
    expectStatus(ticket, 201);
    expect(ticket.body.lines[0]).toMatchObject({
      coveredUnits: 4,
      amountDue: 0,
      purchaseId: first.id,
      shares: [
        { purchaseId: first.id, units: 3 },
        { purchaseId: second.id, units: 1 },
      ],
    });
    const closed = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`);
    expectStatus(closed, 200);
    expect(await balanceOf(t, first.id)).toMatchObject({ used: 3, remaining: 0 });
    expect(await balanceOf(t, second.id)).toMatchObject({ used: 1, remaining: 2 });
    const refunded = await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`);
    expectStatus(refunded, 200);
    expect(await ledgerKinds(t, first.id)).toEqual(['grant', 'use', 'refund']);
    expect(await ledgerKinds(t, second.id)).toEqual(['grant', 'use', 'refund']);
    expect((await balanceOf(t, second.id)).remaining).toBe(3);
  });

  it('own: the stay starting uses each held share (time trigger, no ticket); the sweep after it changes nothing', async () => {
    const { t, first, second } = await boarding([3, 3]);
    const r = await reserve(t, await addSession(t, stay(5)));
    setNow('2026-03-10T20:00:00Z');
    const read = await t.as('staff').get(`/v1/reservations/${r.id}`);
    expect(read.body).toMatchObject({
      credit: { state: 'used', units: 5 },
      shares: [
        { purchaseId: first.id, units: 3, label: 'Membership Used' },
        { purchaseId: second.id, units: 2, label: 'Membership Used' },
      ],
    });
    setNow('2026-03-16T12:00:00Z');
    expectStatus(await t.as('admin').post('/v1/sweeps', {}), 200);
    expect(await balanceOf(t, first.id)).toMatchObject({ held: 0, used: 3, remaining: 0 });
    expect(await balanceOf(t, second.id)).toMatchObject({ held: 0, used: 2, remaining: 1 });
    expect(await ledgerKinds(t, first.id)).toEqual(['grant', 'hold', 'use']);
    expect(await ledgerKinds(t, second.id)).toEqual(['grant', 'hold', 'use']);
  });
});
