import { mkdirSync, writeFileSync } from 'node:fs';
import { benchBookings } from './bookings-bench.ts';
import { benchCaps } from './caps-bench.ts';
import { benchExpiring } from './expiring-bench.ts';
import { benchPolicy } from './policy-bench.ts';
import { benchSimulate } from './simulate-bench.ts';
import { benchSweep } from './sweep-bench.ts';

/**
 * `npm run bench [policy|bookings|sweep|simulate|caps|expiring]…`: each bench prints a table and writes
 * bench/results/NAME.json. Figures are ratios against a baseline measured in the
 * same run, never absolute promises. Bookings and sweep need PostgreSQL
 * (DATABASE_URL, or the local server on 127.0.0.1:5432).
 */
const benches: Record<string, () => Promise<unknown>> = {
  policy: () => benchPolicy(),
  bookings: () => benchBookings(),
  sweep: () =>
    benchSweep(
      process.env.BENCH_SWEEP_SIZES ? process.env.BENCH_SWEEP_SIZES.split(',').map(Number) : undefined,
    ),
  simulate: () => benchSimulate(),
  caps: () => benchCaps(),
  expiring: () => benchExpiring(),
};

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(benches);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
for (const name of chosen) {
  const run = benches[name];
  if (!run) {
    console.error(`unknown bench '${name}' (${Object.keys(benches).join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const result = await run();
  console.table(result);
  writeFileSync(
    new URL(`./results/${name}.json`, import.meta.url),
    `${JSON.stringify({ at: new Date().toISOString(), result }, null, 2)}\n`,
  );
}
process.exit(0);
