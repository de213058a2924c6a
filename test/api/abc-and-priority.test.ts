import { describe, expect, it } from 'vitest';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';

describe('ABC My Scheduler preset (B7)', () => {
  it('a personal-training bucket pays only for personal-training sessions, a standard one only for standard', async () => {
    const t = await newStudio('abc-scheduler');
    const admin = t.as('admin');
    await admin.post('/v1/items', {
      id: 'pt',
      name: 'PT 60',
      kind: 'appointment',
      price: 8000,
      itemType: 'Scheduler_Bucket',
      bucketType: 'personal_training',
    });
    await admin.post('/v1/items', {
      id: 'group',
      name: 'Group',
      kind: 'class',
      price: 2000,
      bucketType: 'standard',
    });
    const pt = await buy(
      t,
      await addPlan(t, {
        name: '6 PT',
        kind: 'session_bucket',
        credits: 6,
        itemType: 'Scheduler_Bucket',
        bucketType: 'personal_training',
        daysToExpire: 0,
        itemIds: ['pt', 'group'],
      }),
    );
    const ptSession = await addSession(t, {
      itemId: 'pt',
      startsAt: '2026-03-03T10:00:00-05:00',
      endsAt: '2026-03-03T11:00:00-05:00',
    });
    const groupSession = await addSession(t, {
      itemId: 'group',
      startsAt: '2026-03-04T10:00:00-05:00',
      endsAt: '2026-03-04T11:00:00-05:00',
    });
    const a = await reserve(t, ptSession);
    expect(a).toMatchObject({ purchaseId: pt.id, credit: { state: 'held', units: 1 } });
    const b = await reserve(t, groupSession);
    expect(b.credit.state).toBe('none');
    expect(b.explain.assignment.considered).toEqual([
      {
        purchaseId: pt.id,
        eligible: false,
        reason: 'bucket type does not match the session',
        rule: 'bucket-type-must-match',
      },
    ]);
    const checkedIn = await t.as('staff').post(`/v1/reservations/${a.id}/check-in`);
    expect(checkedIn.body.credit.state).toBe('used');
    expect(await balanceOf(t, pt.id)).toMatchObject({ total: 6, used: 1, remaining: 5, expiresAt: null });
  });
});

describe('soonest-expiring preset', () => {
  it('priority first, then the purchase that expires soonest, never-expiring last', async () => {
    const t = await newStudio('soonest-expiring');
    setNow('2026-02-01T15:00:00Z');
    const forever = await buy(t, await addPlan(t, { name: 'Forever', credits: 5, daysToExpire: 0 }));
    const late = await buy(t, await addPlan(t, { name: '90 days', credits: 5, daysToExpire: 90 }));
    const soon = await buy(t, await addPlan(t, { name: '40 days', credits: 5, daysToExpire: 40 }));
    const vip = await buy(t, await addPlan(t, { name: 'Comp', credits: 1, daysToExpire: 0, priority: 1 }));
    setNow('2026-03-02T15:00:00Z');
    const order: string[] = [];
    for (const day of ['03', '04', '05']) {
      const r = await reserve(
        t,
        await addSession(t, {
          id: `d${day}`,
          startsAt: `2026-03-${day}T10:00:00-05:00`,
          endsAt: `2026-03-${day}T11:00:00-05:00`,
        }),
      );
      order.push(r.purchaseId);
    }
    expect(order).toEqual([vip.id, soon.id, soon.id]);
    expect([forever.id, late.id]).not.toContain(order[2]);
  });
});
