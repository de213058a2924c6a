import { anyOf, query } from '../../db/sql.ts';
import { newWork } from '../changeset.ts';
import type { CreditContext } from '../context.ts';
import { commit } from '../ledger.ts';
import { lockClients } from '../locks.ts';
import { currentPolicy } from '../read.ts';
import { readPurchases } from '../snapshot.ts';
import { decideLineClosed } from './decide.ts';
import { entryColumns, entryOf } from './entry.ts';

/** Waiting clients closed per sweep step: bounded work and lock time. */
const closeBatchSize = 1000;

/**
 * A session that has started closes its waitlist (issue 20): every client still
 * waiting is skipped with "the session started", and a credit held for them comes
 * back, so a held credit never outlives its session. A sweep step, through the same
 * spine: the waiting clients locked in id order, their purchases read, then their
 * entries read again under those locks (a client's entry changes only under its
 * lock: join, leave, promotion), decide, one commit.
 */
export async function closeStartedLines(
  ctx: CreditContext,
  asOf: Date,
): Promise<{ closed: number; done: boolean }> {
  const candidates = await query(
    ctx,
    `select distinct w.client_id from waitlist_entries w
       join sessions s on s.tenant_id = w.tenant_id and s.id = w.session_id
      where w.tenant_id = $1 and w.status = 'waiting' and s.starts_at <= $2
      limit $3`,
    [ctx.tenantId, asOf, closeBatchSize],
  );
  if (candidates.length === 0) return { closed: 0, done: true };
  const locked = [
    ...(await lockClients(
      ctx,
      candidates.map((c) => String(c.client_id)),
    )),
  ];
  const work = newWork(ctx, await currentPolicy(ctx), await readPurchases(ctx, { clientIds: locked }), false);
  const entries = await query(
    ctx,
    `select ${entryColumns} from waitlist_entries w
       join sessions s on s.tenant_id = w.tenant_id and s.id = w.session_id
      where w.tenant_id = $1 and w.status = 'waiting' and s.starts_at <= $2 and w.client_id = ${anyOf(3)}
      order by w.session_id, w.joined_at, w.id`,
    [ctx.tenantId, asOf, JSON.stringify(locked)],
  );
  for (const row of entries) decideLineClosed(work, entryOf(row), 'the session started');
  await commit(ctx, work.cs);
  return { closed: entries.length, done: candidates.length < closeBatchSize };
}
