import { describe, expect, it } from 'vitest';
import { expectStatus, type TestTenant } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** Issue 20 items 3 (freezes that extend expiry) and 7 (credits.low, credits.expiring), through the API. */

async function outbox(t: TestTenant, name: string): Promise<Record<string, unknown>[]> {
  const { orm } = await testPlugin();
  const rows: { payload: Record<string, unknown> | string }[] = await orm.em
    .fork()
    .getConnection()
    .execute('select payload from outbox where tenant_id = ? and name = ? order by seq', [t.id, name]);
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

// New York: DST begins Sunday 8 March 2026.
const classOn = (day: string) => ({
  startsAt: `2026-03-${day}T18:00:00-04:00`,
  endsAt: `2026-03-${day}T19:00:00-04:00`,
});

describe('freezes (issue 20 item 3)', () => {
  it('freeze across the DST change moves expiry by local days; overlap 409; max days 422; unfreeze early', async () => {
    const t = await newStudio('mytime');
    const staff = t.as('staff');
    const plan = await addPlan(t, { name: '30 days', credits: 10, daysToExpire: 30, maxFreezeDays: 12 });
    const p = await buy(t, plan); // 2 March 10:00 EST
    expect(p.expiresAt).toBe('2026-04-02T03:59:59.999Z'); // 1 April 23:59:59.999 EDT

    const frozen = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-05',
      to: '2026-03-14',
      reason: 'travelling',
    });
    expectStatus(frozen, 201);
    expect(frozen.body.freeze).toMatchObject({
      from: '2026-03-05',
      to: '2026-03-14',
      days: 10,
      reason: 'travelling',
    });
    expect(frozen.body.purchase.expiresAt).toBe('2026-04-12T03:59:59.999Z'); // 11 April 23:59:59.999 EDT

    // During the freeze the purchase pays for nothing, and says why.
    const during = await reserve(t, await addSession(t, classOn('10')));
    expect(during.credit.state).toBe('none');
    expect(during.purchaseId).toBeNull();
    expect(JSON.stringify(during.explain)).toContain(`${p.id} frozen until 2026-03-14`);
    expect((await balanceOf(t, p.id)).remaining).toBe(10);

    const overlap = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-14',
      to: '2026-03-15',
      reason: 'x',
    });
    expectStatus(overlap, 409);
    const tooMany = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-20',
      to: '2026-03-22',
      reason: 'x',
    });
    expectStatus(tooMany, 422);
    expect(tooMany.body.errors).toEqual([
      { path: '/to', message: 'the plan allows 12 frozen days in all; 10 used, 3 asked' },
    ]);
    const tooLong = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-20',
      to: '2027-03-21',
      reason: 'x',
    });
    expectStatus(tooLong, 422);
    expect(tooLong.body.errors[0].path).toBe('/to');
    const badDate = await staff.post(`/v1/purchases/${p.id}/freeze`, { from: '5 March', to: '2026-03-21' });
    expectStatus(badDate, 422);
    expect(badDate.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/from', '/reason']);
    expectStatus(
      await staff.post('/v1/purchases/nope/freeze', { from: '2026-03-20', to: '2026-03-21', reason: 'x' }),
      404,
    );

    // Back early on 8 March (13:00 EDT): 5, 6 and 7 March were frozen.
    setNow('2026-03-08T17:00:00Z');
    const back = await staff.post(`/v1/purchases/${p.id}/unfreeze`, { reason: 'came back' });
    expectStatus(back, 200);
    expect(back.body.freeze).toMatchObject({ to: '2026-03-07', days: 3, unfreezeReason: 'came back' });
    expect(back.body.purchase.expiresAt).toBe('2026-04-05T03:59:59.999Z'); // 4 April 23:59:59.999 EDT
    const list = await staff.get(`/v1/purchases/${p.id}/freezes`);
    expectStatus(list, 200);
    expect(list.body.frozenDays).toBe(3);
    expect(
      list.body.freezes.map((f: { from: string; to: string; days: number }) => [f.from, f.to, f.days]),
    ).toEqual([['2026-03-05', '2026-03-07', 3]]);
    expectStatus(await staff.post(`/v1/purchases/${p.id}/unfreeze`), 409);

    // Now a class on the 10th is paid by it.
    const after = await reserve(t, await addSession(t, classOn('11')));
    expect(after.purchaseId).toBe(p.id);
    expect(after.credit.state).toBe('held');

    // Two freezes add up: 20–22 March (3 more days, 6 in all).
    const second = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-20',
      to: '2026-03-22',
      reason: 'y',
    });
    expectStatus(second, 201);
    expect(second.body.purchase.expiresAt).toBe('2026-04-08T03:59:59.999Z');

    expect(
      (await outbox(t, 'purchase.frozen')).map((e) => [e.from, e.to, e.days, e.frozenDays, e.expiresAt]),
    ).toEqual([
      ['2026-03-05', '2026-03-14', 10, 10, '2026-04-12T03:59:59.999Z'],
      ['2026-03-20', '2026-03-22', 3, 6, '2026-04-08T03:59:59.999Z'],
    ]);
    expect((await outbox(t, 'purchase.unfrozen')).map((e) => [e.to, e.days, e.frozenDays, e.reason])).toEqual(
      [['2026-03-07', 3, 3, 'came back']],
    );
  });

  it('refuses to freeze over a booked session it pays for (409), and a freeze that starts in the past (422)', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10, daysToExpire: 60 }));
    const booked = await reserve(t, await addSession(t, classOn('06')));
    expect(booked.purchaseId).toBe(p.id);
    const staff = t.as('staff');
    const over = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-05',
      to: '2026-03-07',
      reason: 'x',
    });
    expectStatus(over, 409);
    const past = await staff.post(`/v1/purchases/${p.id}/freeze`, {
      from: '2026-03-01',
      to: '2026-03-03',
      reason: 'x',
    });
    expectStatus(past, 422);
    expect(past.body.errors[0].path).toBe('/from');
    expect((await balanceOf(t, p.id)).expiresAt).toBe('2026-05-02T03:59:59.999Z');
  });
});

