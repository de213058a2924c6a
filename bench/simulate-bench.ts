import pg from 'pg';
import { createCreditsPlugin } from '../src/plugin.ts';
import { loadPreset } from '../src/policy/index.ts';
import { benchDatabase } from './bench-db.ts';
import { seed } from './sweep-bench.ts';

/**
 * `POST /v1/policy/simulate` over N reservations of one tenant (seeded with SQL as
 * the sweep bench does), while another tenant books: its booking latency with no
 * simulate running, then while one runs, in the same process (one event loop, as a
 * service process has). A simulate that held the event loop would show as the
 * second p99 jumping to the simulate's length.
 */
const clients = 16;
const concurrency = 4;
const minBookings = 300;
const clock = new Date('2026-06-01T00:00:00Z');

interface Latencies {
  bookings: number;
  p50: number;
  p99: number;
  max: number;
}

function summary(latencies: number[]): Latencies {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1));
  return { bookings: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export async function benchSimulate(size = Number(process.env.BENCH_SIMULATE_SIZE ?? 100_000)) {
  const db = await benchDatabase();
  const plugin = await createCreditsPlugin({ databaseUrl: db.url, platformKey: 'bench', clock: () => clock });
  const call = async (key: string, path: string, body: unknown) => {
    const res = await plugin.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  const keys: Record<string, { admin: string; staff: string }> = {};
  for (const id of ['sim', 'other'])
    keys[id] = (await call('bench', '/v1/tenants', { id, name: id, preset: 'mytime' })).keys;
  await seed(db.url, 'sim', size);
  // The other tenant: clients with a large package each, and sessions ahead to book.
  const { admin, staff } = keys.other;
  await call(admin, '/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' });
  await call(admin, '/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 });
  await call(admin, '/v1/plans', {
    id: 'big',
    name: 'Big',
    kind: 'package',
    credits: 100_000,
    price: 1,
    itemIds: ['yoga'],
  });
  for (let c = 0; c < clients; c++) {
    await call(staff, '/v1/clients', { id: `c${c}`, name: `c${c}` });
    await call(staff, '/v1/purchases', { clientId: `c${c}`, planId: 'big', locationId: 'loc' });
  }
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(
    `insert into sessions (tenant_id, id, item_id, location_id, starts_at, ends_at, price, units, swept_at)
     select 'other', 's' || g, 'yoga', 'loc', timestamptz '2026-06-02' + g * interval '1 hour',
            timestamptz '2026-06-02' + g * interval '1 hour' + interval '30 minutes', null, 1, null
       from generate_series(0, 9999) g`,
  );
  await sql.query('analyze');
  await sql.end();

  let next = 0;
  const book = async () => {
    const i = next++;
    const started = performance.now();
    await call(staff, '/v1/reservations', {
      clientId: `c${i % clients}`,
      sessionId: `s${Math.floor(i / clients)}`,
      channel: 'online',
    });
    return performance.now() - started;
  };
  /** `concurrency` loops of bookings until `until()` says stop and at least minBookings are done. */
  const load = async (until: () => boolean) => {
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (latencies.length < minBookings || !until()) latencies.push(await book());
      }),
    );
    return latencies;
  };
  await load(() => true); // warm-up
  const alone = summary(await load(() => true));

  let simulated = false;
  const started = performance.now();
  const simulation = call(keys.sim.admin, '/v1/policy/simulate', {
    ruleset: loadPreset('gymgo'),
    from: '2026-01-01T00:00:00Z',
    to: '2026-12-31T00:00:00Z',
  }).then((answer) => {
    simulated = true;
    return { answer, seconds: (performance.now() - started) / 1000 };
  });
  const during = summary(await load(() => simulated));
  const { answer, seconds } = await simulation;
  if (answer.totals.reservations !== size)
    throw new Error(`simulated ${answer.totals.reservations} of ${size}`);

  await plugin.close();
  if (!process.env.BENCH_KEEP) await db.drop();
  else console.error(`kept ${db.url}`);
  return [
    { run: 'bookings alone', ...alone, simulateSeconds: null },
    {
      run: `bookings during simulate of ${size}`,
      ...during,
      simulateSeconds: Number(seconds.toFixed(2)),
      p99Ratio: Number((during.p99 / alone.p99).toFixed(2)),
    },
  ];
}
