import { describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';

/** Whatever a caller sends, the answer is a 4xx problem, never a 5xx. */
const junk: (string | undefined)[] = [
  'null',
  '[]',
  '"text"',
  '42',
  'true',
  '{"id": {"$ne": 1}}',
  '{',
  '{"price": 1e309}',
  undefined,
];

describe('bad input never answers 5xx', () => {
  it('every write route, with malformed and mistyped bodies', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: '2', credits: 2 }));
    const r = await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    const ticket = (
      await t
        .as('staff')
        .post('/v1/tickets', { clientId: 'sarah', locationId: 'loc', lines: [{ itemId: 'yoga' }] })
    ).body;
    const routes: [string, string][] = [
      ['POST', '/v1/locations'],
      ['POST', '/v1/items'],
      ['POST', '/v1/plans'],
      ['POST', '/v1/clients'],
      ['POST', '/v1/purchases'],
      ['POST', `/v1/purchases/${p.id}/adjustments`],
      ['POST', `/v1/purchases/${p.id}/hold`],
      ['POST', '/v1/sessions'],
      ['POST', '/v1/reservations'],
      ['PUT', `/v1/reservations/${r.id}/purchase`],
      ['POST', '/v1/tickets'],
      ['POST', `/v1/tickets/${ticket.id}/save`],
      ['PUT', '/v1/policy'],
      ['PATCH', '/v1/policy/settings'],
      ['POST', '/v1/policy/rollback'],
      ['POST', '/v1/policy/simulate'],
      ['POST', '/v1/sweeps'],
    ];
    const statuses = new Set<number>();
    for (const [method, path] of routes) {
      for (const raw of junk) {
        const res = await request(method, path, {
          key: t.admin,
          raw,
          headers: raw === undefined ? {} : { 'content-type': 'application/json' },
        });
        if (res.status >= 500)
          throw new Error(
            `${method} ${path} with ${raw} answered ${res.status}: ${JSON.stringify(res.body)}`,
          );
        statuses.add(res.status);
      }
    }
    // Some of these bodies are acceptable (an empty body to /save, /hold, /sweeps).
    expect([...statuses].every((s) => s < 500)).toBe(true);
    expect(statuses.has(400)).toBe(true);
    expect(statuses.has(422)).toBe(true);
    const odd = await request('GET', '/v1/reports/credits?from=2026-13-45T99:00:00Z&clientId=', {
      key: t.staff,
    });
    expect(odd.status).toBe(422);
  });
});
