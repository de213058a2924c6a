import { appendFileSync } from 'node:fs';
import { createCreditsPlugin } from '../../../src/plugin.ts';

/**
 * A service process with one durable subscriber, for the restart tests. It logs each
 * delivery it starts to LOG; with MODE=hang it never finishes one (it is killed
 * mid-delivery), with MODE=deliver it finishes and logs that too.
 */
const { DATABASE_URL, LOG = '', MODE = 'deliver', SUBSCRIBER = '', TENANT = '' } = process.env;
const plugin = await createCreditsPlugin({
  databaseUrl: DATABASE_URL,
  migrate: false,
  plugins: [],
  // The default lease: a killed process's pair is taken over once its heartbeat stops.
  outbox: { pollMs: 100, baseMs: 20, timeoutMs: 60_000 },
});
plugin.on(
  'purchase.created',
  async (e, meta) => {
    if (e.tenantId !== TENANT) return;
    appendFileSync(LOG, `${process.pid} started ${meta.id} ${meta.attempt}\n`);
    if (MODE === 'hang') await new Promise(() => {});
    appendFileSync(LOG, `${process.pid} delivered ${meta.id} ${meta.attempt}\n`);
  },
  { name: SUBSCRIBER },
);
await plugin.drain({ tenantId: TENANT });
console.log('subscriber ready');
