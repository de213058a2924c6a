import { beforeAll, describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/http/instant.ts';
import { loadPreset } from '../../src/policy/index.ts';
import { request } from '../support/api.ts';
import { addPlan, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

/** Each passes ajv's plain `date-time` check; none is a Date both JavaScript and PostgreSQL hold. */
const unrepresentable = [
  '2016-12-31T23:59:60Z', // a leap second
  '0000-01-01T00:00:00Z', // no year 0 in PostgreSQL
  '1899-12-31T23:59:59Z',
  '9000-01-01T00:00:00Z',
  '8999-12-31T23:59:59-01:00', // 9000 in UTC
  '2026-02-29T10:00:00Z', // not a leap year
  '2026-04-31T10:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T10:00:00+24:00',
];

describe('every instant is parsed once into a valid Date, or refused with 422', () => {
  it('the parser: exact instants for valid text, null for the rest', () => {
    expect(parseInstant('2024-02-29T10:00:00.123456+05:30')?.toISOString()).toBe('2024-02-29T04:30:00.123Z');
    expect(parseInstant('1900-01-01T00:00:00Z')?.toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(parseInstant('8999-12-31T23:59:59.999Z')?.getTime()).toBe(Date.UTC(9000, 0, 1) - 1);
    expect(parseInstant('2026-03-03t10:00:00z')?.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    for (const text of [
      ...unrepresentable,
      '2026-03-03T10:00:00',
      '2026-03-03 10:00:00Z',
      '+002026-03-03T10:00:00Z',
    ])
      expect(parseInstant(text), text).toBeNull();
  });

  it('sessions, purchases, simulate, sweeps and the report filters answer 422 at the pointer', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Two', credits: 2 });
    const ruleset = loadPreset('mytime');
    const ok = '2026-03-03T10:00:00Z';
    for (const bad of unrepresentable) {
      const cases: [string, string, unknown, string][] = [
        [
          'POST',
          '/v1/sessions',
          { itemId: 'yoga', locationId: 'loc', startsAt: bad, endsAt: ok },
          '/startsAt',
        ],
        ['POST', '/v1/sessions', { itemId: 'yoga', locationId: 'loc', startsAt: ok, endsAt: bad }, '/endsAt'],
        [
          'POST',
          '/v1/purchases',
          { clientId: 'sarah', planId: plan, locationId: 'loc', purchasedAt: bad },
          '/purchasedAt',
        ],
        ['POST', '/v1/policy/simulate', { ruleset, from: bad, to: ok }, '/from'],
        ['POST', '/v1/policy/simulate', { ruleset, from: ok, to: bad }, '/to'],
        ['POST', '/v1/sweeps', { asOf: bad }, '/asOf'],
      ];
      for (const [method, path, body, pointer] of cases) {
        const res = await request(method, path, { key: t.admin, body });
        expect(res.status, `${path} ${bad}`).toBe(422);
        expect(res.body.errors).toEqual([{ path: pointer, message: expect.stringContaining('RFC 3339') }]);
      }
      for (const filter of ['from', 'to']) {
        const res = await request('GET', `/v1/reports/credits?${filter}=${encodeURIComponent(bad)}`, {
          key: t.staff,
        });
        expect(res.status, `report ${filter}=${bad}`).toBe(422);
        expect(res.body.errors).toEqual([
          { path: `/${filter}`, message: expect.stringContaining('RFC 3339') },
        ]);
      }
    }
    const balances = await t.as('staff').get('/v1/clients/sarah/balances');
    expect(balances.body.purchases).toEqual([]);
  });

  it('the edges of the range are accepted and stored exactly', async () => {
    const t = await newStudio();
    const early = await t.as('staff').post('/v1/sessions', {
      itemId: 'yoga',
      locationId: 'loc',
      startsAt: '1900-01-01T00:00:00Z',
      endsAt: '1900-01-01T01:00:00.5+01:00',
    });
    expect(early.status).toBe(201);
    expect([early.body.startsAt, early.body.endsAt]).toEqual([
      '1900-01-01T00:00:00.000Z',
      '1900-01-01T00:00:00.500Z',
    ]);
    const late = await t.as('staff').post('/v1/sessions', {
      itemId: 'yoga',
      locationId: 'loc',
      startsAt: '8999-12-31T22:00:00Z',
      endsAt: '8999-12-31T23:59:59.999Z',
    });
    expect(late.status).toBe(201);
    expect(late.body.endsAt).toBe('8999-12-31T23:59:59.999Z');
  });
});
