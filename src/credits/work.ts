import { workOn } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { decideDue } from './due.ts';
import { policyAt, type ReadRequest, readClient } from './read.ts';
import type { ClientSnapshot, Work } from './types.ts';

/**
 * Read → decide-what-is-due for one client's operation: the one locking read, then
 * what time has made due already decided (B12 time triggers, B6 expiry), so the
 * operation decides on the present and an answer never depends on whether a sweep
 * has run. The caller decides its own change on top and commits once. Null when
 * the client does not exist.
 */
export async function clientWork(
  ctx: CreditContext,
  req: ReadRequest,
): Promise<{ work: Work; snapshot: ClientSnapshot } | null> {
  const snapshot = await readClient(ctx, req);
  if (!snapshot) return null;
  const work = workOn(ctx, await policyAt(ctx, snapshot.policyVersion), snapshot);
  decideDue(work);
  return { work, snapshot };
}
