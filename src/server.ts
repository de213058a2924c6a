import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { readConfig } from './config.ts';
import { type DemoTenant, seedDemo } from './demo.ts';
import { Tenant } from './domain/tenant.ts';
import { createCreditsPlugin } from './plugin.ts';

/** The standalone service: a host like any other. config → database → plugin → serve. */
const config = readConfig();
const platformKey = config.platformKey ?? `pk_platform_${randomBytes(18).toString('base64url')}`;
if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
const plugin = await createCreditsPlugin({
  databaseUrl: config.databaseUrl,
  dataDir: config.databaseUrl ? undefined : config.dataDir,
  platformKey,
});

// The demo's keys are kept beside the embedded data so every start can print them.
const demoFile = join(config.dataDir, 'demo-keys.json');
async function demoTenant(): Promise<DemoTenant | null> {
  if (process.env.PUNCHCARD_DEMO === '0') return null;
  const exists = await plugin.orm.em.fork().findOne(Tenant, { id: 'demo' });
  if (!exists) {
    const demo = await seedDemo(plugin.app, platformKey);
    if (!config.databaseUrl) await writeFile(demoFile, JSON.stringify(demo, null, 2));
    return demo;
  }
  return JSON.parse(await readFile(demoFile, 'utf8').catch(() => 'null'));
}
const demo = await demoTenant();

const server = serve({ fetch: plugin.app.fetch, port: config.port }, (info) => {
  const base = `http://localhost:${info.port}`;
  console.log(
    `punchcard listening on ${base} (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`,
  );
  console.log(`API reference: ${base}/docs (the OpenAPI document: ${base}/openapi.json)`);
  console.log(
    `platform key: ${platformKey}${config.platformKey ? ' (from PUNCHCARD_PLATFORM_KEY)' : ' (random; set PUNCHCARD_PLATFORM_KEY to fix it)'}`,
  );
  if (demo) {
    console.log(`demo tenant '${demo.tenantId}': admin key ${demo.keys.admin}`);
    console.log(`                     staff key ${demo.keys.staff}`);
    console.log('try:');
    console.log(
      `  curl -s -X POST ${base}/v1/purchases -H 'authorization: Bearer ${demo.keys.staff}' -H 'content-type: application/json' -d '{"clientId":"sarah","planId":"yoga-10","locationId":"downtown"}'`,
    );
    console.log(`  curl -s ${base}/v1/clients/sarah/balances -H 'authorization: Bearer ${demo.keys.staff}'`);
    console.log(`  curl -s ${base}/v1/policy -H 'authorization: Bearer ${demo.keys.admin}'`);
  }
});

// The after-session sweep on a schedule. Sessions are claimed in the database, so
// any number of processes may run this timer at once.
const sweeping = setInterval(() => {
  plugin.sweep().catch((error: unknown) => console.error('punchcard: scheduled sweep failed', error));
}, config.sweepEverySeconds * 1000);

const stop = async () => {
  clearInterval(sweeping);
  server.close();
  await plugin.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
