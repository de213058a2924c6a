import { appendFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/sql';
import { recordEvents } from '../../../src/outbox/record.ts';
import { createCreditsPlugin } from '../../../src/plugin.ts';

/**
 * A service on an embedded PGlite folder, for the restart test there: with
 * MODE=hang it commits one event and never finishes delivering it (it is killed
 * mid-delivery); with MODE=deliver, opened on the same folder afterwards, it
 * delivers. Each delivery it starts or finishes is logged to LOG.
 */
const { DATA_DIR = '', LOG = '', MODE = 'deliver', SUBSCRIBER = '' } = process.env;
const plugin = await createCreditsPlugin({
  dataDir: DATA_DIR,
  plugins: [],
  outbox: { pollMs: 100, baseMs: 20, timeoutMs: 60_000 },
});
plugin.on(
  'policy.changed',
  async (_e, meta) => {
    appendFileSync(LOG, `${process.pid} started ${meta.id} ${meta.attempt}\n`);
    if (MODE === 'hang') await new Promise(() => {});
    appendFileSync(LOG, `${process.pid} delivered ${meta.id} ${meta.attempt}\n`);
  },
  { name: SUBSCRIBER },
);
if (MODE === 'hang') {
  await plugin.drain();
  const em = plugin.orm.em.fork() as unknown as EntityManager;
  await em.transactional((tx) =>
    recordEvents(
      tx,
      [
        {
          name: 'policy.changed',
          payload: { tenantId: 't-restart', version: 1, hash: 'h', reason: 'restart' },
        },
      ],
      new Date(),
    ),
  );
}
console.log('pglite ready');
