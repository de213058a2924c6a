import type { EntityManager } from '@mikro-orm/sql';
import { describe, expect, it } from 'vitest';
import { sweepBatch } from '../../src/credits/sweep.ts';
import { activePolicy } from '../../src/tenants/policy-versions.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

async function studioWithEndedClasses(count: number) {
  const t = await newStudio('mytime');
  const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(3 + i).padStart(2, '0');
    const s = await addSession(t, {
      id: `s${i}`,
      startsAt: `2026-03-${day}T10:00:00-05:00`,
      endsAt: `2026-03-${day}T11:00:00-05:00`,
    });
    // Online bookings that no ticket or read touches: only the sweep will use them.
    ids.push((await reserve(t, s, 'online')).id);
  }
  return { t, purchaseId: p.id, ids };
}

describe('the scheduled sweep', () => {
  it('a sweep killed halfway changes nothing; run again it uses each credit exactly once', async () => {
    const { t, purchaseId } = await studioWithEndedClasses(3);
    expect(await balanceOf(t, purchaseId)).toMatchObject({ held: 3, used: 0, remaining: 7 });
    setNow('2026-03-10T12:00:00Z');
    const { orm } = await testPlugin();
    const em = orm.em.fork() as unknown as EntityManager;
    em.setFilterParams('tenant', { tenantId: t.id });
    await expect(
      em.transactional(async (tx) => {
        const ctx = {
          tx,
          tenantId: t.id,
          active: await activePolicy(tx, t.id),
          now: new Date('2026-03-10T12:00:00Z'),
          actor: 'sweep',
          events: [],
        };
        const batch = await sweepBatch(ctx, ctx.now);
        expect(batch.used).toBe(3);
        throw new Error('process killed');
      }),
    ).rejects.toThrow('process killed');
    const plugin = await testPlugin();
    const first = await plugin.sweep({ tenantIds: [t.id] });
    expect(first).toEqual({ sessions: 3, used: 3, released: 0, skipped: 0 });
    const again = await plugin.sweep({ tenantIds: [t.id] });
    expect(again).toEqual({ sessions: 0, used: 0, released: 0, skipped: 0 });
    expect(await balanceOf(t, purchaseId)).toMatchObject({ held: 0, used: 3, remaining: 7 });
  });

  it('two sweeps at once never take the same session', async () => {
    const { t, purchaseId } = await studioWithEndedClasses(4);
    setNow('2026-03-10T12:00:00Z');
    const plugin = await testPlugin();
    const [a, b] = await Promise.all([
      plugin.sweep({ tenantIds: [t.id] }),
      plugin.sweep({ tenantIds: [t.id] }),
    ]);
    expect(a.sessions + b.sessions).toBe(4);
    expect(a.used + b.used).toBe(4);
    expect(await balanceOf(t, purchaseId)).toMatchObject({ held: 0, used: 4, remaining: 6 });
  });

  it('emits credit events after the commit', async () => {
    const { t, ids } = await studioWithEndedClasses(2);
    setNow('2026-03-10T12:00:00Z');
    const plugin = await testPlugin();
    const seen: string[] = [];
    // A new subscriber receives what was committed from the (millisecond) moment it
    // subscribed on, erring towards one event too many, never one too few: let the
    // clock move past the last booking's commit so only the sweep's events are new.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const off = plugin.on('credit.changed', (e) => {
      if (e.tenantId === t.id) seen.push(`${e.kind}:${e.reservationId}`);
    });
    await plugin.sweep({ tenantIds: [t.id] });
    await plugin.drain({ tenantId: t.id });
    await off();
    expect(seen.sort()).toEqual(ids.map((id) => `use:${id}`).sort());
  });
});
