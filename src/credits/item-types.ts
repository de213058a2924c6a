import { query } from '../db/sql.ts';
import type { CreditContext } from './context.ts';

/**
 * B7 reads the item type's record: whether a plan of this type is a scheduler
 * bucket. Undefined when the type has no record (a name never registered), and the
 * literal `Scheduler_Bucket` rule decides, as it did before item types were records.
 * Read only.
 */
export async function schedulerBucketOf(
  ctx: CreditContext,
  itemType: string | null | undefined,
): Promise<boolean | undefined> {
  if (!itemType) return undefined;
  const [row] = await query(ctx, 'select scheduler_bucket from item_types where tenant_id = $1 and id = $2', [
    ctx.tenantId,
    itemType,
  ]);
  return row ? Boolean(row.scheduler_bucket) : undefined;
}
