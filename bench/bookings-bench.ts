import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { benchDatabase } from './bench-db.ts';
import { startServerProcess } from './server-process.ts';

/**
 * Bookings per second over HTTP on loopback, against a baseline: the same booking
 * transaction (lock the client, lock its purchases, insert the reservation, take the
 * credit, append the ledger entry) issued directly with `pg`. Same database, same run.
 * The service runs in its own process, as deployed, so the load generator here does
 * not share its event loop.
 */
const bookings = Number(process.env.BENCH_BOOKINGS ?? 600);
const concurrency = 8;
const clients = 40;

async function pool<T>(count: number, work: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
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
  const post = async (key: string, path: string, body: unknown) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const tenant = await post(platformKey, '/v1/tenants', { id: 'bench', name: 'Bench', preset: 'mytime' });
  const { admin, staff } = tenant.keys;
  await post(admin, '/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' });
  await post(admin, '/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 });
  await post(admin, '/v1/plans', {
    id: 'big',
    name: 'Big',
    kind: 'package',
    credits: 100_000,
    price: 1,
    itemIds: ['yoga'],
  });
  for (let c = 0; c < clients; c++) {
    await post(staff, '/v1/clients', { id: `c${c}`, name: `c${c}` });
    await post(staff, '/v1/purchases', { clientId: `c${c}`, planId: 'big', locationId: 'loc' });
  }
  const sessionsNeeded = Math.ceil((80 + bookings * 2) / clients) + 1;
  const start = Date.now() + 86_400_000;
  for (let s = 0; s < sessionsNeeded; s++) {
    const startsAt = new Date(start + s * 3_600_000).toISOString();
    const endsAt = new Date(start + s * 3_600_000 + 1_800_000).toISOString();
    await post(staff, '/v1/sessions', { id: `s${s}`, itemId: 'yoga', locationId: 'loc', startsAt, endsAt });
  }
  const slot = (i: number) => ({ clientId: `c${i % clients}`, sessionId: `s${Math.floor(i / clients)}` });

  // Warm-up, then the HTTP run.
  await pool(40, (i) => post(staff, '/v1/reservations', { ...slot(i), channel: 'online' }));
  const httpStart = performance.now();
  await pool(bookings, (i) => post(staff, '/v1/reservations', { ...slot(i + 40), channel: 'online' }));
  const httpSeconds = (performance.now() - httpStart) / 1000;

  // Baseline: the same transaction straight through pg.
  const sql = new pg.Pool({ connectionString: db.url, max: concurrency });
  const purchases = new Map<string, string>();
  for (const row of (await sql.query(`select id, client_id from purchases where tenant_id = 'bench'`)).rows) {
    purchases.set(row.client_id, row.id);
  }
  const rawBook = async (i: number) => {
    const { clientId, sessionId } = slot(i);
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
  await pool(40, (i) => rawBook(i + 40 + bookings));
  const rawStart = performance.now();
  await pool(bookings, (i) => rawBook(i + 80 + bookings));
  const rawSeconds = (performance.now() - rawStart) / 1000;

  await sql.end();
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  await db.drop();
  const http = bookings / httpSeconds;
  const raw = bookings / rawSeconds;
  return {
    bookings,
    concurrency,
    httpPerSecond: http,
    rawSqlPerSecond: raw,
    ratio: http / raw,
    purchasesUsed: purchases.size,
  };
}
