import { beforeAll, describe, expect, it } from 'vitest';
import { maxMoney } from '../../src/http/schemas.ts';
import { request } from '../support/api.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

const int4 = 2 ** 31 - 1;

type Schema = { type?: string; minimum?: number; maximum?: number; [k: string]: unknown };

/** Every integer in every request body schema of the document, with its pointer. */
function integersOf(schema: unknown, at: string, out: [string, Schema][]): [string, Schema][] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Schema;
  if (s.type === 'integer') out.push([at, s]);
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' && value && typeof value === 'object')
      for (const [name, sub] of Object.entries(value)) integersOf(sub, `${at}/${name}`, out);
    else if (key === 'items') integersOf(value, `${at}/*`, out);
    else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf')
      for (const sub of value as unknown[]) integersOf(sub, at, out);
  }
  return out;
}

describe('money in minor units beyond 2³¹', () => {
  it('every integer a request body takes is bounded within its column', async () => {
    const doc = (await request('GET', '/openapi.json')).body;
    const found: [string, Schema][] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      // The rule-set routes' own schemas are checked with the rule sets.
      if (path.startsWith('/v1/policy')) continue;
      for (const [method, op] of Object.entries(ops))
        integersOf(op.requestBody?.content?.['application/json']?.schema, `${method} ${path} `, found);
    }
    expect(found.length).toBeGreaterThan(10);
    for (const [at, s] of found) {
      expect(typeof s.minimum, at).toBe('number');
      expect(typeof s.maximum, at).toBe('number');
      // Money is stored as bigint and read back as a JS number; everything else is int.
      const ceiling = s.description === 'Minor units (cents)' ? Number.MAX_SAFE_INTEGER : int4;
      expect(s.maximum as number, at).toBeLessThanOrEqual(ceiling);
      expect(s.minimum as number, at).toBeGreaterThanOrEqual(-int4 - 1);
    }
  });

  it('prices past 2³¹ are stored and read back exactly; a line at the limit × 366 units too', async () => {
    const t = await newStudio();
    const admin = t.as('admin');
    const big = 2 ** 31 + 7;
    const item = await admin.post('/v1/items', {
      id: 'villa',
      name: 'Villa',
      kind: 'appointment',
      price: big,
    });
    expect(item.status).toBe(201);
    expect(item.body.price).toBe(big);
    const plan = await addPlan(t, {
      id: 'gold',
      name: 'Gold',
      credits: 1,
      price: maxMoney,
      itemIds: ['villa'],
    });
    expect(plan).toBe('gold');
    const purchase = await buy(t, 'gold');
    expect(purchase.total).toBe(1);
    const session = await t.as('staff').post('/v1/sessions', {
      itemId: 'villa',
      locationId: 'loc',
      startsAt: '2026-03-10T15:00:00Z',
      endsAt: '2026-03-20T10:00:00Z',
      price: maxMoney,
      units: 10,
    });
    expect(session.status).toBe(201);
    expect(session.body.price).toBe(maxMoney);
    const ticket = await t.as('staff').post('/v1/tickets', {
      clientId: 'sarah',
      locationId: 'loc',
      lines: [{ itemId: 'villa', price: maxMoney, units: 366 }],
    });
    expect(ticket.status).toBe(201);
    // One credit covers one of the 366 units.
    expect(ticket.body.lines[0]).toMatchObject({ unitPrice: maxMoney, units: 366, coveredUnits: 1 });
    expect(ticket.body.total).toBe(365 * maxMoney);
    expect(ticket.body.retailTotal).toBe(366 * maxMoney);
    const again = await t.as('staff').get(`/v1/tickets/${ticket.body.id}`);
    expect(again.body.total).toBe(365 * maxMoney);
  });

  it('one above the bound is 422 at its pointer, nothing written', async () => {
    const t = await newStudio();
    const cases: [string, unknown, string][] = [
      ['/v1/items', { name: 'X', kind: 'class', price: maxMoney + 1 }, '/price'],
      ['/v1/plans', { name: 'X', kind: 'package', credits: 1, price: 1e12, itemIds: [] }, '/price'],
      [
        '/v1/sessions',
        {
          itemId: 'yoga',
          locationId: 'loc',
          startsAt: '2026-03-03T10:00:00Z',
          endsAt: '2026-03-03T11:00:00Z',
          price: 2 ** 53,
        },
        '/price',
      ],
      ['/v1/plans', { name: 'X', kind: 'package', credits: 2 ** 31, price: 1, itemIds: [] }, '/credits'],
    ];
    for (const [path, body, pointer] of cases) {
      const res = await request('POST', path, { key: t.admin, body });
      expect(res.status, path).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([pointer]);
    }
  });
});
