import { createRequire } from 'node:module';
import type { EntityManager } from '@mikro-orm/sql';
import type { CompiledQuery } from 'kysely';
import type Pg from 'pg';
import { namePlans } from './plans.ts';

/** date, timestamp, timestamptz, interval: kept as text, as the ORM's connections keep them. */
const keptAsText = [1082, 1114, 1184, 1186];
/** Their arrays. */
const keptAsTextArrays = [1182, 1115, 1185, 1187];

/**
 * A connection of its own to a PostgreSQL server, for reads off the request thread
 * (simulate's worker): what `query` (sql.ts) needs of a transaction. Its reads are
 * one read-only REPEATABLE READ transaction (one snapshot for all of them), rolled
 * back by `close`. Values come back as the ORM's connections give them (timestamps
 * as text), so the same snapshot readers read them; statements are prepared once
 * (plans.ts).
 */
export async function openReader(url: string): Promise<{ tx: EntityManager; close: () => Promise<void> }> {
  // `pg` as @mikro-orm/postgresql has it (the peer dependency that opens a server, so
  // present whenever there is a URL): punchcard itself does not depend on it.
  const pg = createRequire(import.meta.resolve('@mikro-orm/postgresql'))('pg') as typeof Pg;
  const types = new pg.TypeOverrides();
  // text[]'s parser (oid 1009) for the arrays of kept-as-text values, as the ORM parses them.
  const textArray = (pg.types.getTypeParser as (oid: number) => (value: string) => unknown)(1009);
  for (const oid of keptAsText) types.setTypeParser(oid, (value: string) => value);
  for (const oid of keptAsTextArrays) types.setTypeParser(oid, textArray);
  // One connection in pipeline mode: statements go out without waiting for the answers
  // before (several windows' reads in flight), all in the transaction begun on it.
  const client = new pg.Client({ connectionString: url, types, pipeline: true } as Pg.ClientConfig);
  namePlans(client);
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
  } catch (error) {
    await client.end();
    throw error;
  }
  const kysely = {
    executeQuery: async (q: CompiledQuery) => ({ rows: (await client.query(q.sql, [...q.parameters])).rows }),
  };
  return {
    tx: { getKysely: () => kysely } as unknown as EntityManager,
    close: async () => {
      try {
        await client.query('rollback');
      } finally {
        await client.end();
      }
    },
  };
}
