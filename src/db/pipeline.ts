import type { Socket } from 'node:net';
import type { Pool, PoolClient, QueryResult } from 'pg';

/**
 * Fewer round trips per transaction on PostgreSQL: every pooled client runs in `pg`'s
 * pipeline mode (a statement goes on the wire without waiting for the one before;
 * answers come back in order), and
 * - `begin` is not waited for: it is answered as done, held back and sent with the
 *   next statement (in the same write), and its real answer is awaited together with
 *   that statement's, so BEGIN and the locking read travel together;
 * - a statement sent before `commit` without being awaited (src/db/sql.ts `write`)
 *   travels with the COMMIT;
 * - a COMMIT that PostgreSQL answers with ROLLBACK (a statement of the transaction
 *   failed, so the transaction was aborted) is an error, never a silent success.
 *
 * Nothing half-commits: the statements of one transaction stay in order on one
 * connection; once one fails, PostgreSQL refuses every later one (25P02) and turns
 * the COMMIT into a ROLLBACK. If BEGIN itself failed, the statement sent with it is
 * the operation's first, a locking read, and its caller learns of the failure
 * before it writes anything.
 */
export function pipelineTransactions(pool: Pool): void {
  const patched = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    (client as PoolClient & { pipeline: boolean }).pipeline = true;
    const send = client.query.bind(client) as (...args: unknown[]) => unknown;
    const gather = gatherWrites(client);
    let begin: { text: string; values: unknown } | null = null;
    /** Sends BEGIN, held back until now, right before the statement `then` sends: one write on the socket. */
    const withBegin = <T>(then: () => T): { first: Promise<unknown> | null; answer: T } => {
      const held = begin;
      begin = null;
      gather();
      const first = held ? (send(held.text, held.values) as Promise<unknown>) : null;
      // Handled where it is awaited, with the statement that follows.
      first?.catch(() => {});
      return { first, answer: then() };
    };
    client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
      if (callback !== undefined || typeof text !== 'string') {
        // A callback or a Query object (a cursor) takes its own answer; BEGIN's is not awaited by it.
        return withBegin(() => send(text, values, callback)).answer;
      }
      const verb = text.trim().toLowerCase();
      if (verb === 'begin' && begin === null) {
        begin = { text, values };
        return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [], fields: [] });
      }
      signalSent(values);
      const { first, answer } = withBegin(() => send(text, values) as Promise<QueryResult>);
      const checked = verb === 'commit' ? answer.then(refuseRolledBack) : answer;
      return first ? both(first, checked) : checked;
    }) as PoolClient['query'];
  });
}

/**
 * Statements handed to the client in one turn of the event loop (BEGIN with the
 * locking read; the commit statement, sent without waiting, with the COMMIT that
 * follows it) leave in one write: the socket is corked until the pending callbacks
 * of this turn have run. A socket write is a system call, and per booking they were
 * the largest single share of the service's CPU.
 */
function gatherWrites(client: PoolClient): () => void {
  let corked = false;
  return () => {
    const socket = (client as PoolClient & { connection?: { stream?: Socket } }).connection?.stream;
    if (corked || !socket?.cork) return;
    corked = true;
    socket.cork();
    process.nextTick(() => {
      corked = false;
      socket.uncork();
    });
  };
}

/** The statement's answer once BEGIN's is known to be fine (BEGIN's error first: it explains the rest). */
async function both<T>(begin: Promise<unknown>, statement: Promise<T>): Promise<T> {
  const [b, s] = await Promise.allSettled([begin, statement]);
  if (b.status === 'rejected') throw b.reason;
  if (s.status === 'rejected') throw s.reason;
  return s.value;
}

function refuseRolledBack(result: QueryResult): QueryResult {
  if (result.command === 'ROLLBACK')
    throw Object.assign(new Error('the transaction was rolled back: a statement in it failed'), {
      code: '25P02',
    });
  return result;
}

/** Parameters of statements whose sender waits only until they are on their way (`whenSent`). */
const onSent = new WeakMap<object, () => void>();

function signalSent(values: unknown): void {
  if (typeof values !== 'object' || values === null) return;
  onSent.get(values)?.();
  onSent.delete(values);
}

/**
 * Resolves once a statement bound with exactly this `params` array has been handed
 * to a pipelined client (so anything sent after it on that connection, COMMIT
 * included, runs after it), or once `answer` settles, whichever is first: where
 * there is no pipeline (PGlite, another pool) that is simply the answer.
 */
export function whenSent(params: unknown[], answer: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    onSent.set(params, resolve);
    answer.then(
      () => resolve(),
      () => resolve(),
    );
  });
}
