import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 where there is none. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving a database, by pid. */
export async function backends(sql: pg.Pool, database: string): Promise<number[]> {
  const { rows } = await sql.query('select pid from pg_stat_activity where datname = $1', [database]);
  return rows.map((r) => Number(r.pid));
}

/**
 * Samples the wait events of a database's backends every 20 ms while `during`
 * runs: which waits the service's connections spend their time in.
 */
export async function sampleWaits<T>(
  sql: pg.Pool,
  database: string,
  during: () => Promise<T>,
): Promise<{ result: T; waits: Record<string, number> }> {
  const waits: Record<string, number> = {};
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { rows } = await sql.query(
        `select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w, count(*)::int as n
           from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid() group by 1`,
        [database],
      );
      for (const r of rows) waits[r.w] = (waits[r.w] ?? 0) + r.n;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const result = await during();
  running = false;
  await sampler;
  return { result, waits };
}
