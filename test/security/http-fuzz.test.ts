import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { onPostgres, platformKey, testPlugin } from '../support/plugin.ts';
import { shapedBy } from '../support/schema-arbitrary.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every write route the app serves, read from the app itself. */
async function writeRoutes(): Promise<{ method: string; path: string }[]> {
  const { app } = await testPlugin();
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes)
    if (writes.has(r.method)) seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  return [...seen.values()];
}

/**
 * Row counts that an error must leave unchanged: every tenant-owned table for the tenant, and its keys' records; on PGlite (one database per worker) every table.
 * The dispatcher's own bookkeeping (its cursors and delivery records) is left out: a background loop writes it after
 * earlier commits, at any moment, whatever the request under test does. The events themselves (`outbox`) are counted.
 */
const dispatcherTables = new Set(['outbox_cursors', 'outbox_deliveries']);
let tableList: Promise<{ table_name: string; tenant: boolean }[]> | undefined;

async function counts(tenantId: string): Promise<Record<string, number>> {
  const { orm } = await testPlugin();
  const db = orm.em.fork().getConnection();
  tableList ??= db.execute<{ table_name: string; tenant: boolean }[]>(
    `select table_name, bool_or(column_name = 'tenant_id') as tenant
       from information_schema.columns
      where table_schema = current_schema() and table_name <> 'punchcard_migrations'
      group by table_name order by table_name`,
  );
  const tables = (await tableList).filter((t) => !dispatcherTables.has(t.table_name));
  const parts = tables.flatMap(({ table_name: t, tenant }) => [
    ...(tenant ? [`select '${t}' as name, count(*)::int as n from ${t} where tenant_id = ?`] : []),
    ...(onPostgres ? [] : [`select '${t}:all' as name, count(*)::int as n from ${t}`]),
  ]);
  parts.push(`select 'idempotency' as name, count(*)::int as n from idempotency_records where scope = ?`);
  const params = [...tables.filter((t) => t.tenant).map(() => tenantId), `tenant:${tenantId}`];
  const rows = await db.execute<{ name: string; n: number }[]>(parts.join(' union all '), params);
  return Object.fromEntries(rows.map((r: { name: string; n: number }) => [r.name, Number(r.n)]));
}

function expectProblem(status: number, headers: Headers, body: any, what: string, bodyAtFault: boolean) {
  expect(status, what).toBeLessThan(500);
  if (status < 400) return;
  expect(headers.get('content-type'), what).toBe('application/problem+json');
  expect(body, what).toMatchObject({
    type: 'about:blank',
    status,
    title: expect.any(String),
    detail: expect.any(String),
  });
  // A fault in the body has pointers into it; a fault in the URL (a NUL) has none to give.
  if (bodyAtFault && (status === 400 || status === 422)) {
    expect(body.errors?.length, `${what}: errors with pointers`).toBeGreaterThan(0);
    for (const e of body.errors) {
      expect(typeof e.message, what).toBe('string');
      expect(e.path === '' || e.path.startsWith('/'), `${what}: pointer ${e.path}`).toBe(true);
    }
  }
}

describe('fuzz: arbitrary and schema-shaped bodies to every write route', () => {
  it('never a 5xx; every 4xx is problem+json with pointers; an error writes nothing', async () => {
    const t = await newStudio('mytime');
    const plan = await addPlan(t, { id: 'ten', name: 'Ten', credits: 10 });
    const purchase = await buy(t, plan);
    const session = await addSession(t, {
      id: 'ses',
      startsAt: '2026-03-04T10:00:00Z',
      endsAt: '2026-03-04T11:00:00Z',
    });
    const reservation = await reserve(t, session);
    const ticket = await t
      .as('staff')
      .post('/v1/tickets', { clientId: 'sarah', locationId: 'loc', lines: [{ itemId: 'yoga' }] });
    const idOf: Record<string, string> = {
      purchases: purchase.id,
      reservations: reservation.id,
      tickets: ticket.body.id,
      sessions: session,
      clients: 'sarah',
    };
    const words = {
      ids: ['sarah', 'loc', 'yoga', 'ten', 'ses', purchase.id, reservation.id, 'mytime', 'gymgo', 'in_store'],
    };

    const doc = (await request('GET', '/openapi.json')).body;
    const resolve = (ref: string) =>
      ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((node: any, key) => node?.[key], doc);
    const routes = await writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const covered = new Set<string>();
    const statuses = new Set<number>();

    const requestArb = fc.constantFrom(...routes).chain((route) => {
      const documented = route.path.replace(/:(\w+)/g, '{$1}');
      const schema =
        doc.paths?.[documented]?.[route.method.toLowerCase()]?.requestBody?.content?.['application/json']
          ?.schema;
      const body = fc.oneof(
        {
          weight: 5,
          arbitrary: shapedBy(schema ?? { type: 'object' }, resolve, words).map(
            (v) => JSON.stringify(v) ?? '',
          ),
        },
        { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        // The same field twice: the text JSON.parse would silently take the last of.
        {
          weight: 1,
          arbitrary: shapedBy(schema, resolve, words).map((v) => {
            const text = JSON.stringify(v) ?? '';
            return text.startsWith('{"')
              ? `{"${text.slice(2, text.indexOf('"', 2))}":1,${text.slice(1)}`
              : text;
          }),
        },
        { weight: 1, arbitrary: fc.constant('') },
      );
      const id = fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('nope', '%00', 'a%2Fb', '..', '%E2%98%83') },
      );
      return fc.record({
        route: fc.constant(route),
        body,
        id,
        contentType: fc.oneof(
          { weight: 8, arbitrary: fc.constant('application/json') },
          { weight: 1, arbitrary: fc.constantFrom('text/plain', '') },
        ),
        role: fc.constantFrom<'admin' | 'staff'>('admin', 'admin', 'staff'),
        idempotencyKey: fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom('k1', 'k2') },
        ),
      });
    });

    await fc.assert(
      fc.asyncProperty(requestArb, async ({ route, body, id, contentType, role, idempotencyKey }) => {
        const resource = route.path.split('/')[2];
        const path = route.path.replace(/:id/, id ?? idOf[resource] ?? 'nope');
        const key = route.path === '/v1/tenants' ? platformKey : role === 'admin' ? t.admin : t.staff;
        const headers: Record<string, string> = { 'content-type': contentType };
        if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
        const before = await counts(t.id);
        const res = await request(route.method, path, { key, raw: body, headers });
        const what = `${route.method} ${path} ${contentType} ${JSON.stringify(body).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        expectProblem(res.status, res.headers, res.body, what, id !== '%00');
        if (res.status >= 400) expect(await counts(t.id), `${what}: nothing written`).toEqual(before);
        covered.add(`${route.method} ${route.path}`);
        statuses.add(res.status);
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(covered.size).toBeGreaterThan(routes.length / 2);
    // Both kinds of answer were exercised: some writes went through, most were refused.
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect([...statuses].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
  }, 180_000);
});
