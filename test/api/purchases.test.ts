import { describe, expect, it } from 'vitest';
import { expectStatus, request } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';

describe('purchases', () => {
  it('selling grants the credits with one grant entry and computes expiresAt in the location zone', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { id: 'ten', name: '10 classes', credits: 10, daysToExpire: 30 });
    const p = await buy(t, plan, { id: 'p1', purchasedAt: '2026-03-01T10:00:00-05:00' });
    expect(p).toMatchObject({
      id: 'p1',
      total: 10,
      remaining: 10,
      used: 0,
      held: 0,
      status: 'active',
      label: 'Available in Package',
    });
    expect(p.expiresAt).toBe('2026-04-01T03:59:59.999Z'); // 31 Mar 23:59:59.999 EDT
    const ledger = await t.as('staff').get('/v1/purchases/p1/ledger');
    expect(
      ledger.body.entries.map((e: { kind: string; delta: { total: number } }) => [e.kind, e.delta.total]),
    ).toEqual([['grant', 10]]);
  });

  it('B19 seed: 10/10 + 5 → 15/15; 10/10 − 3 → 7/10', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const staff = t.as('staff');
    const a = await buy(t, plan);
    const added = await staff.post(`/v1/purchases/${a.id}/adjustments`, { delta: 5, reason: 'goodwill' });
    expectStatus(added, 201);
    expect([added.body.remaining, added.body.total]).toEqual([15, 15]);
    const b = await buy(t, plan);
    const deducted = await staff.post(`/v1/purchases/${b.id}/adjustments`, {
      delta: -3,
      reason: 'correction',
    });
    expect([deducted.body.remaining, deducted.body.total, deducted.body.deducted]).toEqual([7, 10, 3]);
  });

  it('B19 own numbers: 4 + 2 − 5 → 1/6, and a deduction past zero is 422 changing nothing', async () => {
    const t = await newStudio();
    const staff = t.as('staff');
    const p = await buy(t, await addPlan(t, { name: '4', credits: 4 }));
    await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: 2, reason: 'promo' });
    const after = await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: -5, reason: 'fix' });
    expect([after.body.remaining, after.body.total]).toEqual([1, 6]);
    const tooMuch = await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'fix' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors).toEqual([{ path: '/delta', message: 'cannot deduct 2: only 1 remaining' }]);
    expect((await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: 0, reason: 'x' })).status).toBe(
      422,
    );
    const ledger = await staff.get(`/v1/purchases/${p.id}/ledger`);
    expect(ledger.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'grant',
      'addition',
      'deduction',
    ]);
    expect(ledger.body.purchase.remaining).toBe(1);
  });

  it('B7 through the API: a session bucket of another item type grants nothing', async () => {
    const t = await newStudio();
    const admin = t.as('admin');
    await admin.post('/v1/items', {
      id: 'pt',
      name: 'PT',
      kind: 'appointment',
      price: 7000,
      bucketType: 'personal_training',
    });
    const good = await addPlan(t, {
      name: 'PT 6',
      kind: 'session_bucket',
      credits: 6,
      itemType: 'Scheduler_Bucket',
      bucketType: 'personal_training',
      itemIds: ['pt'],
    });
    const bad = await addPlan(t, {
      name: 'PT 6 retail',
      kind: 'session_bucket',
      credits: 6,
      itemType: 'Retail',
      bucketType: 'personal_training',
      itemIds: ['pt'],
    });
    expect((await buy(t, good)).remaining).toBe(6);
    const none = await buy(t, bad);
    expect([none.total, none.remaining, none.label]).toEqual([0, 0, null]);
  });

  it('hold, resume, expire and void move status and book the ledger', async () => {
    const t = await newStudio();
    const staff = t.as('staff');
    const plan = await addPlan(t, { name: '5', credits: 5 });
    const p = await buy(t, plan);
    expect((await staff.post(`/v1/purchases/${p.id}/hold`)).body).toMatchObject({
      status: 'on_hold',
      remaining: 5,
      label: null,
    });
    expect((await staff.post(`/v1/purchases/${p.id}/hold`)).status).toBe(409);
    expect((await staff.post(`/v1/purchases/${p.id}/resume`)).body.status).toBe('active');
    const expired = await staff.post(`/v1/purchases/${p.id}/expire`, { reason: 'member left' });
    expect(expired.body).toMatchObject({ status: 'expired', remaining: 0, expired: 5, total: 5 });
    const q = await buy(t, plan);
    const voided = await staff.post(`/v1/purchases/${q.id}/void`);
    expect(voided.body).toMatchObject({ status: 'voided', remaining: 0, deducted: 5 });
    expect((await staff.post(`/v1/purchases/${q.id}/void`)).status).toBe(409);
  });

  it('B6: once expiresAt has passed the purchase reads expired, with one expiry entry, no sweep needed', async () => {
    const t = await newStudio('mytime', 'Asia/Tokyo');
    const plan = await addPlan(t, { name: '3', credits: 3, daysToExpire: 1 });
    setNow('2026-03-01T20:00:00Z'); // 2 Mar 05:00 in Tokyo
    const p = await buy(t, plan);
    expect(p.expiresAt).toBe('2026-03-03T14:59:59.999Z');
    setNow('2026-03-03T14:59:59.999Z');
    expect((await t.as('staff').get(`/v1/purchases/${p.id}`)).body).toMatchObject({
      status: 'active',
      remaining: 3,
    });
    setNow('2026-03-03T15:00:00.000Z');
    const balances = await t.as('staff').get('/v1/clients/sarah/balances');
    expect(balances.body.purchases[0]).toMatchObject({
      status: 'expired',
      remaining: 0,
      expired: 3,
      label: null,
    });
    await t.as('staff').get(`/v1/purchases/${p.id}`);
    const ledger = await t.as('staff').get(`/v1/purchases/${p.id}/ledger`);
    expect(
      ledger.body.entries.map((e: { kind: string; delta: { expired: number } }) => [e.kind, e.delta.expired]),
    ).toEqual([
      ['grant', 0],
      ['expiry', 3],
    ]);
  });

  it('422 for references the tenant lacks, 404 for unknown ids in the path', async () => {
    const t = await newStudio();
    const staff = t.as('staff');
    const res = await staff.post('/v1/purchases', { clientId: 'ghost', planId: 'nope', locationId: 'loc' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/clientId', message: "no client with id 'ghost'" }]);
    expect((await staff.get('/v1/purchases/missing')).status).toBe(404);
    expect((await staff.post('/v1/purchases/missing/adjustments', { delta: 1, reason: 'x' })).status).toBe(
      404,
    );
    expect((await staff.get('/v1/clients/missing/balances')).status).toBe(404);
  });

  it('a purchasedAt in the future or without an offset is 422', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: '1', credits: 1 });
    const staff = t.as('staff');
    const future = await staff.post('/v1/purchases', {
      clientId: 'sarah',
      planId: plan,
      locationId: 'loc',
      purchasedAt: '2030-01-01T00:00:00Z',
    });
    expect(future.body.errors).toEqual([{ path: '/purchasedAt', message: 'must not be in the future' }]);
    const noOffset = await staff.post('/v1/purchases', {
      clientId: 'sarah',
      planId: plan,
      locationId: 'loc',
      purchasedAt: '2026-01-01T10:00:00',
    });
    expect(noOffset.status).toBe(422);
    expect(noOffset.body.errors[0].path).toBe('/purchasedAt');
    expect((await staff.get('/v1/clients/sarah/balances')).body.purchases).toEqual([]);
  });
});

