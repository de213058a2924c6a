import type { EntityManager } from '@mikro-orm/sql';
import type { CreditContext } from '../../src/credits/context.ts';
import type { PunchcardEvent } from '../../src/events.ts';
import { testPlugin } from './plugin.ts';

/** Runs engine steps (read, commit) directly, in one transaction of the test database, as staff at the test clock's start. */
export async function inTransaction<T>(
  tenantId: string,
  run: (ctx: CreditContext) => Promise<T>,
): Promise<T> {
  const { orm } = await testPlugin();
  const em = orm.em.fork() as unknown as EntityManager;
  em.setFilterParams('tenant', { tenantId });
  return em.transactional((tx) =>
    run({
      tx,
      tenantId,
      now: new Date('2026-03-02T15:00:00Z'),
      actor: 'staff',
      events: [] as PunchcardEvent[],
    }),
  );
}
