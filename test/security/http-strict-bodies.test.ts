import { beforeAll, describe, expect, it } from 'vitest';
import { maxBodyDepth } from '../../src/http/json-body.ts';
import { request } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

const raw = (method: string, path: string, key: string, body: string | undefined, contentType?: string) =>
  request(method, path, {
    key,
    raw: body,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });

async function bookedStudio() {
  const t = await newStudio();
  const p = await buy(t, await addPlan(t, { name: 'Two', credits: 2 }));
  const s = await addSession(t, { startsAt: '2026-03-05T10:00:00Z', endsAt: '2026-03-05T11:00:00Z' });
  const r = await reserve(t, s);
  return { t, p, r };
}

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

describe('strict bodies', () => {
  it('unknown fields are 422 at their pointer, nested too', async () => {
    const t = await newStudio();
    const res = await t.as('admin').post('/v1/plans', {
      name: 'X',
      kind: 'package',
      credits: 1,
      price: 1,
      itemIds: [],
      commission: { basis: 'retail', rate: 3 },
      colour: 'red',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/commission/rate', message: 'is not a known field' },
        { path: '/colour', message: 'is not a known field' },
      ]),
    );
  });

  it('an action route refuses a body it does not take, and does not act', async () => {
    const { t, r, p } = await bookedStudio();
    const cancel = `/v1/reservations/${r.id}/cancel`;
    const refused: [string | undefined, number, string][] = [
      ['{"reason":"sick"}', 422, '/reason'],
      ['[]', 422, ''],
      ['"cancel"', 422, ''],
      ['null', 422, ''],
      ['{"a":', 400, ''],
    ];
    for (const [body, status, pointer] of refused) {
      const res = await raw('POST', cancel, t.staff, body, 'application/json');
      expect(res.status, body).toBe(status);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([pointer]);
    }
    expect((await t.as('staff').get(`/v1/reservations/${r.id}`)).body.status).toBe('booked');
    // The same on a ticket action and a purchase action (whose only field is `reason`).
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'yoga' }],
    });
    const save = await raw(
      'POST',
      `/v1/tickets/${ticket.body.id}/save`,
      t.staff,
      '{"now":true}',
      'application/json',
    );
    expect(save.status).toBe(422);
    expect((await t.as('staff').get(`/v1/tickets/${ticket.body.id}`)).body.status).toBe('open');
    const hold = await raw(
      'POST',
      `/v1/purchases/${p.id}/hold`,
      t.staff,
      '{"reason":"x","why":1}',
      'application/json',
    );
    expect(hold.status).toBe(422);
    expect(hold.body.errors).toEqual([{ path: '/why', message: 'is not a known field' }]);
    // An empty body (no content type) or {} is what an action takes.
    expect((await raw('POST', cancel, t.staff, undefined)).status).toBe(200);
    const checkIn = await raw('POST', `/v1/reservations/${r.id}/check-in`, t.staff, '{}', 'application/json');
    expect(checkIn.status).toBe(409); // canceled → check-in is a transition the state forbids
  });

  it('a body needs Content-Type: application/json (415), with or without a charset', async () => {
    const t = await newStudio();
    const body = '{"name":"Ann"}';
    // (fetch itself labels a string body text/plain when no type is given.)
    for (const type of ['', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await raw('POST', '/v1/clients', t.staff, body, type);
      expect(res.status, String(type)).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await raw('POST', '/v1/clients', t.staff, body, 'application/json; charset=utf-8')).status).toBe(
      201,
    );
    expect((await raw('POST', '/v1/clients', t.staff, body, 'Application/JSON')).status).toBe(201);
  });

  it('a key given twice is refused at its pointer, not last-wins', async () => {
    const t = await newStudio();
    const top = await raw(
      'POST',
      '/v1/clients',
      t.staff,
      '{"name":"A","id":"x","name":"B"}',
      'application/json',
    );
    expect(top.status).toBe(400);
    expect(top.body.errors).toEqual([{ path: '/name', message: 'is given more than once' }]);
    const nested = await raw(
      'POST',
      '/v1/tickets',
      t.staff,
      '{"clientId":"sarah","locationId":"loc","lines":[{"itemId":"yoga"},{"itemId":"yoga","units":1,"units":2}]}',
      'application/json',
    );
    expect(nested.status).toBe(400);
    expect(nested.body.errors).toEqual([{ path: '/lines/1/units', message: 'is given more than once' }]);
    // Escaped spellings of one key are the same key; pointer tokens are escaped.
    const escaped = await raw('POST', '/v1/clients', t.staff, '{"a/b":1,"a\\/b":2}', 'application/json');
    expect(escaped.body.errors).toEqual([{ path: '/a~1b', message: 'is given more than once' }]);
    // Equal keys in different objects are fine.
    const fine = await raw(
      'POST',
      '/v1/tickets',
      t.staff,
      '{"clientId":"sarah","locationId":"loc","lines":[{"itemId":"yoga"},{"itemId":"yoga"}]}',
      'application/json',
    );
    expect(fine.status).toBe(201);
  });

  it(`nesting deeper than ${maxBodyDepth} is 422 before any schema runs (10 000 deep too)`, async () => {
    const t = await newStudio();
    for (const depth of [maxBodyDepth + 1, 10_000]) {
      const body = `{"name":"A","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
      const res = await raw('POST', '/v1/clients', t.staff, body, 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe(`/x${'/0'.repeat(maxBodyDepth - 1)}`);
    }
  });
});
