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

/** Issue 20 item 6: a full session keeps a waitlist; a spot opened books the first client whose credit is still good. */
const tomorrow = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };

async function outbox(tenantId: string): Promise<{ name: string; payload: any }[]> {
  const { orm } = await testPlugin();
  return orm.em
    .fork()
    .getConnection()
    .execute("select name, payload from outbox where tenant_id = ? and name like 'waitlist.%' order by seq", [
      tenantId,
    ]);
}

/** A studio with clients sarah, ben and cara, each with a 10-credit package, and a one-seat class. */
async function fullClass(holds: boolean) {
  setNow('2026-03-02T15:00:00Z');
  const t = await newStudio('mytime');
  for (const id of ['ben', 'cara'])
    expectStatus(await t.as('admin').post('/v1/clients', { id, name: id }), 201);
  if (holds)
    expectStatus(await t.as('admin').patch('/v1/policy/settings', { waitlistHoldsCredit: true }), 200);
  const plan = await addPlan(t, { name: '10 classes', credits: 10 });
  const packs: Record<string, string> = {};
  for (const clientId of ['sarah', 'ben', 'cara']) packs[clientId] = (await buy(t, plan, { clientId })).id;
  const session = await addSession(t, { ...tomorrow, capacity: 1 });
  const booked = await book(t, session, 'sarah');
  expectStatus(booked, 201);
  return { t, plan, packs, session, seat: booked.body.id as string };
}

const book = (t: Studio, sessionId: string, clientId: string) =>
  t.as('staff').post('/v1/reservations', { clientId, sessionId, channel: 'in_store' });
const join = (t: Studio, sessionId: string, clientId: string) =>
  t.as('staff').post(`/v1/sessions/${sessionId}/waitlist`, { clientId });

describe('capacity', () => {
  it('is set at create and shown; a full session refuses a booking with 409 and writes nothing', async () => {
    const { t, session, packs } = await fullClass(false);
    const shown = await t.as('staff').get(`/v1/sessions/${session}`);
    expect(shown.body.capacity).toBe(1);
    const refused = await book(t, session, 'ben');
    expectStatus(refused, 409);
    expect(refused.body.detail).toBe(`session '${session}' is full (1 seats taken): join its waitlist`);
    expect((await balanceOf(t, packs.ben as string)).remaining).toBe(10);
    // The quote says the same, and writes nothing either.
    const quoted = await t.as('staff').post('/v1/reservations/quote', {
      clientId: 'ben',
      sessionId: session,
      channel: 'in_store',
    });
    expectStatus(quoted, 409);
    expect(quoted.body.detail).toBe(refused.body.detail);
    // Uncapped sessions are never full.
    const open = await addSession(t, { ...tomorrow });
    expect((await t.as('staff').get(`/v1/sessions/${open}`)).body.capacity).toBeNull();
    expectStatus(await book(t, open, 'ben'), 201);
    expectStatus(await book(t, open, 'cara'), 201);
    const bad = await t
      .as('staff')
      .post('/v1/sessions', { itemId: 'yoga', locationId: 'loc', ...tomorrow, capacity: 0 });
    expectStatus(bad, 422);
    expect(bad.body.errors[0].path).toBe('/capacity');
  });
});

