import { appendFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/sql';
import { query } from '../../../src/db/sql.ts';
import { recordEvents } from '../../../src/outbox/record.ts';
import { createCreditsPlugin } from '../../../src/plugin.ts';

/**
 * A service process for the ordering test: it dispatches to one durable subscriber
 * (logging each delivery to LOG), and on "go" (stdin) commits COUNT transactions for
 * random clients of TENANT, four at a time. Each transaction locks its client's row
 * as a credit operation does, counts the client's commits in the client's `name`
 * (so the count is the client's commit order), and writes one event `client:count`.
 */
const { DATABASE_URL, LOG = '', SUBSCRIBER = '', TENANT = '', CLIENTS = '', COUNT = '0' } = process.env;
const plugin = await createCreditsPlugin({
  databaseUrl: DATABASE_URL,
  migrate: false,
  plugins: [],
  outbox: { pollMs: 100, baseMs: 20 },
});
plugin.on(
  'policy.changed',
  (e) => {
    if (e.tenantId === TENANT) appendFileSync(LOG, `${process.pid} ${e.hash}\n`);
  },
  { name: SUBSCRIBER },
);
await plugin.drain({ tenantId: TENANT });
console.log('writer ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const clients = CLIENTS.split(',');
let left = Number(COUNT);
async function worker() {
  while (left > 0) {
    left--;
    const clientId = clients[Math.floor(Math.random() * clients.length)];
    const em = plugin.orm.em.fork() as unknown as EntityManager;
    await em.transactional(async (tx) => {
      const [row] = await query(
        { tx },
        `update clients set name = (name::int + 1)::text where tenant_id = $1 and id = $2 returning name`,
        [TENANT, clientId],
      );
      // A little work while holding the client, so transactions overlap.
      await new Promise((r) => setTimeout(r, Math.random() * 4));
      await recordEvents(
        tx,
        [
          {
            name: 'policy.changed',
            payload: { tenantId: TENANT, version: 1, hash: `${clientId}:${row.name}`, reason: 'order' },
          },
        ],
        new Date(),
      );
    });
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
await plugin.drain({ tenantId: TENANT, timeoutMs: 60_000 });
console.log('writer done');
