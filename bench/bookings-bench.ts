import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';
import { benchDatabase } from './bench-db.ts';
import { backends, cpuSeconds, sampleWaits } from './cpu.ts';
import { startServerProcess } from './server-process.ts';

/**
 * Bookings per second over HTTP on loopback, against a baseline: the same booking
 * transaction (lock the client, lock its purchases, insert the reservation, take the
 * credit, append the ledger entry) issued directly with `pg`. Same database, same
 * run, the same concurrency, each side for a fixed time. The service runs in its
 * own process, as deployed. The database already holds a history of ended
 * reservations for the same clients (BENCH_HISTORY, default 200 000), where
 * per-client scans would show. Three runs:
 * - spread: 200 clients booking sessions ahead, each worker a different slot;
 * - 6 am class: every worker books a different client into ONE session;
 * - history: clients with 500 used-up purchases against clients with 5.
 * For the HTTP side it states statements per booking (counted in the service),
 * CPU per booking of the service and of PostgreSQL's backends, and the backends'
 * wait events sampled during the run.
 */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const history = Number(process.env.BENCH_HISTORY ?? 200_000);
const clients = 200;
const sessionsPerSide = 1000;

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
}

/** Runs `work(i)` from `concurrency` loops until `seconds` have passed (or `limit` calls); latencies in ms. */
async function timed(
  work: (i: number) => Promise<void>,
  limit = Number.POSITIVE_INFINITY,
  workers = concurrency,
): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline && next < limit) {
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
  const database = new URL(db.url).pathname.slice(1);
  const platformKey = 'bench-platform';
  const port = 39_500 + Math.floor(Math.random() * 400);
  const service = await startServerProcess({
    DATABASE_URL: db.url,
    PORT: String(port),
    PUNCHCARD_PLATFORM_KEY: platformKey,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ./bench/count-statements.ts`,
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
  const sql = new pg.Pool({ connectionString: db.url, max: concurrency });
  // Clients with one big purchase each, written straight into the tables (with their
  // grant entries, so balances still equal the ledger): `count` clients named
  // prefix0…, each also with `old` used-up purchases sold two years ago.
  const addClients = async (prefix: string, count: number, old = 0) => {
    await sql.query(
      `insert into clients (tenant_id, id, name) select 'bench', $1 || g, $1 || g from generate_series(0, $2 - 1) g`,
      [prefix, count],
    );
    await sql.query(
      `insert into purchases (tenant_id, id, client_id, plan_id, location_id, purchased_at, expires_at, status, source,
              unlimited, total, held, used, deducted, expired, remaining, created_at)
       select 'bench', $1 || g || '_p' || k, $1 || g, 'big', 'loc',
              case when k = 0 then now() else now() - interval '730 days' + k * interval '1 minute' end, null,
              'active', 'pos', false, case when k = 0 then 1000000 else 10 end, 0, case when k = 0 then 0 else 10 end,
              0, 0, case when k = 0 then 1000000 else 0 end, now()
         from generate_series(0, $2 - 1) g, generate_series(0, $3) k`,
      [prefix, count, old],
    );
    await sql.query(
      `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, actor,
              idempotency_key, occurred_at)
       select 'bench', 'le_' || p.id || '_' || x.kind, p.id, x.kind, x.total, 0, x.used, 0, 0, 'bench',
              x.kind || ':' || p.id, p.purchased_at
         from purchases p, lateral (values ('grant', p.total, 0), ('use', 0, p.used)) x(kind, total, used)
        where p.tenant_id = 'bench' and p.client_id like $1 || '%' and (x.kind = 'grant' or p.used > 0)`,
      [prefix],
    );
  };
  for (let c = 0; c < clients; c++) {
    await post(staff, '/v1/clients', { id: `c${c}`, name: `c${c}` });
    await post(staff, '/v1/purchases', { clientId: `c${c}`, planId: 'big', locationId: 'loc' });
  }
  const sixAm = 8000;
  await addClients('m', sixAm);
  const historyClients = 16;
  await addClients('h', historyClients, 499);
  await addClients('f', historyClients, 4);
  const start = Date.now() + 86_400_000;
  // Sessions ahead for both sides, the two 6 am classes, and a past of ended sessions.
  await sql.query(
    `insert into sessions (tenant_id, id, item_id, location_id, starts_at, ends_at, price, units, swept_at)
     select 'bench', 's' || g, 'yoga', 'loc', to_timestamp($1 / 1000.0) + g * interval '1 hour',
            to_timestamp($1 / 1000.0) + g * interval '1 hour' + interval '30 minutes', null::bigint, 1, null::timestamptz
       from generate_series(0, $2 - 1) g
     union all
     select 'bench', x, 'yoga', 'loc', to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0) + interval '1 hour', null, 1, null
       from unnest(array['six_http', 'six_raw']) x`,
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
  }
  await sql.query('analyze');
  const slot = (i: number, side: number) => ({
    clientId: `c${i % clients}`,
    sessionId: `s${side * sessionsPerSide + Math.floor(i / clients)}`,
  });
  const statements = async () => {
    const before = service.output().length;
    service.kill('SIGUSR2');
    for (let tries = 0; tries < 50; tries++) {
      const m = /statements (\d+)/.exec(service.output().slice(before));
      if (m) return Number(m[1]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Number.NaN;
  };
  /** One HTTP run with the service's statements, both sides' CPU and the database's waits. */
  const measured = async (work: (i: number) => Promise<void>, limit?: number) => {
    const pids = await backends(sql, database);
    const pgBefore = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
    const serviceBefore = cpuSeconds(service.pid ?? 0);
    const statementsBefore = await statements();
    const load = loadavg()[0];
    const { result: run, waits } = await sampleWaits(sql, database, () => timed(work, limit));
    const statementsAfter = await statements();
    const serviceCpu = cpuSeconds(service.pid ?? 0) - serviceBefore;
    let pgCpu = 0;
    for (const pid of await backends(sql, database)) pgCpu += cpuSeconds(pid) - (pgBefore.get(pid) ?? 0);
    const top = Object.entries(waits)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([w, n]) => `${w} ${n}`)
      .join(', ');
    return {
      run,
      detail: {
        statementsPerBooking: Number(((statementsAfter - statementsBefore) / run.count).toFixed(2)),
        serviceCpuMs: Number(((serviceCpu * 1000) / run.count).toFixed(2)),
        postgresCpuMs: Number(((pgCpu * 1000) / run.count).toFixed(2)),
        waits: top,
        load1: Number(load.toFixed(1)),
      },
    };
  };

  /** A baseline run with PostgreSQL's CPU per booking (all the database's backends; the service's sit idle). */
  const measuredRaw = async (work: (i: number) => Promise<void>, limit?: number) => {
    const pgBefore = new Map((await backends(sql, database)).map((pid) => [pid, cpuSeconds(pid)]));
    const load = loadavg()[0];
    const run = await timed(work, limit);
    let pgCpu = 0;
    for (const pid of await backends(sql, database)) pgCpu += cpuSeconds(pid) - (pgBefore.get(pid) ?? 0);
    return {
      run,
      detail: {
        postgresCpuMs: Number(((pgCpu * 1000) / run.count).toFixed(2)),
        load1: Number(load.toFixed(1)),
      },
    };
  };

  // Baseline: the same transaction straight through pg.
  const rawBook = async (clientId: string, sessionId: string) => {
    const conn = await sql.connect();
    try {
      await conn.query('begin');
      await conn.query(`select id from clients where tenant_id = 'bench' and id = $1 for update`, [clientId]);
      const p = await conn.query(
        `select id, remaining from purchases where tenant_id = 'bench' and client_id = $1 and remaining > 0
          order by id for update`,
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
  const httpBook = (clientId: string, sessionId: string) =>
    post(staff, '/v1/reservations', { clientId, sessionId, channel: 'online' });

  // Warm-up, then the spread run: each side its own sessions.
  await Promise.all(
    Array.from({ length: clients }, (_, i) => httpBook(slot(i, 0).clientId, slot(i, 0).sessionId)),
  );
  const spread = await measured((i) => {
    const s = slot(i + clients, 0);
    return httpBook(s.clientId, s.sessionId);
  });
  await Promise.all(
    Array.from({ length: clients }, (_, i) => rawBook(slot(i, 1).clientId, slot(i, 1).sessionId)),
  );
  const spreadRaw = await measuredRaw((i) => {
    const s = slot(i + clients, 1);
    return rawBook(s.clientId, s.sessionId);
  });

  // The 6 am class: every booking a different client, all into one session.
  const six = await measured((i) => httpBook(`m${i}`, 'six_http'), sixAm);
  const sixRaw = await measuredRaw((i) => rawBook(`m${i}`, 'six_raw'), sixAm);

  // History: the same bookings for clients with 500 purchases and with 5, interleaved
  // (even calls book a client with 5, odd ones a client with 500), so drift in the
  // machine's load falls on both alike.
  const byHistory: Record<'f' | 'h', number[]> = { f: [], h: [] };
  await timed(
    async (i) => {
      const prefix = i % 2 === 0 ? 'f' : 'h';
      const n = Math.floor(i / 2);
      const t0 = performance.now();
      await httpBook(`${prefix}${n % historyClients}`, `s${Math.floor(n / historyClients)}`);
      byHistory[prefix].push(performance.now() - t0);
    },
    2 * historyClients * 100,
    4,
  );
  const summary = (latencies: number[]): Run => {
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Number(latencies[Math.floor(q * (latencies.length - 1))].toFixed(2));
    return { perSecond: Number.NaN, p50: at(0.5), p99: at(0.99), count: latencies.length };
  };
  const few = summary(byHistory.f);
  const many = summary(byHistory.h);

  await sql.end();
  agent.destroy();
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  if (!process.env.BENCH_KEEP) await db.drop();
  else console.error(`kept ${db.url}`);
  const row = (side: string, run: Run, extra: Record<string, unknown> = {}) => ({
    side,
    concurrency,
    seconds,
    history,
    ...run,
    perSecond: Number.isNaN(run.perSecond) ? undefined : Math.round(run.perSecond),
    ...extra,
  });
  const ratio = (a: Run, b: Run) => Number((a.perSecond / b.perSecond).toFixed(2));
  return [
    row('spread: http (service process)', spread.run, {
      ratio: ratio(spread.run, spreadRaw.run),
      ...spread.detail,
    }),
    row('spread: raw pg transaction', spreadRaw.run, { statementsPerBooking: 7, ...spreadRaw.detail }),
    row('6 am class: http', six.run, { ratio: ratio(six.run, sixRaw.run), ...six.detail }),
    row('6 am class: raw pg transaction', sixRaw.run, { statementsPerBooking: 7, ...sixRaw.detail }),
    row('5 purchases per client: http (4 workers)', few),
    row('500 purchases per client: http (4 workers)', many, {
      ratio: Number((many.p50 / few.p50).toFixed(2)),
    }),
  ];
}
