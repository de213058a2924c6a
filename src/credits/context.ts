import type { EntityManager } from '@mikro-orm/sql';
import type { PunchcardEvent } from '../events.ts';

/**
 * Everything a credit operation needs from its request, threaded through one
 * transaction. The tenant's policy is not here: the operation's locking read
 * returns the active version, and the process cache supplies the compiled policy.
 */
export interface CreditContext {
  tx: EntityManager;
  tenantId: string;
  now: Date;
  actor: string;
  /** Events of the committed change sets, for the transaction's owner to publish. */
  events: PunchcardEvent[];
}
