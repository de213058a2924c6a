import { describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { ledgerFaults } from '../support/ledger-invariant.ts';
import { onPostgres, testPlugin } from '../support/plugin.ts';

/**
 * Seats and promotions under real concurrency (issue 20 item 6). PGlite runs one
 * transaction at a time and proves nothing here: this suite runs with DATABASE_URL.
 * The requests go through the in-process app, each in its own transaction on its own
 * pooled connection.
 */
const tomorrow = { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' };
const clients = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

async function studio(): Promise<Studio> {
  setNow('2026-03-02T15:00:00Z');
  const t = await newStudio('mytime');
  expectStatus(await t.as('admin').patch('/v1/policy/settings', { waitlistHoldsCredit: true }), 200);
  const plan = await addPlan(t, { name: '10 classes', credits: 10 });
  for (const id of clients) {
    expectStatus(await t.as('admin').post('/v1/clients', { id, name: id }), 201);
    await buy(t, plan, { clientId: id });
  }
  return t;
}

const book = (t: Studio, sessionId: string, clientId: string) =>
  t.as('staff').post('/v1/reservations', { clientId, sessionId, channel: 'in_store' });

async function seatsOf(t: Studio, sessionId: string): Promise<{ client_id: string; n: number }[]> {
  const { orm } = await testPlugin();
  return orm.em
    .fork()
    .getConnection()
    .execute(
      `select client_id, count(*)::int as n from reservations
        where tenant_id = ? and session_id = ? and status <> 'canceled' group by client_id order by client_id`,
      [t.id, sessionId],
    );
}

describe.runIf(onPostgres)('waitlist under concurrency (PostgreSQL)', () => {
  it('two cancels at once promote two different clients, never one twice', async () => {
    const t = await studio();
    for (let round = 0; round < 4; round++) {
      const session = await addSession(t, { ...tomorrow, capacity: 2 });
      const seats = [await book(t, session, 'c1'), await book(t, session, 'c2')];
      for (const id of ['c3', 'c4', 'c5'])
        expectStatus(await t.as('staff').post(`/v1/sessions/${session}/waitlist`, { clientId: id }), 201);
      const answers = await Promise.all(
        seats.map((s) => t.as('staff').post(`/v1/reservations/${s.body.id}/cancel`)),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(await seatsOf(t, session)).toEqual([
        { client_id: 'c3', n: 1 },
        { client_id: 'c4', n: 1 },
      ]);
      const line = await t.as('staff').get(`/v1/sessions/${session}/waitlist`);
      expect(line.body.waiting.map((e: { clientId: string }) => e.clientId)).toEqual(['c5']);
      expect(line.body.taken).toBe(2);
    }
    expect(await ledgerFaults([t.id])).toEqual([]);
  });

  it('six bookings at once for two seats: two booked, four refused with 409', async () => {
    const t = await studio();
    const session = await addSession(t, { ...tomorrow, capacity: 2 });
    const answers = await Promise.all(clients.map((id) => book(t, session, id)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body.detail).toBe(`session '${session}' is full (2 seats taken): join its waitlist`);
    expect((await seatsOf(t, session)).length).toBe(2);
    expect(await ledgerFaults([t.id])).toEqual([]);
  });
});
