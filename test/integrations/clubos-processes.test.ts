import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../bench/server-process.ts';
import { onPostgres } from '../support/plugin.ts';
import { startReceiver } from './support/receiver.ts';

/**
 * Club OS forwarding with the service as it is deployed: separate processes on one
 * PostgreSQL. They get a database of their own, so no other dispatcher (such as this
 * test worker's) can deliver in their place.
 */
const platformKey = 'clubos-processes-platform-key';
const base = 40_000 + Math.floor(Math.random() * 20_000);
const databaseName = `punchcard_clubos_${randomUUID().slice(0, 8)}`;
const serverUrl = (process.env.DATABASE_URL ?? '').replace(/\/[^/]*$/, `/${databaseName}`);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const servers: ChildProcess[] = [];
const start = async (port: number) => {
  const server = await startServerProcess({
    PORT: String(port),
    DATABASE_URL: serverUrl,
    PUNCHCARD_PLATFORM_KEY: platformKey,
    PUNCHCARD_RETRY_BASE_MS: '400',
    PUNCHCARD_RETRY_CAP_MS: '800',
    PUNCHCARD_DELIVERY_TIMEOUT_MS: '2000',
    // Club OS stands in on this machine.
    PUNCHCARD_ALLOW_PRIVATE_TARGETS: '1',
  });
  servers.push(server);
  return server;
};

async function call(port: number, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function studio(port: number, clubOsUrl: string) {
  const tenant = await call(port, platformKey, 'POST', '/v1/tenants', { name: 'club', preset: 'mytime' });
  expect(tenant.status).toBe(201);
  const { admin: adminKey, staff } = tenant.body.keys as { admin: string; staff: string };
  const setup: [string, unknown][] = [
    ['/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' }],
    ['/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 }],
    [
      '/v1/plans',
      {
        id: 'club',
        name: 'Club',
        kind: 'package',
        credits: 5,
        price: 5000,
        itemIds: ['yoga'],
        integrations: { clubOs: true },
      },
    ],
    ['/v1/clients', { id: 'sam', name: 'Sam' }],
  ];
  for (const [path, body] of setup) expect((await call(port, adminKey, 'POST', path, body)).status).toBe(201);
  const configured = await call(port, adminKey, 'PUT', '/v1/integrations/clubos', {
    enabled: true,
    url: clubOsUrl,
    apiKey: 'k',
  });
  expect(configured.status).toBe(200);
  return { staff };
}

describe.runIf(onPostgres)('Club OS with service processes', () => {
  beforeAll(() => admin(`create database ${databaseName}`));
  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await admin(`drop database if exists ${databaseName} with (force)`);
  });

  it('a restart between failures loses nothing: delivered once by the next process', {
    timeout: 120_000,
  }, async () => {
    const clubOs = await startReceiver((n) => (n <= 3 ? 500 : 200));
    const first = await start(base);
    const { staff } = await studio(base, clubOs.url);
    const sold = await call(base, staff, 'POST', '/v1/purchases', {
      clientId: 'sam',
      planId: 'club',
      locationId: 'loc',
    });
    expect(sold.status).toBe(201);
    await until(() => clubOs.calls.length >= 1, 20_000, 'the first attempt');
    first.kill('SIGKILL');
    const failedBefore = clubOs.calls.length;
    expect(failedBefore).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(clubOs.calls.length).toBe(failedBefore);

    await start(base + 1);
    await until(() => clubOs.calls.length >= 4, 30_000, 'delivery after the restart');
    await new Promise((r) => setTimeout(r, 1000));
    expect(clubOs.calls.length).toBe(4);
    expect(new Set(clubOs.calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    const shown = await call(base + 1, staff, 'GET', `/v1/purchases/${sold.body.id}`);
    expect(shown.body.integrations.clubos.status).toBe('delivered');
    // The attempt the kill interrupted reached Club OS but was never recorded by the dead process.
    expect([3, 4]).toContain(shown.body.integrations.clubos.attempts);
    await clubOs.close();
  });

  it('two service processes deliver each purchase once', { timeout: 120_000 }, async () => {
    const clubOs = await startReceiver(() => 200);
    const ports = [base + 1, base + 2];
    await start(ports[1]);
    const { staff } = await studio(ports[0], clubOs.url);
    const sold = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(ports[i % 2], staff, 'POST', '/v1/purchases', {
          clientId: 'sam',
          planId: 'club',
          locationId: 'loc',
        }),
      ),
    );
    expect(sold.map((s) => s.status)).toEqual(Array(10).fill(201));
    const keys = () => new Set(clubOs.calls.map((c) => c.headers['idempotency-key']));
    await until(() => keys().size === 10, 30_000, 'all ten purchases at Club OS');
    await new Promise((r) => setTimeout(r, 1500));
    expect(clubOs.calls.length).toBe(10);
    await clubOs.close();
  });
});