describe('joining and leaving', () => {
  it('joins in order; 409 when not full, already booked or already waiting, or the session has no capacity', async () => {
    const { t, session } = await fullClass(false);
    const ben = await join(t, session, 'ben');
    expectStatus(ben, 201);
    expect(ben.body).toMatchObject({ clientId: 'ben', position: 1, purchaseId: null, heldUnits: 0 });
    setNow('2026-03-02T15:01:00Z');
    expect((await join(t, session, 'cara')).body.position).toBe(2);
    const again = await join(t, session, 'ben');
    expectStatus(again, 409);
    expect(again.body.detail).toBe(`client 'ben' is already on the waitlist of session '${session}'`);
    const booked = await join(t, session, 'sarah');
    expectStatus(booked, 409);
    expect(booked.body.detail).toMatch(/^client 'sarah' is already booked into session/);
    const uncapped = await addSession(t, tomorrow);
    expect((await join(t, uncapped, 'ben')).body.detail).toBe(
      `session '${uncapped}' has no capacity: it is never full, book it instead`,
    );
    const roomy = await addSession(t, { ...tomorrow, capacity: 2 });
    expectStatus(await book(t, roomy, 'sarah'), 201);
    expect((await join(t, roomy, 'ben')).body.detail).toBe(
      `session '${roomy}' is not full (1 of 2 seats taken): book it instead`,
    );
    const unknown = await join(t, session, 'nobody');
    expectStatus(unknown, 422);
    expect(unknown.body.errors[0].path).toBe('/clientId');

    const line = await t.as('staff').get(`/v1/sessions/${session}/waitlist`);
    expectStatus(line, 200);
    expect(line.body).toMatchObject({ sessionId: session, capacity: 1, taken: 1 });
    expect(
      line.body.waiting.map((e: { clientId: string; position: number }) => [e.clientId, e.position]),
    ).toEqual([
      ['ben', 1],
      ['cara', 2],
    ]);
    const left = await t.as('staff').delete(`/v1/sessions/${session}/waitlist/ben`);
    expectStatus(left, 200);
    expect(left.body).toMatchObject({ clientId: 'ben', sessionId: session, status: 'left' });
    expectStatus(await t.as('staff').delete(`/v1/sessions/${session}/waitlist/ben`), 404);
    const after = await t.as('staff').get(`/v1/sessions/${session}/waitlist`);
    expect(
      after.body.waiting.map((e: { clientId: string; position: number }) => [e.clientId, e.position]),
    ).toEqual([['cara', 1]]);
    expect((await outbox(t.id)).map((e) => [e.name, e.payload.clientId])).toEqual([
      ['waitlist.joined', 'ben'],
      ['waitlist.joined', 'cara'],
      ['waitlist.left', 'ben'],
    ]);
  });

  it('with waitlistHoldsCredit, joining holds a credit through the ledger and leaving gives it back', async () => {
    const { t, session, packs } = await fullClass(true);
    const ben = await join(t, session, 'ben');
    expectStatus(ben, 201);
    expect(ben.body).toMatchObject({ purchaseId: packs.ben, heldUnits: 1 });
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ remaining: 9, held: 1 });
    expect(await ledgerKinds(t, packs.ben as string)).toEqual(['grant', 'hold']);
    expectStatus(await t.as('staff').delete(`/v1/sessions/${session}/waitlist/ben`), 200);
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ remaining: 10, held: 0 });
    expect(await ledgerKinds(t, packs.ben as string)).toEqual(['grant', 'hold', 'release']);
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.purchaseId, e.payload.heldUnits])).toEqual([
      ['waitlist.joined', packs.ben, 1],
      ['waitlist.left', packs.ben, 1],
    ]);
  });

  it('with waitlistHoldsCredit, a client with no credit to hold cannot join (409, nothing written)', async () => {
    const { t, session } = await fullClass(true);
    expectStatus(await t.as('admin').post('/v1/clients', { id: 'dan', name: 'Dan' }), 201);
    const refused = await join(t, session, 'dan');
    expectStatus(refused, 409);
    expect(refused.body.detail).toMatch(/^client 'dan' has no credit to hold for session/);
    expect((await t.as('staff').get(`/v1/sessions/${session}/waitlist`)).body.waiting).toEqual([]);
  });
});

