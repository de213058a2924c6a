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

  it('B20 own: a 101-credit membership reads MEMBERSHIP USED; 100 credits reads Membership Used', async () => {
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: 'Big', kind: 'membership', credits: 101 }));
    const r = await reserve(t, await addSession(t, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.label).toBe(
      'MEMBERSHIP USED (#1/ UNLIMITED)',
    );
    setNow('2026-03-02T15:00:00Z');
    const u = await newStudio('mytime');
    await buy(u, await addPlan(u, { name: 'Hundred', kind: 'membership', credits: 100 }));
    const q = await reserve(u, await addSession(u, classAt('03')));
    setNow('2026-03-04T12:00:00Z');
    expect((await u.as('staff').get(`/v1/reservations/${q.id}`)).body.label).toBe('Membership Used');
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
  it('lists every use with the purchase balance, as JSON and as CSV', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { id: 'ten', name: 'Ten, "classic"', credits: 10 }));
    const r = await reserve(t, await addSession(t, classAt('03')));
    await reserve(t, await addSession(t, classAt('05')));
    setNow('2026-03-04T12:00:00Z');
    const json = await t.as('staff').get('/v1/reports/credits?clientId=sarah');
    expectStatus(json, 200);
    expect(json.body.rows).toEqual([
      {
        clientId: 'sarah',
        clientName: 'Sarah',
        purchaseId: p.id,
        planName: 'Ten, "classic"',
        entry: 'use',
        units: 1,
        reservationId: r.id,
        ticketId: null,
        occurredAt: '2026-03-03T15:00:00.000Z',
        total: 10,
        used: 1,
        held: 1,
        expired: 0,
        remaining: 8,
      },
    ]);
    const csv = await request('GET', '/v1/reports/credits?clientId=sarah', {
      key: t.staff,
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      'clientId,clientName,purchaseId,planName,entry,units,reservationId,ticketId,occurredAt,total,used,held,expired,remaining\r\n' +
        `sarah,Sarah,${p.id},"Ten, ""classic""",use,1,${r.id},,2026-03-03T15:00:00.000Z,10,1,1,0,8\r\n`,
    );
    const bad = await t.as('staff').get('/v1/reports/credits?from=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('/from');
    expect(bad.body.detail).toBe('the query string does not match the schema');
  });
});
