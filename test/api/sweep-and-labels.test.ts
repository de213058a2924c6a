import { describe, expect, it } from 'vitest';
import { expectStatus, request } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';

const classAt = (day: string) => ({
  startsAt: `2026-03-${day}T10:00:00-05:00`,
  endsAt: `2026-03-${day}T11:00:00-05:00`,
});

describe('after-session sweep (B15, B16)', () => {
  it('B16: enrolled first, bought after — the sweep applies the package when the class ends', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const r = await reserve(t, await addSession(t, classAt('03')));
    expect(r.credit.state).toBe('none');
    setNow('2026-03-03T15:30:00Z'); // during the class
    const p = await buy(t, plan);
    setNow('2026-03-03T16:00:00Z');
    const sweep = await t.as('admin').post('/v1/sweeps', {});
    expect(sweep.body).toEqual({ sessions: 1, used: 1, released: 0, skipped: 0 });
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body).toMatchObject({
      purchaseId: p.id,
      credit: { state: 'used' },
    });
    expect((await balanceOf(t, p.id)).remaining).toBe(9);
    const again = await t.as('admin').post('/v1/sweeps', {});
    expect(again.body).toEqual({ sessions: 0, used: 0, released: 0, skipped: 0 });
  });

  it('B16 own: a package bought after the class ended is not applied to it', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const r = await reserve(t, await addSession(t, classAt('03')));
    setNow('2026-03-03T16:00:01Z');
    const p = await buy(t, plan);
    await t.as('admin').post('/v1/sweeps', {});
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.credit.state).toBe('none');
    expect((await balanceOf(t, p.id)).remaining).toBe(10);
  });

  it('B15: the sweep skips no-shows, cancellations and manual checkouts', async () => {
    const t = await newStudio('mytime');
    const staff = t.as('staff');
    for (const id of ['ana', 'ben', 'cy', 'dee']) await staff.post('/v1/clients', { id, name: id });
    const s = await addSession(t, classAt('03'));
    const book = async (clientId: string) =>
      (await staff.post('/v1/reservations', { clientId, sessionId: s, channel: 'online' })).body;
    const [ana, ben, cy, dee] = [await book('ana'), await book('ben'), await book('cy'), await book('dee')];
    await staff.post(`/v1/reservations/${ben.id}/no-show`);
    await staff.post(`/v1/reservations/${cy.id}/cancel`);
    const manual = await staff.post('/v1/tickets', {
      clientId: 'dee',
      locationId: 'loc',
      manual: true,
      lines: [{ itemId: 'yoga', reservationId: dee.id }],
    });
    await staff.post(`/v1/tickets/${manual.body.id}/close`);
    // Everyone buys a package during the class; only ana may have it applied.
    setNow('2026-03-03T15:30:00Z');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    const bought: Record<string, string> = {};
    for (const clientId of ['ana', 'ben', 'cy', 'dee']) {
      bought[clientId] = (
        await staff.post('/v1/purchases', { clientId, planId: plan, locationId: 'loc' })
      ).body.id;
    }
    setNow('2026-03-03T16:00:00Z');
    const sweep = await t.as('admin').post('/v1/sweeps', {});
    expect(sweep.body).toEqual({ sessions: 1, used: 1, released: 0, skipped: 3 });
    expect((await staff.get(`/v1/reservations/${ana.id}`)).body.credit.state).toBe('used');
    for (const who of ['ben', 'cy', 'dee']) expect((await balanceOf(t, bought[who])).remaining).toBe(10);
    expect((await balanceOf(t, bought.ana)).remaining).toBe(9);
  });

  it('asOf later than now is 422; staff may not sweep', async () => {
    const t = await newStudio('mytime');
    const res = await t.as('admin').post('/v1/sweeps', { asOf: '2030-01-01T00:00:00Z' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/asOf', message: 'must not be later than now' }]);
    expect((await t.as('staff').post('/v1/sweeps', {})).status).toBe(403);
  });
});