describe('promotion when a spot opens', () => {
  it('a cancel books the first waiting client with the credit it held, in the same transaction', async () => {
    const { t, session, packs, seat } = await fullClass(true);
    expectStatus(await join(t, session, 'ben'), 201);
    setNow('2026-03-02T15:01:00Z');
    expectStatus(await join(t, session, 'cara'), 201);
    const canceled = await t.as('staff').post(`/v1/reservations/${seat}/cancel`);
    expectStatus(canceled, 200);
    const line = await t.as('staff').get(`/v1/sessions/${session}/waitlist`);
    expect(line.body).toMatchObject({ taken: 1 });
    expect(line.body.waiting.map((e: { clientId: string }) => e.clientId)).toEqual(['cara']);
    const bens = await t.as('staff').get('/v1/clients/ben/reservations');
    expect(bens.body.reservations).toHaveLength(1);
    expect(bens.body.reservations[0]).toMatchObject({
      sessionId: session,
      status: 'booked',
      purchaseId: packs.ben,
      credit: { state: 'held', units: 1 },
    });
    // The waitlist hold was given back and the booking held it again: one credit held, never two.
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ remaining: 9, held: 1 });
    expect(await ledgerKinds(t, packs.ben as string)).toEqual(['grant', 'hold', 'release', 'hold']);
    expect(await balanceOf(t, packs.sarah as string)).toMatchObject({ remaining: 10, held: 0 });
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.clientId])).toEqual([
      ['waitlist.joined', 'ben'],
      ['waitlist.joined', 'cara'],
      ['waitlist.promoted', 'ben'],
    ]);
    expect(events[2]?.payload.reservationId).toBe(bens.body.reservations[0].id);
    // The session is full again.
    expectStatus(await book(t, session, 'sarah'), 409);
  });

  it('skips (and says why) a client whose held credit was voided, and books the next', async () => {
    const { t, session, packs, seat } = await fullClass(true);
    expectStatus(await join(t, session, 'ben'), 201);
    setNow('2026-03-02T15:01:00Z');
    expectStatus(await join(t, session, 'cara'), 201);
    expectStatus(await t.as('staff').post(`/v1/purchases/${packs.ben}/void`), 200);
    expectStatus(await t.as('staff').post(`/v1/reservations/${seat}/cancel`), 200);
    expect((await t.as('staff').get('/v1/clients/ben/reservations')).body.reservations).toEqual([]);
    const caras = (await t.as('staff').get('/v1/clients/cara/reservations')).body.reservations;
    expect(caras.map((r: { sessionId: string; purchaseId: string }) => [r.sessionId, r.purchaseId])).toEqual([
      [session, packs.cara],
    ]);
    // Ben's held credit went back to his voided purchase: deducted, never spendable.
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ remaining: 0, held: 0, deducted: 10 });
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.clientId])).toEqual([
      ['waitlist.joined', 'ben'],
      ['waitlist.joined', 'cara'],
      ['waitlist.skipped', 'ben'],
      ['waitlist.promoted', 'cara'],
    ]);
    expect(events[2]?.payload.reason).toMatch(/^no eligible credit/);
    expect((await t.as('staff').get(`/v1/sessions/${session}/waitlist`)).body.waiting).toEqual([]);
  });

  it('without holds, skips a client whose credits were spent elsewhere meanwhile', async () => {
    const { t, session, seat } = await fullClass(false);
    const single = await addPlan(t, { name: 'drop-in', credits: 1 });
    expectStatus(await t.as('admin').post('/v1/clients', { id: 'dan', name: 'Dan' }), 201);
    const dans = await buy(t, single, { clientId: 'dan' });
    expectStatus(await join(t, session, 'dan'), 201);
    expectStatus(await join(t, session, 'ben'), 201);
    const elsewhere = await addSession(t, { ...tomorrow });
    expectStatus(await book(t, elsewhere, 'dan'), 201);
    expect((await balanceOf(t, dans.id)).remaining).toBe(0);
    expectStatus(await t.as('staff').post(`/v1/reservations/${seat}/cancel`), 200);
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.clientId])).toEqual([
      ['waitlist.joined', 'dan'],
      ['waitlist.joined', 'ben'],
      ['waitlist.skipped', 'dan'],
      ['waitlist.promoted', 'ben'],
    ]);
    const line = await t.as('staff').get(`/v1/sessions/${session}/waitlist`);
    expect(line.body).toMatchObject({ taken: 1, waiting: [] });
  });

  it('a cancel with nobody waiting just frees the seat', async () => {
    const { t, session, seat } = await fullClass(false);
    expectStatus(await t.as('staff').post(`/v1/reservations/${seat}/cancel`), 200);
    expect((await t.as('staff').get(`/v1/sessions/${session}/waitlist`)).body).toMatchObject({
      taken: 0,
      waiting: [],
    });
    expectStatus(await book(t, session, 'ben'), 201);
  });

  it('the studio canceling the session closes its line: held credits come back, each waiting client is told', async () => {
    const { t, session, packs } = await fullClass(true);
    expectStatus(await join(t, session, 'ben'), 201);
    expect((await balanceOf(t, packs.ben as string)).held).toBe(1);
    expectStatus(await t.as('staff').post(`/v1/sessions/${session}/cancel`), 200);
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ held: 0, remaining: 10 });
    expect(await ledgerKinds(t, packs.ben as string)).toEqual(['grant', 'hold', 'release']);
    expect((await t.as('staff').get(`/v1/sessions/${session}/waitlist`)).body.waiting).toEqual([]);
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.clientId, e.payload.reason ?? null])).toEqual([
      ['waitlist.joined', 'ben', null],
      ['waitlist.skipped', 'ben', 'the studio canceled the session'],
    ]);
  });
});

