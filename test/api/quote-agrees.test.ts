import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listPresets } from '../../src/policy/index.ts';
import { expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { ledgerKinds, newStudio } from '../support/fixtures.ts';

/**
 * Issue 17 item 1: the quote and the booking agree. On every preset, for random
 * purchases (sizes, ages, expiry, holds, credits already taken), sessions (future,
 * started, $0) and pay-with choices: the quote made just before a booking answers
 * what the booking then does — the same status, purchase, credit, label, counts and
 * explanation — and the quote writes nothing.
 */
const base = Date.parse('2026-03-02T15:00:00Z');
const day = 86_400_000;

const purchaseArb = fc.record({
  credits: fc.integer({ min: 1, max: 3 }),
  daysAgo: fc.integer({ min: 1, max: 40 }),
  daysToExpire: fc.constantFrom(0, 10, 60),
  taken: fc.integer({ min: 0, max: 3 }),
  onHold: fc.boolean(),
});
const scenarioArb = fc.record({
  purchases: fc.array(purchaseArb, { maxLength: 3 }),
  startsInHours: fc.integer({ min: -2, max: 24 * 20 }),
  price: fc.constantFrom(null, 0, 2500),
  channel: fc.constantFrom('in_store', 'online'),
  payWith: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
});

describe('quote and booking agree (property, every preset)', () => {
  for (const { id: preset } of listPresets()) {
    it(`${preset}: the quote answers what the booking does`, async () => {
      setNow(new Date(base));
      const t = await newStudio(preset);
      const staff = t.as('staff');
      const admin = t.as('admin');
      let n = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (s) => {
          n += 1;
          const clientId = `c${n}`;
          setNow(new Date(base - 50 * day));
          expectStatus(await admin.post('/v1/clients', { id: clientId, name: clientId }), 201);
          const purchaseIds: string[] = [];
          for (const [i, p] of s.purchases.entries()) {
            const plan = await admin.post('/v1/plans', {
              name: `${clientId}-${i}`,
              kind: 'package',
              price: 10000,
              credits: p.credits,
              daysToExpire: p.daysToExpire,
              itemIds: ['yoga'],
            });
            expectStatus(plan, 201);
            setNow(new Date(base - p.daysAgo * day));
            const sold = await staff.post('/v1/purchases', {
              clientId,
              planId: plan.body.id,
              locationId: t.locationId,
            });
            expectStatus(sold, 201);
            const taken = Math.min(p.taken, p.credits);
            if (taken > 0)
              expectStatus(
                await staff.post(`/v1/purchases/${sold.body.id}/adjustments`, {
                  delta: -taken,
                  reason: 'taken',
                }),
                201,
              );
            if (p.onHold) expectStatus(await staff.post(`/v1/purchases/${sold.body.id}/hold`), 200);
            purchaseIds.push(sold.body.id);
          }
          setNow(new Date(base));
          const startsAt = new Date(base + s.startsInHours * 3600_000);
          const session = await staff.post('/v1/sessions', {
            itemId: 'yoga',
            locationId: t.locationId,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
            ...(s.price === null ? {} : { price: s.price }),
          });
          expectStatus(session, 201);
          const payWith = s.payWith === null ? undefined : purchaseIds[s.payWith];
          const body = {
            id: `r-${clientId}`,
            clientId,
            sessionId: session.body.id,
            channel: s.channel,
            ...(payWith ? { purchaseId: payWith } : {}),
          };
          const ledgersBefore = await Promise.all(purchaseIds.map((id) => ledgerKinds(t, id)));
          const quoted = await staff.post('/v1/reservations/quote', body);
          const ledgersAfter = await Promise.all(purchaseIds.map((id) => ledgerKinds(t, id)));
          expect(ledgersAfter).toEqual(ledgersBefore);
          const booked = await staff.post('/v1/reservations', body);
          if (quoted.status !== 200) {
            expect(booked.status).toBe(quoted.status);
            expect(booked.body.errors).toEqual(quoted.body.errors);
            return;
          }
          expectStatus(booked, 201);
          expect({
            purchaseId: booked.body.purchaseId,
            credit: booked.body.credit,
            label: booked.body.label,
            counts: booked.body.counts,
            explain: booked.body.explain,
          }).toEqual({
            purchaseId: quoted.body.purchaseId,
            credit: quoted.body.credit,
            label: quoted.body.label,
            counts: quoted.body.counts,
            explain: quoted.body.explain,
          });
        }),
        { numRuns: 12, seed: 1717 },
      );
    }, 240_000);
  }
});
