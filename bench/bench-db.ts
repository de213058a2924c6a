import pg from 'pg';

/**
 * The benches run on a real PostgreSQL: DATABASE_URL when set, else a fresh database
 * on the local server (postgres@127.0.0.1:5432), dropped afterwards.
 */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  // BENCH_DB_PREFIX keeps benches of several checkouts on one server apart.
  const name = `${process.env.BENCH_DB_PREFIX ?? 'punchcard_bench'}_${Date.now()}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const again = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
