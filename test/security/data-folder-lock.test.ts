import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, serverProcessRefused, startServerProcess } from '../../bench/server-process.ts';

/**
 * Embedded mode as deployed: real processes on one PGlite data folder. The first
 * takes the folder; a second exits non-zero with a message naming the owner, and the
 * first keeps serving. Also what a newcomer sees at start: the address listened on,
 * the platform key only when generated, owner-only demo keys, curl lines that book.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'punchcard-lock-'));
const port = 41_000 + Math.floor(Math.random() * 15_000);
// Embedded mode even when the suite itself runs on PostgreSQL.
const env = { PUNCHCARD_DATA_DIR: dataDir, DATABASE_URL: '', PUNCHCARD_DEMO: '1' };
const running: ServerProcess[] = [];

const stopped = (child: ServerProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded data folder belongs to one process', () => {
  it('a second process on the same folder exits 1 with a clear message; the first keeps serving', async () => {
    const first = await startServerProcess({ ...env, PORT: String(port) }, 150_000);
    running.push(first);
    const banner = first.output();
    // Loopback by default, and the banner says the address actually bound.
    expect(banner).toContain(`punchcard listening on http://127.0.0.1:${port} `);
    // A generated platform key is printed (it is the only way to learn it).
    const platformKey = /platform key: (pk_platform_\S+) \(random/.exec(banner)?.[1];
    expect(platformKey).toBeDefined();
    // The demo: keys kept owner-only, curl lines that sell and book with Idempotency-Keys.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'demo-keys.json')).mode & 0o777).toBe(0o600);
    const lines = banner.split('\n').filter((l) => l.trim().startsWith('curl'));
    expect(lines.map((l) => /(POST|GET)? ?http:\/\/[^ ]+(\/v1\/[a-z/]+)/.exec(l)?.[2])).toEqual([
      '/v1/purchases',
      '/v1/reservations',
      '/v1/clients/sarah/balances',
      '/v1/policy',
    ]);
    expect(lines.filter((l) => l.includes("-H 'idempotency-key: demo-"))).toHaveLength(2);

    // Pasting the sale twice sells once; the booking holds one credit.
    const staff = /staff key (pk_staff_\S+)/.exec(banner)?.[1] ?? '';
    const post = (path: string, body: unknown, key: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${staff}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    const sale = { clientId: 'sarah', planId: 'yoga-10', locationId: 'downtown' };
    const sold = await post('/v1/purchases', sale, 'demo-sale-1');
    const again = await post('/v1/purchases', sale, 'demo-sale-1');
    expect([sold.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const booked = await post(
      '/v1/reservations',
      { clientId: 'sarah', sessionId: 'yoga-evening', channel: 'online' },
      'demo-booking-1',
    );
    expect(booked.status).toBe(201);
    const balances = (await (
      await fetch(`http://127.0.0.1:${port}/v1/clients/sarah/balances`, {
        headers: { authorization: `Bearer ${staff}` },
      })
    ).json()) as { purchases: { total: number; held: number; remaining: number }[] };
    expect(balances.purchases.map((p) => [p.total, p.held, p.remaining])).toEqual([[10, 1, 9]]);

    // The second process: refused before it opens anything.
    const second = await serverProcessRefused({ ...env, PORT: String(port + 1) }, 60_000);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`the data folder ${dataDir} is in use by process ${first.pid}`);
    expect(second.output).not.toContain('listening on');

    // The first still serves, with what it wrote.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const still = await fetch(`http://127.0.0.1:${port}/v1/clients/sarah/balances`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(((await still.json()) as { purchases: unknown[] }).purchases).toHaveLength(1);

    // Stopped cleanly, it gives the folder back; the next start keeps the data, and a
    // platform key from the environment is never printed.
    expect(await stopped(first)).toBe(0);
    expect(existsSync(join(dataDir, 'punchcard.lock'))).toBe(false);
    const next = await startServerProcess(
      { ...env, PORT: String(port + 2), PUNCHCARD_PLATFORM_KEY: 'pk_platform_from_env_secret' },
      150_000,
    );
    running.push(next);
    expect(next.output()).toContain('platform key: from PUNCHCARD_PLATFORM_KEY');
    expect(next.output()).not.toContain('pk_platform_from_env_secret');
    expect(next.output()).toContain(`staff key ${staff}`);
    const kept = await fetch(`http://127.0.0.1:${port + 2}/v1/clients/sarah/balances`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(((await kept.json()) as { purchases: { held: number }[] }).purchases.map((p) => p.held)).toEqual([
      1,
    ]);
    expect(await stopped(next)).toBe(0);
  }, 400_000);

  it('a lock left by a process that is gone (kill -9) is taken over', async () => {
    const { lockDataDir } = await import('../../src/db/data-dir-lock.ts');
    const dir = mkdtempSync(join(tmpdir(), 'punchcard-stale-'));
    try {
      const { writeFileSync } = await import('node:fs');
      // A pid far above any the kernel hands out here: no such process.
      writeFileSync(join(dir, 'punchcard.lock'), '2147483646');
      const release = lockDataDir(dir);
      expect(statSync(join(dir, 'punchcard.lock')).size).toBe(String(process.pid).length);
      expect(() => lockDataDir(dir)).toThrow(/already open in this process/);
      release();
      expect(existsSync(join(dir, 'punchcard.lock'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
