import { query } from '../../db/sql.ts';
import type { CreditContext } from '../context.ts';

/**
 * The seat lock of a session with a capacity: its row FOR NO KEY UPDATE, so every
 * booking, join and promotion of that session counts its seats one at a time
 * (bookings of uncapped sessions only share the key lock and never come here). The
 * count is a second statement: one that waited for the lock still reads the
 * snapshot it started with, and would miss the seat just taken.
 *
 * Lock order (issue 20): a client's operation locks its client and purchases first
 * (read.ts), then the seat lock; a promotion then locks each waiting client it tries,
 * and reads the entry again under that lock. Two cancels of one session queue on the
 * seat lock, so the second sees the first's promotion and promotes the next client.
 */
export async function lockSeats(
  ctx: CreditContext,
  sessionId: string,
  except?: string,
  lock = true,
): Promise<number> {
  // A quote (lock false) counts without the lock: it writes nothing and holds nothing.
  if (lock)
    await query(ctx, 'select 1 from sessions s where s.tenant_id = $1 and s.id = $2 for no key update of s', [
      ctx.tenantId,
      sessionId,
    ]);
  const [row] = await query(
    ctx,
    `select count(*) as taken from reservations r
      where r.tenant_id = $1 and r.session_id = $2 and r.status <> 'canceled' and r.id <> $3`,
    [ctx.tenantId, sessionId, except ?? ''],
  );
  return Number(row?.taken ?? 0);
}
