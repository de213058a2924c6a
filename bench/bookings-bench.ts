import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { benchDatabase } from './bench-db.ts';
import { startServerProcess } from './server-process.ts';

/**
 * Bookings per second over HTTP on loopback, against a baseline: the same booking
 * transaction (lock the client, lock its purchases, insert the reservation, take the
 * credit, append the ledger entry) issued directly with `pg`. Same database, same
 * run, the same concurrency, each side for a fixed time. The service runs in its
 * own process, as deployed. The database already holds a history of ended
 * reservations for the same clients (BENCH_HISTORY, default 200 000), where
 * per-client scans would show.
 */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const history = Number(process.env.BENCH_HISTORY ?? 200_000);
const clients = 64;
const sessionsPerSide = 1000;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
}

/** Runs `work(i)` from `concurrency` loops until `seconds` have passed; latencies in ms. */
async function timed(work: (i: number) => Promise<void>): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        await work(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2));
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), count: latencies.length };
}

export async function benchBookings() {
  const db = await benchDatabase();
  const platformKey = 'bench-platform';
  const port = 39_500 + Math.floor(Math.random() * 400);
  const service = await startServerProcess({
    DATABASE_URL: db.url,
    PORT: String(port),
    PUNCHCARD_PLATFORM_KEY: platformKey,
  });
  const base = `http://127.0.0.1:${port}`;
  // The load comes from node:http on kept-alive sockets, the lightest client Node has:
  // it shares the machine's cores with the service and the database, and a heavier one
  // (fetch) would take CPU from the side it measures.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (key: string, path: string, body: unknown) =>
    new Promise<any>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) reject(new Error(`${path}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const tenant = await post(platformKey, '/v1/tenants', { id: 'bench', name: 'Bench', preset: 'mytime' });
  const { admin, staff } = tenant.keys;
  await post(admin, '/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' });
  await post(admin, '/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 });
  await post(admin, '/v1/plans', {
    id: 'big',
    name: 'Big',
    kind: 'package',
    credits: 1_000_000,
    price: 1,
    itemIds: ['yoga'],
  });
  for (let c = 0; c < clients; c++) {
    await post(staff, '/v1/clients', { id: `c${c}`, name: `c${c}` });
    await post(staff, '/v1/purchases', { clientId: `c${c}`, planId: 'big', locationId: 'loc' });
  }
  const sql = new pg.Pool({ connectionString: db.url, max: concurrency });
  const start = Date.now() + 86_400_000;
  // Sessions ahead for both sides, and a past of ended sessions with used credits.
  await sql.query(
    `insert into sessions (tenant_id, id, item_id, location_id, starts_at, ends_at, price, units, swept_at)
     select 'bench', 's' || g, 'yoga', 'loc', to_timestamp($1 / 1000.0) + g * interval '1 hour',
            to_timestamp($1 / 1000.0) + g * interval '1 hour' + interval '30 minutes', null, 1, null
       from generate_series(0, $2 - 1) g`,
    [start, sessionsPerSide * 2],
  );
  if (history > 0) {
    await sql.query(
      `insert into sessions (tenant_id, id, item_id, location_id, starts_at, ends_at, price, units, swept_at)
       select 'bench', 'old' || g, 'yoga', 'loc', now() - interval '400 days' + g * interval '1 hour',
              now() - interval '400 days' + g * interval '1 hour' + interval '30 minutes', null, 1, now()
         from generate_series(0, $1 - 1) g`,
      [Math.ceil(history / clients)],
    );
    await sql.query(
      `insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase,
              credit_state, covered_units, credit_seq, started_applied, ended_applied, created_at)
       select 'bench', 'old' || g, 'c' || (g % $2), 'old' || (g / $2), 'online', 'booked', null, false, 'none', 0, 0,
              true, true, now() - interval '400 days'
         from generate_series(0, $1 - 1) g`,
      [history, clients],
    );
    await sql.query('analyze');
  }
  const slot = (i: number, side: number) => ({
    clientId: `c${i % clients}`,
    sessionId: `s${side * sessionsPerSide + Math.floor(i / clients)}`,
  });

  // Warm-up, then the HTTP run.
  await Promise.all(
    Array.from({ length: clients }, (_, i) =>
      post(staff, '/v1/reservations', { ...slot(i, 0), channel: 'online' }),
    ),
  );
  const http = await timed((i) =>
    post(staff, '/v1/reservations', { ...slot(i + clients, 0), channel: 'online' }),
  );

  // Baseline: the same transaction straight through pg.
  const rawBook = async (i: number) => {
    const { clientId, sessionId } = slot(i, 1);
    const conn = await sql.connect();
    try {
      await conn.query('begin');
      await conn.query(`select id from clients where tenant_id = 'bench' and id = $1 for update`, [clientId]);
      const p = await conn.query(
        `select id, remaining from purchases where tenant_id = 'bench' and client_id = $1 order by id for update`,
        [clientId],
      );
      const id = `raw_${randomUUID()}`;
      await conn.query(
        `insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase,
           credit_state, covered_units, credit_seq, started_applied, ended_applied, created_at)
         values ('bench', $1, $2, $3, 'online', 'booked', $4, false, 'held', 1, 1, false, false, now())`,
        [id, clientId, sessionId, p.rows[0].id],
      );
      await conn.query(
        `update purchases set held = held + 1, remaining = remaining - 1 where tenant_id = 'bench' and id = $1`,
        [p.rows[0].id],
      );
      await conn.query(
        `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, reservation_id,
           actor, idempotency_key, occurred_at) values ('bench', $1, $2, 'hold', 0, 1, 0, 0, 0, $3, 'bench', $4, now())`,
        [`le_${randomUUID()}`, p.rows[0].id, id, `r:${id}:1`],
      );
      await conn.query('commit');
    } finally {
      conn.release();
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => rawBook(i)));
  const raw = await timed((i) => rawBook(i + clients));

  await sql.end();
  agent.destroy();
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  if (!process.env.BENCH_KEEP) await db.drop();
  else console.error(`kept ${db.url}`);
  const ratio = Number((http.perSecond / raw.perSecond).toFixed(2));
  const row = (side: string, run: Run) => ({
    side,
    concurrency,
    seconds,
    history,
    ...run,
    perSecond: Math.round(run.perSecond),
  });
  return [{ ...row('http (service process)', http), ratio }, row('raw pg transaction', raw)];
}