describe('idempotency', () => {
  it('a retry with the same key and body returns the first answer and writes nothing', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const staff = t.as('staff');
    const p = await buy(t, plan);
    const headers = { 'idempotency-key': 'adj-1' };
    const first = await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'x' }, headers);
    const second = await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: -2, reason: 'x' }, headers);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await staff.get(`/v1/purchases/${p.id}`)).body.remaining).toBe(8);
    const other = await staff.post(`/v1/purchases/${p.id}/adjustments`, { delta: -1, reason: 'x' }, headers);
    expect(other.status).toBe(409);
    expect((await staff.get(`/v1/purchases/${p.id}`)).body.remaining).toBe(8);
  });

  it('a failed request does not burn its key', async () => {
    const t = await newStudio();
    const staff = t.as('staff');
    const headers = { 'idempotency-key': 'client-1' };
    expect((await staff.post('/v1/clients', { name: '' }, headers)).status).toBe(422);
    expect((await staff.post('/v1/clients', { name: 'Ok' }, headers)).status).toBe(201);
  });

  it('keys are scoped to the tenant', async () => {
    const a = await newStudio();
    const b = await newStudio();
    const headers = { 'idempotency-key': 'same' };
    const ra = await a.as('staff').post('/v1/clients', { id: 'c1', name: 'A' }, headers);
    const rb = await b.as('staff').post('/v1/clients', { id: 'c1', name: 'A' }, headers);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('tenant isolation', () => {
  it("another tenant's ids answer 404 on every route and 422 in bodies", async () => {
    const a = await newStudio();
    const b = await newStudio();
    const plan = await addPlan(a, { name: '5', credits: 5 });
    const p = await buy(a, plan, { id: 'shared-id' });
    const bStaff = b.as('staff');
    for (const path of [
      `/v1/purchases/${p.id}`,
      `/v1/purchases/${p.id}/ledger`,
      '/v1/clients/sarah/balances',
    ]) {
      const res = await bStaff.get(path);
      if (path.includes('balances')) {
        expect(res.body.purchases).toEqual([]); // b has its own 'sarah' with nothing bought
      } else {
        expect(res.status).toBe(404);
      }
    }
    for (const action of ['adjustments', 'hold', 'resume', 'expire', 'void']) {
      const res = await bStaff.post(
        `/v1/purchases/${p.id}/${action}`,
        action === 'adjustments' ? { delta: 1, reason: 'x' } : {},
      );
      expect(res.status).toBe(404);
    }
    const cross = await bStaff.post('/v1/purchases', { clientId: 'sarah', planId: plan, locationId: 'loc' });
    expect(cross.status).toBe(422);
    expect(cross.body.errors).toEqual([{ path: '/planId', message: `no plan with id '${plan}'` }]);
    expect((await a.as('staff').get(`/v1/purchases/${p.id}`)).body.remaining).toBe(5);
    // The same caller-chosen id can exist in both tenants.
    expect((await buy(b, await addPlan(b, { name: '1', credits: 1 }), { id: 'shared-id' })).id).toBe(
      'shared-id',
    );
    expect((await request('GET', `/v1/purchases/${p.id}`)).status).toBe(401);
  });
});

describe('credits given back to a closed purchase', () => {
  it('a held credit released into a voided purchase is forfeited, not spendable', async () => {
    const t = await newStudio();
    const p = await buy(t, await addPlan(t, { name: '3', credits: 3 }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    const voided = await t.as('staff').post(`/v1/purchases/${p.id}/void`);
    expect(voided.body).toMatchObject({ status: 'voided', held: 1, deducted: 2, remaining: 0 });
    await t.as('staff').post(`/v1/reservations/${r.id}/cancel`);
    expect((await t.as('staff').get(`/v1/purchases/${p.id}`)).body).toMatchObject({
      held: 0,
      deducted: 3,
      remaining: 0,
    });
  });

  it('a held credit released into an expired purchase lands in expired', async () => {
    const t = await newStudio();
    const p = await buy(t, await addPlan(t, { name: '3', credits: 3 }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    await t.as('staff').post(`/v1/purchases/${p.id}/expire`);
    await t.as('staff').post(`/v1/reservations/${r.id}/cancel`);
    expect((await t.as('staff').get(`/v1/purchases/${p.id}`)).body).toMatchObject({
      status: 'expired',
      held: 0,
      expired: 3,
      remaining: 0,
    });
  });
});
