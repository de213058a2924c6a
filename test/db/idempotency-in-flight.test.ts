import { describe, expect, it } from 'vitest';
import { addPlan, balanceOf, buy, ledgerKinds, newStudio } from '../support/fixtures.ts';

/**
 * Duplicates that arrive together: on PostgreSQL the later ones wait on the key's
 * row while the first is in flight, then replay its answer. On PGlite the same
 * requests run one after another; the outcome must be the same.
 */
describe('Idempotency-Key under concurrency', () => {
  it('ten simultaneous copies of one adjustment write it once and answer the same', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    const staff = t.as('staff');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        staff.post(
          `/v1/purchases/${p.id}/adjustments`,
          { delta: -3, reason: 'race' },
          { 'idempotency-key': 'same-op' },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 7, deducted: 3 });
    expect(await ledgerKinds(t, p.id)).toEqual(['grant', 'deduction']);
  });

  it('simultaneous bookings of the last credit: one gets it, the others pay', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '1', credits: 1 }));
    const staff = t.as('staff');
    for (let i = 0; i < 6; i++) {
      await staff.post('/v1/sessions', {
        id: `s${i}`,
        itemId: 'yoga',
        locationId: 'loc',
        startsAt: `2026-03-1${i}T10:00:00Z`,
        endsAt: `2026-03-1${i}T11:00:00Z`,
      });
    }
    const booked = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        staff.post('/v1/reservations', { clientId: 'sarah', sessionId: `s${i}`, channel: 'online' }),
      ),
    );
    expect(booked.map((b) => b.status)).toEqual(Array(6).fill(201));
    expect(booked.filter((b) => b.body.credit.state === 'held')).toHaveLength(1);
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 0, held: 1 });
  });
});