describe('labels (B20) and balances (B19)', () => {
  it('B20: a 150-credit package reads PACKAGE USED (#X/ UNLIMITED), X counting this use', async () => {
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: 'Big', credits: 150 }));
    const first = await reserve(t, await addSession(t, { id: 'a', ...classAt('03') }));
    const second = await reserve(t, await addSession(t, { id: 'b', ...classAt('04') }));
    setNow('2026-03-05T12:00:00Z');
    expect((await t.as('staff').get(`/v1/reservations/${first.id}`)).body.label).toBe(
      'PACKAGE USED (#1/ UNLIMITED)',
    );
    expect((await t.as('staff').get(`/v1/reservations/${second.id}`)).body.label).toBe(
      'PACKAGE USED (#2/ UNLIMITED)',
    );
  });

  it('B20: UNLIMITED counts the credits available at the label, not the total (101 reads UNLIMITED, 100 does not)', async () => {
    // 102 credits, one used: 101 available, above the threshold of 100.
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: 'Big', kind: 'membership', credits: 102 }));
    const r = await reserve(t, await addSession(t, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.label).toBe(
      'MEMBERSHIP USED (#1/ UNLIMITED)',
    );
    // 101 credits, one used: 100 available, not above it.
    setNow('2026-03-02T15:00:00Z');
    const u = await newStudio('mytime');
    await buy(u, await addPlan(u, { name: 'Hundred', kind: 'membership', credits: 101 }));
    const q = await reserve(u, await addSession(u, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    expect((await u.as('staff').get(`/v1/reservations/${q.id}`)).body.label).toBe('Membership Used');
  });

  it('B20: a 105-credit package with 5 left reads Package Used, not UNLIMITED', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: 'Almost gone', credits: 105 }));
    expectStatus(
      await t.as('admin').post(`/v1/purchases/${p.id}/adjustments`, { delta: -99, reason: 'migrated usage' }),
      201,
    );
    const r = await reserve(t, await addSession(t, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    const shown = (await t.as('staff').get(`/v1/reservations/${r.id}`)).body;
    expect(shown.label).toBe('Package Used');
    expect((await balanceOf(t, p.id)).remaining).toBe(5);
  });

  it('B19 seed: 10/10 − 3 → 7/10, then two redemptions → 5/10', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    await t.as('staff').post(`/v1/purchases/${p.id}/adjustments`, { delta: -3, reason: 'manual' });
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 7, total: 10 });
    await reserve(t, await addSession(t, { id: 'a', ...classAt('03') }));
    await reserve(t, await addSession(t, { id: 'b', ...classAt('04') }));
    setNow('2026-03-05T12:00:00Z');
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 5, total: 10, used: 2, deducted: 3 });
  });

  it('B19 seed: 10/10 + 5 → 15/15, then one use → 14/15', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '10', credits: 10 }));
    await t.as('staff').post(`/v1/purchases/${p.id}/adjustments`, { delta: 5, reason: 'bonus' });
    await reserve(t, await addSession(t, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    expect(await balanceOf(t, p.id)).toMatchObject({ remaining: 14, total: 15 });
  });
});

