import type { EntityManager } from '@mikro-orm/sql';
import type { Purchase } from '../domain/purchase.ts';
import type { PunchcardEvent } from '../events.ts';
import type { ActivePolicy } from '../tenants/policy-versions.ts';

/** Everything a credit operation needs, threaded through one transaction. */
export interface CreditContext {
  tx: EntityManager;
  tenantId: string;
  active: ActivePolicy;
  now: Date;
  actor: string;
  /** Events to emit once the transaction commits. */
  events: PunchcardEvent[];
  /**
   * Purchases this transaction already holds FOR UPDATE: nobody else can change
   * them until it ends, so they are not read again.
   */
  locked: Map<string, Purchase>;
}
