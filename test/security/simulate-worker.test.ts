import { beforeAll, describe, expect, it } from 'vitest';
import { emptySimulation, replayBatch } from '../../src/credits/replay.ts';
import { simulate as simulateIn, simulateRetryAfter } from '../../src/credits/simulate.ts';
import { readPurchases, readReservations } from '../../src/credits/snapshot.ts';
import { compilePolicy, loadPreset, rulesetHash } from '../../src/policy/index.ts';
import { request } from '../support/api.ts';
import { inTransaction } from '../support/credit-transaction.ts';
import { addPlan, addSession, buy, newStudio, reserve, type Studio } from '../support/fixtures.ts';
import { manyReservations } from '../support/many-reservations.ts';
import { onPostgres, testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

const gymgo = loadPreset('gymgo');
const draft = { ruleset: gymgo, hash: rulesetHash(gymgo) };
const from = '2026-03-01T00:00:00Z';
const to = '2026-06-01T00:00:00Z';
const simulate = (t: Studio, range = { from, to }) =>
  request('POST', '/v1/policy/simulate', { key: t.admin, body: { ruleset: gymgo, ...range } });

/**
 * `count` reservations of twenty clients on sessions a minute apart, all holding a
 * credit: the even clients' of a purchase of their own, the odd ones' of sarah's
 * (not theirs: a replay finds them nothing to pay with).
 */
async function ownPurchases(t: Studio, count: number): Promise<string> {
  const purchaseId = await manyReservations(t, count);
  const { orm } = await testPlugin();
  const db = orm.em.fork().getConnection();
  // Even clients' reservations move to a purchase of their own; odd ones keep sarah's.
  await db.execute(
    `insert into purchases
       select tenant_id, 'own' || g, 'bulk' || g, plan_id, location_id, purchased_at, expires_at, status, source,
              unlimited, total, held, used, deducted, expired, remaining, created_at
         from purchases, generate_series(0, 19, 2) g where tenant_id = ? and id = ?`,
    [t.id, purchaseId],
  );
  await db.execute(
    `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, actor,
            idempotency_key, occurred_at)
     select tenant_id, 'grant-' || id, id, 'grant', total, 0, 0, 0, 0, 'test', 'grant:' || id, purchased_at
       from purchases where tenant_id = ? and id like 'own%'`,
    [t.id],
  );
  await db.execute(
    `update reservations set purchase_id = 'own' || substr(client_id, 5)
      where tenant_id = ? and (substr(client_id, 5)::int % 2) = 0`,
    [t.id],
  );
  // Booked (as their history says) after every purchase was sold: the replay sees them.
  await db.execute(
    `update reservations set created_at = '2026-03-02T16:00:00Z',
            explain = '{"usage": [{"trigger": "booked", "at": "2026-03-02T16:00:00Z"}]}'
      where tenant_id = ?`,
    [t.id],
  );
  return purchaseId;
}

describe('POST /v1/policy/simulate replays in a worker thread', () => {
  it('answers what the replay decides in this thread, reservation for reservation, over thousands', {
    timeout: 180_000,
  }, async () => {
    const t = await newStudio();
    const sarahs = await ownPurchases(t, 1_500);
    const res = await simulate(t);
    expect(res.status).toBe(200);
    // The same replay over one batch of everything, in this thread: the worker's
    // windows, batches and order change nothing.
    const expected = await inTransaction(t.id, async (ctx) => {
      const all = [
        ...(await readReservations(ctx, { startingFrom: new Date(from), to: new Date(to) })).values(),
      ];
      all.sort(
        (a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime() || a.id.localeCompare(b.id),
      );
      const purchases = await readPurchases(ctx, { clientIds: all.map((r) => r.clientId) }, false);
      const into = emptySimulation();
      replayBatch(into, { ...ctx, now: new Date('2026-03-02T15:00:00Z') }, compilePolicy(gymgo), {
        reservations: all,
        purchases: [...purchases.values()],
      });
      return into;
    });
    expect(res.body).toEqual(JSON.parse(JSON.stringify(expected)));
    // gymgo assigns at booking and holds nothing until the class: the even clients'
    // credits go from held to assigned on their own purchase; the odd ones have none.
    expect(res.body.totals).toEqual({
      reservations: 1500,
      changed: 1500,
      before: { held: 1500 },
      after: { assigned: 750, none: 750 },
    });
    expect(res.body.changes).toHaveLength(1000);
    // By session start, then id (the first session's twenty reservations come first).
    expect(res.body.changes.slice(0, 3)).toEqual([
      {
        reservationId: 'bulk0',
        before: { purchaseId: 'own0', state: 'held' },
        after: { purchaseId: 'own0', state: 'assigned' },
      },
      {
        reservationId: 'bulk1',
        before: { purchaseId: sarahs, state: 'held' },
        after: { purchaseId: null, state: 'none' },
      },
      {
        reservationId: 'bulk10',
        before: { purchaseId: 'own10', state: 'held' },
        after: { purchaseId: 'own10', state: 'assigned' },
      },
    ]);
  });

  it('a second simulate in the process while one runs is a 503 with Retry-After: 5; the first answers', {
    timeout: 180_000,
  }, async () => {
    const t = await newStudio();
    await manyReservations(t, 4_000);
    // Both in one transaction (PGlite has one at a time): the second is refused before it reads.
    const [second, first] = await inTransaction(t.id, async (ctx) => {
      const running = simulateIn(ctx, draft, new Date(from), new Date(to));
      const refused = await simulateIn(ctx, draft, new Date(from), new Date(to)).then(
        () => 'ran',
        (e) => e,
      );
      return [refused, await running] as const;
    });
    expect(second).toMatchObject({
      category: 'busy',
      message: 'another simulate is running in this process; try again shortly',
      retryAfter: simulateRetryAfter,
    });
    expect(first.totals.reservations).toBe(4_000);
    if (onPostgres) {
      // Over HTTP (PostgreSQL: each request has a connection of its own): two at once.
      const both = await Promise.all([simulate(t), simulate(t)]);
      both.sort((a, b) => a.status - b.status);
      expect(both.map((r) => r.status)).toEqual([200, 503]);
      const refused = both[1];
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body.detail).toBe('another simulate is running in this process; try again shortly');
      expect(both[0].body.totals.reservations).toBe(4_000);
    }
    // Once the first is done, the next one runs.
    expect((await simulate(t, { from, to: '2026-03-03T11:00:00Z' })).body.totals.reservations).toBe(1200);
  });

  it('a simulate past its time limit stops its worker and is a 503 naming the limit', {
    timeout: 180_000,
  }, async () => {
    const t = await newStudio();
    await manyReservations(t, 2_000);
    const stopped = await inTransaction(t.id, (ctx) =>
      simulateIn(ctx, draft, new Date(from), new Date(to), 0).then(
        () => 'ran',
        (e) => e,
      ),
    );
    expect(stopped).toMatchObject({
      category: 'busy',
      message:
        'simulate stopped at its limit of 0 s per call: narrow from/to (or try again when the service is less busy)',
    });
    // The place is free again.
    expect((await simulate(t)).body.totals.reservations).toBe(2_000);
  });

  it('another tenant books, and /healthz answers, while a large simulate runs', {
    timeout: 180_000,
  }, async () => {
    const big = await newStudio();
    await manyReservations(big, 6_000);
    const other = await newStudio();
    const purchase = await buy(other, await addPlan(other, { name: 'Many', credits: 1000 }));
    let simulateDone = false;
    const running = simulate(big).then((res) => {
      simulateDone = true;
      return res;
    });
    const answered: string[] = [];
    for (let i = 0; !simulateDone || answered.length === 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (onPostgres) {
        // PGlite runs one transaction at a time: there only requests without one get through.
        const session = await addSession(other, {
          id: `s${i}`,
          startsAt: '2026-03-10T10:00:00-04:00',
          endsAt: '2026-03-10T11:00:00-04:00',
        });
        const booked = await reserve(other, session);
        expect(booked.purchaseId).toBe(purchase.id);
        expect((await request('GET', '/healthz')).status).toBe(200);
      } else expect((await request('GET', '/openapi.json')).status).toBe(200);
      if (!simulateDone) answered.push(String(i));
    }
    expect((await running).body.totals.reservations).toBe(6_000);
    expect(answered.length).toBeGreaterThanOrEqual(1);
  });
});