describe('credit report (B22)', () => {
  it('B22: every purchase with its balance — untouched and expired ones too — then each use and use given back, as JSON and CSV', async () => {
    const t = await newStudio('mytime');
    const ten = await addPlan(t, { id: 'ten', name: 'Ten, "classic"', credits: 10 });
    const a = await buy(t, ten, { id: 'p-a', purchasedAt: '2026-03-01T10:00:00-05:00' });
    await buy(t, await addPlan(t, { name: 'Five', credits: 5 }), {
      id: 'p-b',
      purchasedAt: '2026-03-02T09:00:00-05:00',
    });
    // Expires 2 Mar 23:59:59.999 New York: before the classes, so it never pays; it expires untouched.
    await buy(t, await addPlan(t, { name: 'Day', credits: 3, daysToExpire: 1 }), {
      id: 'p-c',
      purchasedAt: '2026-03-01T12:00:00-05:00',
    });
    const r = await reserve(t, await addSession(t, classAt('03')));
    await reserve(t, await addSession(t, classAt('05')));
    setNow('2026-03-04T12:00:00Z');
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga', reservationId: r.id }],
    });
    expectStatus(ticket, 201);
    expectStatus(await t.as('staff').post(`/v1/tickets/${ticket.body.id}/close`), 200);
    expectStatus(await t.as('staff').post(`/v1/tickets/${ticket.body.id}/refund`), 200);
    const json = await t.as('staff').get('/v1/reports/credits?clientId=sarah');
    expectStatus(json, 200);
    const who = { clientId: 'sarah', clientName: 'Sarah' };
    const aBalance = { status: 'active', total: 10, used: 0, held: 1, deducted: 0, expired: 0, remaining: 9 };
    const none = { units: null, reservationId: null, ticketId: null };
    expect(json.body.rows).toEqual([
      {
        ...who,
        purchaseId: a.id,
        planName: 'Ten, "classic"',
        entry: 'purchase',
        ...none,
        occurredAt: '2026-03-01T15:00:00.000Z',
        ...aBalance,
      },
      {
        ...who,
        purchaseId: a.id,
        planName: 'Ten, "classic"',
        entry: 'use',
        units: 1,
        reservationId: r.id,
        ticketId: null,
        occurredAt: '2026-03-03T15:00:00.000Z',
        ...aBalance,
      },
      {
        ...who,
        purchaseId: a.id,
        planName: 'Ten, "classic"',
        entry: 'refund',
        units: -1,
        reservationId: r.id,
        ticketId: ticket.body.id,
        occurredAt: '2026-03-04T12:00:00.000Z',
        ...aBalance,
      },
      {
        ...who,
        purchaseId: 'p-b',
        planName: 'Five',
        entry: 'purchase',
        ...none,
        occurredAt: '2026-03-02T14:00:00.000Z',
        status: 'active',
        total: 5,
        used: 0,
        held: 0,
        deducted: 0,
        expired: 0,
        remaining: 5,
      },
      {
        ...who,
        purchaseId: 'p-c',
        planName: 'Day',
        entry: 'purchase',
        ...none,
        occurredAt: '2026-03-01T17:00:00.000Z',
        status: 'expired',
        total: 3,
        used: 0,
        held: 0,
        deducted: 0,
        expired: 3,
        remaining: 0,
      },
    ]);
    const csv = await request('GET', '/v1/reports/credits?clientId=sarah', {
      key: t.staff,
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      'clientId,clientName,purchaseId,planName,entry,units,reservationId,ticketId,occurredAt,status,total,used,held,deducted,expired,remaining\r\n' +
        `sarah,Sarah,p-a,"Ten, ""classic""",purchase,,,,2026-03-01T15:00:00.000Z,active,10,0,1,0,0,9\r\n` +
        `sarah,Sarah,p-a,"Ten, ""classic""",use,1,${r.id},,2026-03-03T15:00:00.000Z,active,10,0,1,0,0,9\r\n` +
        `sarah,Sarah,p-a,"Ten, ""classic""",refund,-1,${r.id},${ticket.body.id},2026-03-04T12:00:00.000Z,active,10,0,1,0,0,9\r\n` +
        'sarah,Sarah,p-b,Five,purchase,,,,2026-03-02T14:00:00.000Z,active,5,0,0,0,0,5\r\n' +
        'sarah,Sarah,p-c,Day,purchase,,,,2026-03-01T17:00:00.000Z,expired,3,0,0,0,3,0\r\n',
    );
    const bad = await t.as('staff').get('/v1/reports/credits?from=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/from');
    expect(bad.body.detail).toBe('the query string does not match the schema');
  });
});
