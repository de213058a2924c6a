import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../bench/server-process.ts';
import { ledgerFaults } from '../support/ledger-invariant.ts';
import { onPostgres, testPlugin } from '../support/plugin.ts';

/**
 * Exactness under real concurrency: two service processes on one PostgreSQL, 200
 * simultaneous bookings each followed by a ticket that is rung up and closed, against
 * purchases holding 20 credits in all. PGlite runs one transaction at a time and so
 * proves nothing here: this suite runs only with DATABASE_URL.
 */
const platformKey = 'concurrency-platform-key';
// Ports picked per run, so two checkouts can run this suite on one machine at once.
const base = 40_000 + Math.floor(Math.random() * 20_000);
const ports = [base, base + 1];

const startServer = (port: number) =>
  startServerProcess({ PORT: String(port), PUNCHCARD_PLATFORM_KEY: platformKey });

async function call(port: number, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe.runIf(onPostgres)('two service processes on one PostgreSQL', () => {
  let servers: ChildProcess[] = [];

  beforeAll(async () => {
    servers = await Promise.all(ports.map(startServer));
  }, 60_000);

  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM');
  });

  it('200 simultaneous bookings and ticket closes over 20 credits: exactly 20 covered, no 500', async () => {
    const tenant = await call(ports[0], platformKey, 'POST', '/v1/tenants', {
      name: 'race',
      preset: 'mytime',
    });
    expect(tenant.status).toBe(201);
    const { admin, staff } = tenant.body.keys as { admin: string; staff: string };
    const tenantId = tenant.body.id as string;
    await call(ports[0], admin, 'POST', '/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' });
    await call(ports[0], admin, 'POST', '/v1/items', {
      id: 'yoga',
      name: 'Yoga',
      kind: 'class',
      price: 2000,
    });
    await call(ports[0], admin, 'POST', '/v1/plans', {
      id: 'two',
      name: 'Two',
      kind: 'package',
      credits: 2,
      price: 3000,
      itemIds: ['yoga'],
    });
    const clients = ['c0', 'c1', 'c2', 'c3', 'c4'];
    for (const id of clients) {
      await call(ports[0], staff, 'POST', '/v1/clients', { id, name: id });
      for (let k = 0; k < 2; k++) {
        expect(
          (
            await call(ports[0], staff, 'POST', '/v1/purchases', {
              clientId: id,
              planId: 'two',
              locationId: 'loc',
            })
          ).status,
        ).toBe(201);
      }
    }
    const start = Date.now() + 7 * 24 * 3_600_000;
    for (let i = 0; i < 40; i++) {
      const startsAt = new Date(start + i * 3_600_000).toISOString();
      const endsAt = new Date(start + i * 3_600_000 + 1_800_000).toISOString();
      await call(ports[0], staff, 'POST', '/v1/sessions', {
        id: `s${i}`,
        itemId: 'yoga',
        locationId: 'loc',
        startsAt,
        endsAt,
      });
    }
    const statuses: number[] = [];
    const jobs = [];
    for (let i = 0; i < 200; i++) {
      const port = ports[i % 2];
      const clientId = clients[i % 5];
      const sessionId = `s${Math.floor(i / 5)}`;
      jobs.push(
        (async () => {
          const booked = await call(port, staff, 'POST', '/v1/reservations', {
            clientId,
            sessionId,
            channel: 'in_store',
          });
          statuses.push(booked.status);
          if (booked.status !== 201) return;
          const ticket = await call(ports[(i + 1) % 2], staff, 'POST', '/v1/tickets', {
            clientId,
            locationId: 'loc',
            lines: [{ itemId: 'yoga', reservationId: booked.body.id }],
          });
          statuses.push(ticket.status);
          if (ticket.status !== 201) return;
          statuses.push((await call(port, staff, 'POST', `/v1/tickets/${ticket.body.id}/close`)).status);
        })(),
      );
    }
    await Promise.all(jobs);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(200);

    const { orm } = await testPlugin();
    const conn = orm.em.fork().getConnection();
    const [covered] = await conn.execute(
      `select count(*)::int as n, coalesce(sum(covered_units), 0)::int as units from reservations
        where tenant_id = ? and credit_state in ('held', 'used')`,
      [tenantId],
    );
    expect(covered).toEqual({ n: 20, units: 20 });
    const [totals] = await conn.execute(
      `select sum(total)::int as total, sum(used)::int as used, sum(held)::int as held, sum(remaining)::int as remaining
         from purchases where tenant_id = ?`,
      [tenantId],
    );
    expect(totals).toEqual({ total: 20, used: 20, held: 0, remaining: 0 });
    expect(await ledgerFaults([tenantId])).toEqual([]);
  }, 120_000);
});
