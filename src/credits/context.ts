import type { EntityManager } from '@mikro-orm/sql';
import type { PunchcardEvent } from '../events.ts';
import type { ActivePolicy } from '../tenants/policy-versions.ts';

/** Everything a credit operation needs, threaded through one transaction. */
export interface CreditContext {
  tx: EntityManager;
  tenantId: string;
  active: ActivePolicy;
  now: Date;
  actor: string;
  /** Events of the committed change sets, for the transaction's owner to publish. */
  events: PunchcardEvent[];
}
