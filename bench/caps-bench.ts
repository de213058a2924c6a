import { createCreditsPlugin } from '../src/plugin.ts';
import { benchDatabase } from './bench-db.ts';

/**
 * Visit caps (issue 20): a booking paid by a purchase whose plan caps visits per
 * week, against the same booking paid by an uncapped plan. Same process, same
 * database, same run; the two sides take turns in small batches so a loaded
 * machine slows both alike. Each client books one session a day for `days` days
 * (a weekly cap of 7 never refuses), so a capped booking counts a growing list of
 * visits (its week and the one before are the ones that matter).
 */
const clientsPerSide = Number(process.env.BENCH_CAPS_CLIENTS ?? 24);
const days = Number(process.env.BENCH_CAPS_DAYS ?? 30);
const concurrency = 4;
const clock = new Date('2026-03-02T12:00:00Z');

interface Side {
  bookings: number;
  p50: number;
  p99: number;
}

const summary = (latencies: number[]): Side => {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2));
  return { bookings: sorted.length, p50: at(0.5), p99: at(0.99) };
};

export async function benchCaps() {
  const db = await benchDatabase();
  const plugin = await createCreditsPlugin({ databaseUrl: db.url, platformKey: 'bench', clock: () => clock });
  const call = async (key: string, path: string, body: unknown) => {
    const res = await plugin.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  try {
    const tenant = await call('bench', '/v1/tenants', { id: 'caps', name: 'Caps', preset: 'mytime' });
    const { admin, staff } = tenant.keys;
    await call(admin, '/v1/locations', { id: 'loc', name: 'L', timeZone: 'America/New_York' });
    await call(admin, '/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 });
    const plan = { kind: 'membership', unlimited: true, price: 1, itemIds: ['yoga'] };
    await call(admin, '/v1/plans', { ...plan, id: 'free', name: 'Uncapped' });
    await call(admin, '/v1/plans', {
      ...plan,
      id: 'weekly',
      name: 'Weekly',
      cap: { count: 7, period: 'week' },
    });
    const sides = { free: [] as string[], weekly: [] as string[] };
    for (const side of ['free', 'weekly'] as const) {
      for (let c = 0; c < clientsPerSide; c += 1) {
        const id = `${side}-${c}`;
        await call(admin, '/v1/clients', { id, name: id });
        await call(staff, '/v1/purchases', { clientId: id, planId: side, locationId: 'loc' });
        sides[side].push(id);
      }
    }
    const sessions: string[] = [];
    for (let d = 0; d < days; d += 1) {
      const startsAt = new Date(clock.getTime() + (d + 1) * 86_400_000);
      const s = await call(staff, '/v1/sessions', {
        itemId: 'yoga',
        locationId: 'loc',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      });
      sessions.push(s.id);
    }
    const latencies = { free: [] as number[], weekly: [] as number[] };
    // Day by day, the sides take turns: every client of a side books that day's session.
    const bookDay = async (side: 'free' | 'weekly', d: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < sides[side].length) {
            const clientId = sides[side][next++] as string;
            const t0 = performance.now();
            const r = await call(staff, '/v1/reservations', {
              clientId,
              sessionId: sessions[d],
              channel: 'in_store',
            });
            latencies[side].push(performance.now() - t0);
            if (!r.purchaseId) throw new Error(`${clientId}: booked without a credit`);
          }
        }),
      );
    };
    for (let d = 0; d < days; d += 1) {
      const order = d % 2 === 0 ? (['free', 'weekly'] as const) : (['weekly', 'free'] as const);
      for (const side of order) await bookDay(side, d);
    }
    // The first days warm the process up (compilation, statement plans): not counted.
    const warm = clientsPerSide * 3;
    const free = summary(latencies.free.slice(warm));
    const weekly = summary(latencies.weekly.slice(warm));
    return [
      { booking: 'uncapped plan', ...free, ratio: 1 },
      { booking: 'weekly cap (7)', ...weekly, ratio: Number((weekly.p50 / free.p50).toFixed(3)) },
      {
        booking: 'p99 ratio',
        bookings: 0,
        p50: 0,
        p99: 0,
        ratio: Number((weekly.p99 / free.p99).toFixed(3)),
      },
    ];
  } finally {
    await plugin.close();
    await db.drop();
  }
}
