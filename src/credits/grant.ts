import { schedulerBucketItemType } from '../domain/enums.ts';

export interface GrantablePlan {
  kind: string;
  credits?: number | null;
  unlimited: boolean;
  itemType?: string | null;
  /** The item type record's flag; when the type has no record, the literal name decides. */
  schedulerBucket?: boolean;
}

/**
 * Credits one purchase of a plan grants. B7: a session-bucket plan grants credits only
 * when its item type is a scheduler bucket (the item type record's flag); otherwise
 * the sale goes through but adds no usable sessions. Unlimited plans have no count.
 */
export function creditsGranted(plan: GrantablePlan): number {
  if (plan.unlimited || plan.credits == null) return 0;
  const schedulerBucket = plan.schedulerBucket ?? plan.itemType === schedulerBucketItemType;
  if (plan.kind === 'session_bucket' && !schedulerBucket) return 0;
  return plan.credits;
}
