import { describe, expect, it } from 'vitest';
import { emptyChangeSet, post, touchReservation, workOn } from '../../src/credits/changeset.ts';
import { commit } from '../../src/credits/ledger.ts';
import { policyAt, readClient } from '../../src/credits/read.ts';
import type { PurchaseSnap, ReservationSnap } from '../../src/credits/types.ts';
import { query } from '../../src/db/sql.ts';
import { inTransaction } from '../support/credit-transaction.ts';
import { addPlan, addSession, buy, newStudio } from '../support/fixtures.ts';

/** commit on its own: a hand-made change set goes to the tables in one statement, or nothing does. */

async function setup() {
  const t = await newStudio('mytime');
  const p = await buy(t, await addPlan(t, { name: '5', credits: 5 }));
  const sessionId = await addSession(t, {
    startsAt: '2026-03-05T10:00:00-05:00',
    endsAt: '2026-03-05T11:00:00-05:00',
  });
  return { t, purchaseId: p.id as string, sessionId };
}

describe('commit', () => {
  it('writes the ledger entry, all five counters, the new reservation and its events', async () => {
    const { t, purchaseId, sessionId } = await setup();
    const events = await inTransaction(t.id, async (ctx) => {
      const snapshot = await readClient(ctx, { client: { clientId: 'sarah' } });
      if (!snapshot) throw new Error('no client');
      const work = workOn(ctx, await policyAt(ctx, snapshot.policyVersion), snapshot);
      const p = work.purchases.get(purchaseId) as PurchaseSnap;
      const r: ReservationSnap = {
        id: 'r-commit',
        clientId: 'sarah',
        sessionId,
        channel: 'online',
        status: 'booked',
        purchaseId,
        manualPurchase: false,
        creditState: 'held',
        coveredUnits: 1,
        creditSeq: 1,
        startedApplied: false,
        endedApplied: false,
        createdAt: ctx.now,
        session: {
          id: sessionId,
          itemId: 'yoga',
          locationId: 'loc',
          startsAt: ctx.now,
          endsAt: ctx.now,
          price: null,
          units: 1,
        },
        item: { id: 'yoga', kind: 'class', price: 2500, itemType: null, bucketType: 'standard' },
        ticket: null,
        checkedOutManually: false,
      };
      touchReservation(work, r, true);
      post(work, p, {
        kind: 'hold',
        delta: { held: 1 },
        key: 'r:r-commit:1',
        reason: 'test',
        at: ctx.now,
        reservationId: r.id,
      });
      await commit(ctx, work.cs);
      const [purchase] = await query(
        ctx,
        'select total, held, used, deducted, expired, remaining from purchases where tenant_id = $1 and id = $2',
        [t.id, purchaseId],
      );
      expect(purchase).toEqual({ total: 5, held: 1, used: 0, deducted: 0, expired: 0, remaining: 4 });
      const entries = await query(
        ctx,
        `select kind, held, idempotency_key, reservation_id, policy_version from ledger_entries where tenant_id = $1 and purchase_id = $2 order by seq`,
        [t.id, purchaseId],
      );
      expect(entries.map((e) => [e.kind, e.held, e.idempotency_key, e.reservation_id])).toEqual([
        ['grant', 0, `grant:${purchaseId}`, null],
        ['hold', 1, 'r:r-commit:1', 'r-commit'],
      ]);
      const [stored] = await query(
        ctx,
        'select credit_state, covered_units, credit_seq, policy_version, explain from reservations where tenant_id = $1 and id = $2',
        [t.id, 'r-commit'],
      );
      expect(stored).toMatchObject({
        credit_state: 'held',
        covered_units: 1,
        credit_seq: 1,
        policy_version: snapshot.policyVersion,
      });
      expect(stored.explain).toMatchObject({
        assignment: null,
        usage: [],
        policyVersion: snapshot.policyVersion,
      });
      return ctx.events;
    });
    expect(events.map((e) => [e.name, (e.payload as { kind?: string }).kind ?? null])).toEqual([
      ['credit.changed', 'hold'],
    ]);
    expect((events[0].payload as { remaining: number }).remaining).toBe(4);
  });

  it('a posting whose key was already used fails the statement and writes nothing', async () => {
    const { t, purchaseId } = await setup();
    await expect(
      inTransaction(t.id, async (ctx) => {
        const snapshot = await readClient(ctx, { client: { clientId: 'sarah' } });
        if (!snapshot) throw new Error('no client');
        const work = workOn(ctx, await policyAt(ctx, snapshot.policyVersion), snapshot);
        const p = work.purchases.get(purchaseId) as PurchaseSnap;
        // The sale's own grant key: the unique (tenant, key) refuses it.
        post(work, p, {
          kind: 'addition',
          delta: { total: 2 },
          key: `grant:${purchaseId}`,
          reason: 'twice',
          at: ctx.now,
        });
        await commit(ctx, work.cs);
      }),
    ).rejects.toThrow();
    const rows = await inTransaction(t.id, (ctx) =>
      query(ctx, 'select total, remaining from purchases where tenant_id = $1 and id = $2', [
        t.id,
        purchaseId,
      ]),
    );
    expect(rows).toEqual([{ total: 5, remaining: 5 }]);
  });

  it('an empty change set sends no statement', async () => {
    const { t } = await setup();
    await inTransaction(t.id, async (ctx) => {
      let sent = 0;
      const counted = {
        ...ctx,
        tx: new Proxy(ctx.tx, {
          get: (target, key) =>
            key === 'getKysely'
              ? () => {
                  sent += 1;
                  return target.getKysely();
                }
              : Reflect.get(target, key),
        }),
      };
      await commit(counted, emptyChangeSet());
      expect(sent).toBe(0);
    });
  });
});