describe('credits.low and credits.expiring (issue 20 item 7)', () => {
  it('credits.low once per crossing, in the booking that crossed it', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '3', credits: 3, lowBalanceAt: 1 }));
    await reserve(t, await addSession(t, classOn('03'))); // 3 → 2
    expect(await outbox(t, 'credits.low')).toEqual([]);
    const second = await reserve(t, await addSession(t, classOn('04'))); // 2 → 1: crosses
    await reserve(t, await addSession(t, classOn('05'))); // 1 → 0: already low
    expect(await outbox(t, 'credits.low')).toEqual([
      {
        tenantId: t.id,
        purchaseId: p.id,
        clientId: 'sarah',
        planId: p.planId,
        remaining: 1,
        threshold: 1,
        kind: 'hold',
        reservationId: second.id,
        ticketId: null,
      },
    ]);
  });

  it('credits.expiring once per expiry date from the sweep; a freeze that moves the expiry notifies again', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const plan = await addPlan(t, { name: '10 days', credits: 5, daysToExpire: 10, expiringNoticeDays: 3 });
    const p = await buy(t, plan); // expires 12 March 23:59:59.999 EDT
    expect(p.expiresAt).toBe('2026-03-13T03:59:59.999Z');
    setNow('2026-03-09T12:00:00Z');
    await admin.post('/v1/sweeps', {});
    expect(await outbox(t, 'credits.expiring')).toEqual([]);
    setNow('2026-03-10T12:00:00Z');
    await admin.post('/v1/sweeps', {});
    setNow('2026-03-10T12:30:00Z');
    await admin.post('/v1/sweeps', {});
    expect(await outbox(t, 'credits.expiring')).toEqual([
      {
        tenantId: t.id,
        purchaseId: p.id,
        clientId: 'sarah',
        planId: plan,
        expiresAt: '2026-03-13T03:59:59.999Z',
        remaining: 5,
        noticeDays: 3,
      },
    ]);
    const moved = await t
      .as('staff')
      .post(`/v1/purchases/${p.id}/freeze`, { from: '2026-03-11', to: '2026-03-12', reason: 'ill' });
    expect(moved.body.purchase.expiresAt).toBe('2026-03-15T03:59:59.999Z');
    setNow('2026-03-11T12:00:00Z');
    await admin.post('/v1/sweeps', {});
    expect(await outbox(t, 'credits.expiring')).toHaveLength(1);
    setNow('2026-03-12T12:00:00Z');
    await admin.post('/v1/sweeps', {});
    await admin.post('/v1/sweeps', {});
    expect((await outbox(t, 'credits.expiring')).map((e) => e.expiresAt)).toEqual([
      '2026-03-13T03:59:59.999Z',
      '2026-03-15T03:59:59.999Z',
    ]);
  });

  it('plans carry the settings; PATCH changes and clears them', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, {
      name: 'p',
      credits: 5,
      maxFreezeDays: 30,
      lowBalanceAt: 2,
      expiringNoticeDays: 7,
    });
    const patched = await t.as('admin').patch(`/v1/plans/${plan}`, { lowBalanceAt: null, maxFreezeDays: 10 });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({ maxFreezeDays: 10, lowBalanceAt: null, expiringNoticeDays: 7 });
    const bad = await t.as('admin').post('/v1/plans', {
      name: 'q',
      kind: 'package',
      credits: 1,
      price: 1,
      itemIds: ['yoga'],
      expiringNoticeDays: 0,
    });
    expectStatus(bad, 422);
    expect(bad.body.errors[0].path).toBe('/expiringNoticeDays');
  });
});