describe('a session that starts closes its waitlist (the sweep)', () => {
  it('POST /v1/sweeps skips each client still waiting and gives the held credit back, once', async () => {
    const { t, session, packs } = await fullClass(true);
    expectStatus(await join(t, session, 'ben'), 201);
    expectStatus(await join(t, session, 'cara'), 201);
    // Before it starts nothing moves.
    expectStatus(await t.as('admin').post('/v1/sweeps', {}), 200);
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ held: 1, remaining: 9 });
    setNow('2026-03-03T15:00:01Z');
    expectStatus(await t.as('admin').post('/v1/sweeps', {}), 200);
    for (const clientId of ['ben', 'cara']) {
      expect(await balanceOf(t, packs[clientId] as string)).toMatchObject({ held: 0, remaining: 10 });
      expect(await ledgerKinds(t, packs[clientId] as string)).toEqual(['grant', 'hold', 'release']);
    }
    expect((await t.as('staff').get(`/v1/sessions/${session}/waitlist`)).body.waiting).toEqual([]);
    // A second sweep finds nothing left to close.
    expectStatus(await t.as('admin').post('/v1/sweeps', {}), 200);
    expect(await ledgerKinds(t, packs.ben as string)).toEqual(['grant', 'hold', 'release']);
    const events = await outbox(t.id);
    expect(events.map((e) => [e.name, e.payload.clientId, e.payload.reason ?? null])).toEqual([
      ['waitlist.joined', 'ben', null],
      ['waitlist.joined', 'cara', null],
      ['waitlist.skipped', 'ben', 'the session started'],
      ['waitlist.skipped', 'cara', 'the session started'],
    ]);
    // The seated client's credit is the booking's: used as the class starts (MyTime), not released.
    expect(await ledgerKinds(t, packs.sarah as string)).toEqual(['grant', 'hold', 'use']);
  });

  it("the scheduled sweep (plugin.sweep) closes it too, in the tenant's own transaction", async () => {
    const { t, session, packs } = await fullClass(true);
    expectStatus(await join(t, session, 'ben'), 201);
    setNow('2026-03-03T15:00:01Z');
    const plugin = await testPlugin();
    await plugin.sweep({ tenantIds: [t.id] });
    expect(await balanceOf(t, packs.ben as string)).toMatchObject({ held: 0, remaining: 10 });
    expect((await outbox(t.id)).map((e) => [e.name, e.payload.reason ?? null])).toEqual([
      ['waitlist.joined', null],
      ['waitlist.skipped', 'the session started'],
    ]);
  });
});
