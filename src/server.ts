import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { readConfig } from './config.ts';
import { DataDirInUse } from './db/data-dir-lock.ts';
import { type DemoTenant, demoCurlLines, seedDemo } from './demo.ts';
import { Tenant } from './domain/tenant.ts';
import { createCreditsPlugin } from './plugin.ts';

/** The standalone service: a host like any other. config → database → plugin → serve. */
const config = readConfig();
const platformKey = config.platformKey ?? `pk_platform_${randomBytes(18).toString('base64url')}`;
// The folder holds the database and the demo's keys: only its owner may read it.
if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
const plugin = await createCreditsPlugin({
  databaseUrl: config.databaseUrl,
  dataDir: config.databaseUrl ? undefined : config.dataDir,
  platformKey,
  bodyLimitBytes: config.bodyLimitBytes,
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUse)) throw error;
  console.error(`punchcard: ${error.message}`);
  process.exit(1);
});

// The demo's keys are kept beside the embedded data (owner-only) so every start can print them.
const demoFile = join(config.dataDir, 'demo-keys.json');
async function demoTenant(): Promise<DemoTenant | null> {
  if (process.env.PUNCHCARD_DEMO === '0') return null;
  const exists = await plugin.orm.em.fork().findOne(Tenant, { id: 'demo' });
  if (!exists) {
    const demo = await seedDemo(plugin.app, platformKey);
    if (!config.databaseUrl) {
      await writeFile(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
      await chmod(demoFile, 0o600);
    }
    return demo;
  }
  return JSON.parse(await readFile(demoFile, 'utf8').catch(() => 'null'));
}
const demo = await demoTenant();

const server = serve(
  { fetch: plugin.app.fetch, port: config.port, hostname: config.host },
  (info: AddressInfo) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    const base = `http://${host}:${info.port}`;
    console.log(
      `punchcard listening on ${base} (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`,
    );
    console.log(`API reference: ${base}/docs (the OpenAPI document: ${base}/openapi.json)`);
    console.log(`admin console: ${base}/admin (sign in with the admin key below)`);
    // A key from the environment is the operator's: it is never echoed to the log.
    console.log(
      config.platformKey
        ? 'platform key: from PUNCHCARD_PLATFORM_KEY'
        : `platform key: ${platformKey} (random for this start; set PUNCHCARD_PLATFORM_KEY to fix it)`,
    );
    if (demo) {
      console.log(`demo tenant '${demo.tenantId}': admin key ${demo.keys.admin}`);
      console.log(`                     staff key ${demo.keys.staff}`);
      console.log('try (each POST carries an Idempotency-Key: pasting it twice sells or books once):');
      for (const line of demoCurlLines(base, demo)) console.log(`  ${line}`);
    }
  },
);

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
