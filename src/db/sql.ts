import type { EntityManager } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';

/** A row as PostgreSQL returns it; credits/snapshot.ts narrows it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: raw SQL rows, narrowed where they are read
export type Row = Record<string, any>;

/**
 * One statement in the operation's transaction with real bind parameters ($1, $2…):
 * the ORM's own execute() splices values into the SQL text, which at a sweep
 * batch's megabytes costs more than the statement itself.
 */
export async function query(ctx: { tx: EntityManager }, text: string, params: unknown[]): Promise<Row[]> {
  const result = await ctx.tx.getKysely().executeQuery(CompiledQuery.raw(text, params));
  return result.rows as Row[];
}

/**
 * `= any(…)` over a list bound as one JSON parameter: the same statement for 1 id or
 * 10 000. As an array (an init plan) the planner can use it as an index condition,
 * which `in (select …)` is not.
 */
export const anyOf = (param: number) => `any(array(select jsonb_array_elements_text($${param}::jsonb)))`;
