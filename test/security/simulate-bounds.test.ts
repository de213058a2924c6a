import { beforeAll, describe, expect, it } from 'vitest';
import { simulateLimits } from '../../src/credits/simulate.ts';
import { loadPreset } from '../../src/policy/index.ts';
import { request } from '../support/api.ts';
import { newStudio, type Studio } from '../support/fixtures.ts';
import { manyReservations } from '../support/many-reservations.ts';
import { onPostgres, testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

const simulate = (t: Studio, from: string, to: string) =>
  request('POST', '/v1/policy/simulate', { key: t.admin, body: { ruleset: loadPreset('gymgo'), from, to } });

describe('POST /v1/policy/simulate is bounded and shares the process', () => {
  it('a range wider than the limit, or holding more reservations than one call replays, is a 422 naming the limit', {
    timeout: 120_000,
  }, async () => {
    const t = await newStudio();
    const wide = await simulate(t, '2026-01-01T00:00:00Z', '2027-01-03T00:00:00Z');
    expect(wide.status).toBe(422);
    expect(wide.body.errors).toEqual([
      {
        path: '/to',
        message: `must be at most ${simulateLimits.rangeDays} days after from (simulate's limit per call)`,
      },
    ]);
    await manyReservations(t, simulateLimits.reservations + 1);
    const many = await simulate(t, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z');
    expect(many.status).toBe(422);
    expect(many.body.errors).toEqual([
      {
        path: '/to',
        message: `the range holds ${simulateLimits.reservations + 1} reservations; simulate replays at most ${simulateLimits.reservations} per call: narrow from/to`,
      },
    ]);
    // A narrower range of the same tenant runs.
    const narrow = await simulate(t, '2026-03-03T00:00:00Z', '2026-03-03T11:00:00Z');
    expect(narrow.status).toBe(200);
    expect(narrow.body.totals.reservations).toBe(60 * 20);
  });

  it('while a long simulate runs, other requests keep being answered: they finish before it does', {
    timeout: 120_000,
  }, async () => {
    const t = await newStudio();
    await manyReservations(t, 6_000);
    let simulateDone = false;
    const running = simulate(t, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z').then((res) => {
      simulateDone = true;
      return res;
    });
    // One request after another for as long as the simulate runs. On PostgreSQL they
    // include /healthz (its own connection); PGlite runs one transaction at a time, so
    // there they are requests that need no database.
    const probes = onPostgres ? ['/healthz', '/openapi.json'] : ['/openapi.json'];
    let answeredDuring = 0;
    while (!simulateDone) {
      // As from a socket: each probe arrives as a new event, not in the same microtask run.
      await new Promise((resolve) => setImmediate(resolve));
      for (const path of probes) {
        const res = await request('GET', path);
        expect(res.status).toBe(200);
        if (!simulateDone) answeredDuring++;
      }
    }
    const done = await running;
    expect(done.status).toBe(200);
    expect(done.body.totals.reservations).toBe(6_000);
    // The answer lists the first changes only; the totals count every one.
    expect(done.body.totals.changed).toBeGreaterThan(simulateLimits.listedChanges);
    expect(done.body.changes).toHaveLength(simulateLimits.listedChanges);
    expect(Object.values(done.body.totals.after).reduce((a: number, b) => a + Number(b), 0)).toBe(
      done.body.totals.changed,
    );
    // Requests were answered while it ran (the event loop was never held for all of it).
    expect(answeredDuring).toBeGreaterThanOrEqual(1);
  });
});
