import { describe, expect, it } from 'vitest';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';

describe('tenant isolation on every route', () => {
  it("another tenant's ids answer 404 in the path and 422 in bodies, and nothing changes", async () => {
    const a = await newStudio('mytime');
    await a.as('staff').post('/v1/clients', { id: 'only-in-a', name: 'A' });
    const p = await buy(a, await addPlan(a, { id: 'a-plan', name: '5', credits: 5 }));
    const s = await addSession(a, {
      id: 'a-session',
      startsAt: '2026-03-03T10:00:00-05:00',
      endsAt: '2026-03-03T11:00:00-05:00',
    });
    const r = await reserve(a, s);
    const ticket = (
      await a.as('staff').post('/v1/tickets', {
        id: 'a-ticket',
        clientId: 'sarah',
        locationId: 'loc',
        lines: [{ itemId: 'yoga' }],
      })
    ).body;
    const b = await newStudio('mytime');
    const staff = b.as('staff');
    const admin = b.as('admin');
    const gets = [
      `/v1/purchases/${p.id}`,
      `/v1/purchases/${p.id}/ledger`,
      '/v1/clients/only-in-a/balances',
      `/v1/sessions/${s}`,
      `/v1/reservations/${r.id}`,
      `/v1/tickets/${ticket.id}`,
    ];
    for (const path of gets) expect([path, (await staff.get(path)).status]).toEqual([path, 404]);
    const posts: [string, unknown][] = [
      [`/v1/purchases/${p.id}/adjustments`, { delta: 1, reason: 'x' }],
      [`/v1/purchases/${p.id}/hold`, {}],
      [`/v1/reservations/${r.id}/check-in`, {}],
      [`/v1/reservations/${r.id}/no-show`, {}],
      [`/v1/reservations/${r.id}/cancel`, {}],
      [`/v1/tickets/${ticket.id}/save`, {}],
      [`/v1/tickets/${ticket.id}/close`, {}],
      [`/v1/tickets/${ticket.id}/void`, {}],
      [`/v1/tickets/${ticket.id}/refund`, {}],
    ];
    for (const [path, body] of posts)
      expect([path, (await staff.post(path, body)).status]).toEqual([path, 404]);
    expect((await staff.put(`/v1/reservations/${r.id}/purchase`, { purchaseId: p.id })).status).toBe(404);
    const bodies: [string, unknown, string][] = [
      ['/v1/purchases', { clientId: 'only-in-a', planId: 'a-plan', locationId: 'loc' }, '/clientId'],
      ['/v1/reservations', { clientId: 'sarah', sessionId: 'a-session', channel: 'online' }, '/sessionId'],
      [
        '/v1/tickets',
        { clientId: 'sarah', locationId: 'loc', lines: [{ itemId: 'yoga', reservationId: r.id }] },
        '/lines/0/reservationId',
      ],
    ];
    for (const [path, body, pointer] of bodies) {
      const res = await staff.post(path, body);
      expect([path, res.status, res.body.errors[0].path]).toEqual([path, 422, pointer]);
    }
    const sweep = await admin.post('/v1/sweeps', {});
    expect(sweep.body.sessions).toBe(0);
    const report = await staff.get('/v1/reports/credits');
    expect(report.body.rows).toEqual([]);
    // Tenant a is untouched.
    expect((await a.as('staff').get(`/v1/reservations/${r.id}`)).body).toMatchObject({
      status: 'booked',
      credit: { state: 'held' },
    });
    expect((await a.as('staff').get(`/v1/purchases/${p.id}`)).body).toMatchObject({
      remaining: 3,
      held: 1,
      used: 1,
      status: 'active',
    });
  });
});
