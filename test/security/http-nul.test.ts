import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/policy/index.ts';
import { request } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

/** PostgreSQL text cannot hold U+0000: a NUL anywhere is the caller's fault, found before any query. */
describe('a NUL character in any string or id', () => {
  it('in a body string or field name: 422 at its pointer, nothing written', async () => {
    const t = await newStudio();
    const admin = t.as('admin');
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/clients', { id: 'a\u0000b', name: 'N' }, '/id'],
      ['POST', '/v1/clients', { name: 'Na\u0000me' }, '/name'],
      ['POST', '/v1/locations', { name: 'L', timeZone: 'UTC\u0000' }, '/timeZone'],
      ['POST', '/v1/items', { name: 'I', kind: 'class', price: 1, itemType: '\u0000' }, '/itemType'],
      ['POST', '/v1/purchases', { clientId: 'sarah\u0000', planId: 'p', locationId: 'loc' }, '/clientId'],
      [
        'POST',
        '/v1/tickets',
        { clientId: 'sarah', locationId: 'loc', lines: [{ itemId: 'yoga' }, { itemId: 'yo\u0000ga' }] },
        '/lines/1/itemId',
      ],
      ['POST', '/v1/clients', { name: 'N', 'x\u0000': 1 }, '/x\u0000'],
      ['PUT', '/v1/policy', { ruleset: { ...loadPreset('mytime'), name: 'my\u0000time' } }, '/ruleset/name'],
      [
        'POST',
        '/v1/sessions',
        { itemId: 'yoga', locationId: 'loc', startsAt: '\u0000', endsAt: '' },
        '/startsAt',
      ],
    ];
    for (const [method, path, body, pointer] of cases) {
      const res = await request(method, path, { key: t.admin, body });
      expect(res.status, `${method} ${path} ${pointer}`).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.errors).toEqual([{ path: pointer, message: expect.stringContaining('NUL') }]);
    }
    const clients = await admin.get('/v1/clients/sarah/balances');
    expect(clients.status).toBe(200);
    expect((await admin.get('/v1/policy')).body.version).toBe(1);
  });

  it('in a path segment or a query value: 400, on reads and writes', async () => {
    const t = await newStudio();
    const p = await buy(t, await addPlan(t, { name: 'Two', credits: 2 }));
    await addSession(t, { startsAt: '2026-03-03T10:00:00Z', endsAt: '2026-03-03T11:00:00Z' });
    const urls: [string, string][] = [
      ['GET', '/v1/purchases/a%00b'],
      ['GET', '/v1/clients/%00/balances'],
      ['POST', `/v1/purchases/${p.id}%00/hold`],
      ['POST', '/v1/reservations/r%00/cancel'],
      ['GET', '/v1/reports/credits?clientId=sarah%00'],
      ['GET', '/v1/sessions/x%00y'],
    ];
    for (const [method, url] of urls) {
      const res = await request(method, url, { key: t.staff });
      expect(res.status, url).toBe(400);
      expect(res.body.detail).toBe('the URL contains a NUL character (%00)');
    }
    expect((await t.as('staff').get(`/v1/purchases/${p.id}`)).body.status).toBe('active');
  });
});
