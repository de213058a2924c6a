import type { EntityManager } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';
import { whenSent } from './pipeline.ts';

/** A row as PostgreSQL returns it; credits/snapshot.ts narrows it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: raw SQL rows, narrowed where they are read
export type Row = Record<string, any>;

/**
 * One statement in the operation's transaction with real bind parameters ($1, $2…):
 * the ORM's own execute() splices values into the SQL text, which at a sweep
 * batch's megabytes costs more than the statement itself.
 */
export async function query(ctx: { tx: EntityManager }, text: string, params: unknown[]): Promise<Row[]> {
  await settled(ctx.tx);
  const result = await ctx.tx.getKysely().executeQuery(CompiledQuery.raw(text, params));
  return result.rows as Row[];
}

/** Per transaction whose owner settles its last write (`lastWriteSettled`): that write, still in flight. */
const inFlight = new WeakMap<EntityManager, { write: Promise<unknown> | null }>();

/**
 * The operation's last statement (the commit statement): in a transaction whose owner
 * promised to settle it (`lastWriteSettled`), it is only sent, not waited for, so it
 * travels to PostgreSQL with the COMMIT that follows (src/db/pipeline.ts); its
 * failure reaches the owner, which then answers with it (the COMMIT has become a
 * ROLLBACK). Any other statement of the transaction waits for it first. Elsewhere
 * (the sweep, tests, the plugin's API, PGlite) it is an ordinary awaited statement.
 */
export async function write(ctx: { tx: EntityManager }, text: string, params: unknown[]): Promise<void> {
  const slot = inFlight.get(ctx.tx);
  if (!slot) {
    await query(ctx, text, params);
    return;
  }
  await settled(ctx.tx);
  const answer = ctx.tx.getKysely().executeQuery(CompiledQuery.raw(text, params));
  // Its failure is the owner's to report; never an unhandled rejection meanwhile.
  answer.catch(() => {});
  slot.write = answer;
  await whenSent(params, answer);
}

/** Waits for the transaction's write in flight, if any; throws its error. */
async function settled(tx: EntityManager): Promise<void> {
  const slot = inFlight.get(tx);
  if (!slot?.write) return;
  const write = slot.write;
  slot.write = null;
  await write;
}

/**
 * Called by a transaction's owner (the HTTP request pipeline) inside the transaction:
 * lets `write` send the last statement with the COMMIT. The owner must call the
 * function returned once the transaction is over, committed or not: it throws the
 * last write's error if that write failed, which is then the transaction's outcome
 * (PostgreSQL rolled everything back).
 */
export function lastWriteSettled(tx: EntityManager): () => Promise<void> {
  inFlight.set(tx, { write: null });
  return async () => {
    try {
      await settled(tx);
    } finally {
      inFlight.delete(tx);
    }
  };
}

/**
 * `= any(…)` over a list bound as one JSON parameter: the same statement for 1 id or
 * 10 000. As an array (an init plan) the planner can use it as an index condition,
 * which `in (select …)` is not.
 */
export const anyOf = (param: number) => `any(array(select jsonb_array_elements_text($${param}::jsonb)))`;
