import { schedulerBucketItemType } from '../domain/enums.ts';

export interface GrantablePlan {
  kind: string;
  credits?: number | null;
  unlimited: boolean;
  itemType?: string | null;
}

/**
 * Credits one purchase of a plan grants. B7: a session-bucket plan grants credits only
 * when its item type is a scheduler bucket; otherwise the sale goes through but adds
 * no usable sessions. Unlimited plans have no count to grant.
 */
export function creditsGranted(plan: GrantablePlan): number {
  if (plan.unlimited || plan.credits == null) return 0;
  if (plan.kind === 'session_bucket' && plan.itemType !== schedulerBucketItemType) return 0;
  return plan.credits;
}
