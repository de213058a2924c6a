import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/index.ts';
import { onPostgres } from '../support/plugin.ts';
import { bookToUsedCredit, type HostClient, hostClient, sellTenCredits } from './booking-flow.ts';
import {
  installAsReadme,
  installHost,
  mikroOrmCopies,
  packPunchcard,
  type RunningHost,
  startHost,
  tarballFiles,
  typecheckHost,
} from './tarball.ts';

/**
 * punchcard as a host platform gets it: the packed tarball installed into small host
 * projects (test/hosts/), each run by Node 22 in its own process, with its own
 * dependencies from the registry, its own ORM or connection, and its own auth.
 */
const run = promisify(execFile);
let tarball = '';
const dirs = { hono: '', express: '' };

beforeAll(async () => {
  tarball = await packPunchcard();
  dirs.hono = await installHost('hono-host', tarball);
  dirs.express = await installHost('express-host', tarball);
}, 600_000);

/** The operator of the Hono host creates a studio and signs its admin and staff in. */
async function honoStudio(base: string, studioId: string) {
  const operator = hostClient(base, { cookie: 'sid=operator' });
  const tenant = await operator('POST', '/credits/v1/tenants', {
    id: studioId,
    name: studioId,
    preset: 'mytime',
  });
  expect(tenant.status).toBe(201);
  const signIn = async (role: 'admin' | 'staff') => {
    const session = await operator('POST', '/sessions', { studioId, role });
    expect(session.status).toBe(201);
    return hostClient(base, { cookie: `sid=${session.body.token}` });
  };
  return { admin: await signIn('admin'), staff: await signIn('staff') };
}

async function expectBalance(staff: HostClient, prefix: string, purchaseId: string) {
  const purchase = await staff('GET', `${prefix}/v1/purchases/${purchaseId}`);
  expect(purchase.status).toBe(200);
  expect(purchase.body).toMatchObject({ total: 10, held: 0, used: 1, remaining: 9 });
}

describe('the packed package', () => {
  it('ships compiled JavaScript, declarations, sourcemaps, presets and the schema; nothing of tests', async () => {
    const files = await tarballFiles(tarball);
    for (const file of [
      'LICENSE',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/index.js.map',
      'dist/src/db/migrations/0001-initial.js',
      // Simulate's replay thread loads this file by its path, next to simulate.js.
      'dist/src/credits/simulate-worker.js',
      'dist/plugins/clubos/index.js',
      'dist/plugins/clubos/index.d.ts',
      'dist/plugins/webhooks/index.js',
      'dist/plugins/webhooks/index.d.ts',
      'rules/mytime.json',
      'rules/schema/ruleset.schema.json',
      'bin/punchcard.mjs',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /^(test|bench|scripts|src)\//.test(f) || f.endsWith('.tsbuildinfo'))).toEqual(
      [],
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dirs.hono, 'node_modules/punchcard/package.json'), 'utf8'));
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './plugins/clubos',
      './plugins/webhooks',
      './ruleset.schema.json',
    ]);
    expect(manifest.license).toBe('MIT');
    expect(Object.keys(manifest.peerDependencies)).toContain('@mikro-orm/core');
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@mikro-orm/'))).toEqual([]);
  });

  it('its CLI runs from the build (no sources shipped) on a preset file', async () => {
    const { stdout } = await run(
      process.execPath,
      ['node_modules/.bin/punchcard', 'validate', 'node_modules/punchcard/rules/mytime.json'],
      {
        cwd: dirs.hono,
      },
    );
    expect(stdout).toMatch(
      /^node_modules\/punchcard\/rules\/mytime\.json: valid \(13 rules, sha256 [0-9a-f]{12}\)$/m,
    );
  });

  it('a host imports the public entry points and nothing else', async () => {
    const script = `
      const schema = await import('punchcard/ruleset.schema.json', { with: { type: 'json' } });
      const main = await import('punchcard');
      const internal = await import('punchcard/dist/src/plugin.js').catch((e) => e.code);
      console.log(JSON.stringify([schema.default.required, Object.keys(main).sort(), internal]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dirs.hono });
    expect(JSON.parse(stdout)).toEqual([
      ['id', 'name', 'settings', 'rules'],
      expect.arrayContaining(['createCreditsPlugin', 'entities', 'migrations']),
      'ERR_PACKAGE_PATH_NOT_EXPORTED',
    ]);
  });

  it('both hosts type-check against the published declarations', async () => {
    const [hono, express] = await Promise.all([typecheckHost(dirs.hono), typecheckHost(dirs.express)]);
    expect(hono).toEqual({ ok: true, output: '' });
    expect(express).toEqual({ ok: true, output: '' });
  }, 300_000);
});

/** A stand-in for Club OS on a loopback port: answers 200 and keeps what it was sent. */
async function startClubOs() {
  const calls: { key: unknown; authorization: unknown; purchase: unknown }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      calls.push({
        key: req.headers['idempotency-key'],
        authorization: req.headers.authorization,
        purchase: JSON.parse(body),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/purchases`,
    calls,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('a Hono host on embedded PGlite', () => {
  let host: RunningHost;
  beforeAll(async () => {
    // Club OS stands in on this machine: the development switch lets it be a target.
    host = await startHost(dirs.hono, {
      HOST_OPERATOR_TOKEN: 'operator',
      PUNCHCARD_ALLOW_PRIVATE_TARGETS: '1',
    });
  }, 240_000);
  afterAll(() => host?.stop());

  it('mounts punchcard under /credits behind its own sessions and drives a booking to a used credit', {
    timeout: 180_000,
  }, async () => {
    const anonymous = hostClient(host.base);
    expect((await anonymous('GET', '/credits/v1/clients/sarah/balances')).status).toBe(401);
    const { admin, staff } = await honoStudio(host.base, 'studio-a');
    expect(
      (await staff('POST', '/credits/v1/items', { id: 'x', name: 'X', kind: 'class', price: 1 })).status,
    ).toBe(403);
    // Club OS, as the plugin imported from punchcard/plugins/clubos forwards to it.
    const clubOs = await startClubOs();
    const enabled = await admin('PUT', '/credits/v1/integrations/clubos', {
      enabled: true,
      url: clubOs.url,
      apiKey: 'clubos-key',
    });
    expect(enabled.status).toBe(200);
    const purchaseId = await sellTenCredits(admin, staff, '/credits', { clubOs: true });
    await bookToUsedCredit(staff, '/credits', purchaseId);
    await expectBalance(staff, '/credits', purchaseId);
    await expect
      .poll(
        async () =>
          (await staff('GET', `/credits/v1/purchases/${purchaseId}`)).body.integrations.clubos.status,
        {
          timeout: 15_000,
        },
      )
      .toBe('delivered');
    await clubOs.close();
    expect(clubOs.calls).toEqual([
      {
        key: `punchcard:studio-a:purchase:${purchaseId}`,
        authorization: 'Bearer clubos-key',
        purchase: expect.objectContaining({
          purchaseId,
          planId: 'ten',
          credits: 10,
          price: 15000,
          source: 'pos',
        }),
      },
    ]);
    // The host's own subscriber heard the sale, after commit.
    await expect
      .poll(async () => (await anonymous('GET', '/sold')).body, { timeout: 10_000 })
      .toEqual([`studio-a/${purchaseId}`]);
    const openapi = await anonymous('GET', '/credits/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.servers.map((s: { url: string }) => s.url)).toEqual(['/credits']);
    // Simulate replays in a worker thread started from the installed build's file.
    const gymgo = JSON.parse(
      readFileSync(join(dirs.hono, 'node_modules/punchcard/rules/gymgo.json'), 'utf8'),
    );
    const simulated = await admin('POST', '/credits/v1/policy/simulate', {
      ruleset: gymgo,
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    expect(simulated.status).toBe(200);
    expect(simulated.body.totals.reservations).toBe(1);
    expect(simulated.body.changes).toHaveLength(simulated.body.totals.changed);
  });
});

describe.runIf(onPostgres)('a Hono host and an Express host on one PostgreSQL database', () => {
  // A database of its own on the suite's server: the hosts' schema starts empty.
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://unused';
  const database = `${new URL(serverUrl).pathname.slice(1)}_hosts_${process.pid}`;
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  const admin = new pg.Client({ connectionString: serverUrl });
  let hono: RunningHost;
  let express: RunningHost;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
    // The Hono host owns the schema: it migrates before the Express host connects.
    hono = await startHost(dirs.hono, { HOST_OPERATOR_TOKEN: 'operator', DATABASE_URL: databaseUrl });
    express = await startHost(dirs.express, {
      DATABASE_URL: databaseUrl,
      HOST_USERS: JSON.stringify({
        'front-desk': { tenantId: 'studio-b', role: 'staff' },
        'studio-a-desk': { tenantId: 'studio-a', role: 'staff' },
      }),
    });
  }, 400_000);

  afterAll(async () => {
    await Promise.all([hono?.stop(), express?.stop()]);
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('one migrations table holds both sets of migrations, on the Hono host connection', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const ran = await db.query('select name from host_migrations order by id');
      expect(ran.rows.map((r) => r.name)).toEqual(['host-0001-sessions', ...migrations.map((m) => m.name)]);
      const tables = await db.query(
        "select table_name from information_schema.tables where table_name like '%migrations' order by 1",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['host_migrations']);
    } finally {
      await db.end();
    }
  });

  it('a studio sold through the Hono host books through the Express host under /api/credits', {
    timeout: 180_000,
  }, async () => {
    await honoStudio(hono.base, 'studio-a');
    const studio = await honoStudio(hono.base, 'studio-b');
    const purchaseId = await sellTenCredits(studio.admin, studio.staff, '/credits');
    const frontDesk = hostClient(express.base, { 'x-user': 'front-desk' });
    expect((await frontDesk('GET', '/whoami')).body).toEqual({ tenantId: 'studio-b', role: 'staff' });
    expect((await hostClient(express.base)('GET', '/api/credits/v1/clients/sarah/balances')).status).toBe(
      401,
    );
    await bookToUsedCredit(frontDesk, '/api/credits', purchaseId);
    // Both hosts read the same rows.
    await expectBalance(studio.staff, '/credits', purchaseId);
    await expectBalance(frontDesk, '/api/credits', purchaseId);
    // Another studio's staff, on the same host and database, cannot see it.
    const otherDesk = hostClient(express.base, { 'x-user': 'studio-a-desk' });
    expect((await otherDesk('GET', `/api/credits/v1/purchases/${purchaseId}`)).status).toBe(404);
    expect(
      (await frontDesk('POST', '/api/credits/v1/items', { id: 'x', name: 'X', kind: 'class', price: 1 }))
        .status,
    ).toBe(403);
    const openapi = await frontDesk('GET', '/api/credits/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.servers.map((s: { url: string }) => s.url)).toEqual(['/api/credits']);
  });
});

describe('a new host that runs the README install command in an empty project', () => {
  const ormVersion: string = JSON.parse(readFileSync('package.json', 'utf8')).devDependencies[
    '@mikro-orm/core'
  ];
  let dir = '';
  beforeAll(async () => {
    dir = await installAsReadme(tarball);
  }, 600_000);

  it('gets one copy of each MikroORM package, all at the version punchcard is tested with, saved exactly', () => {
    expect(mikroOrmCopies(join(dir, 'node_modules'))).toEqual(
      ['core', 'migrations', 'pglite', 'postgresql', 'sql'].map((name) => `@mikro-orm/${name}@${ormVersion}`),
    );
    // Saved without a caret, so a later install without the lockfile finds the same set.
    const saved = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies;
    expect(Object.entries(saved).filter(([name]) => name.startsWith('@mikro-orm/'))).toEqual(
      ['core', 'migrations', 'pglite', 'postgresql'].map((name) => [`@mikro-orm/${name}`, ormVersion]),
    );
  });

  /** healthz, a studio's booking from tenant to used credit, and the document, all under /credits. */
  async function bookThroughReadmeHost(databaseUrl?: string) {
    const host = await startHost(
      dir,
      { PUNCHCARD_PLATFORM_KEY: 'platform-key', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      'main.js',
    );
    try {
      const anonymous = hostClient(host.base);
      expect(await anonymous('GET', '/credits/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      const platform = hostClient(host.base, { authorization: 'Bearer platform-key' });
      const tenant = await platform('POST', '/credits/v1/tenants', {
        id: 'studio',
        name: 'Studio',
        preset: 'mytime',
      });
      expect(tenant.status).toBe(201);
      const bearer = (key: string) => hostClient(host.base, { authorization: `Bearer ${key}` });
      const [admin, staff] = [bearer(tenant.body.keys.admin), bearer(tenant.body.keys.staff)];
      const purchaseId = await sellTenCredits(admin, staff, '/credits');
      await bookToUsedCredit(staff, '/credits', purchaseId);
      await expectBalance(staff, '/credits', purchaseId);
      const openapi = await anonymous('GET', '/credits/openapi.json');
      expect(openapi.status).toBe(200);
      expect(openapi.body.servers.map((s: { url: string }) => s.url)).toEqual(['/credits']);
      expect(Object.keys(openapi.body.paths)).toContain('/v1/reservations');
    } finally {
      await host.stop();
    }
  }

  it('mounts createCreditsPlugin under /credits on embedded PGlite and books', { timeout: 300_000 }, () =>
    bookThroughReadmeHost(),
  );

  it.runIf(onPostgres)('does the same on a fresh PostgreSQL database', { timeout: 300_000 }, async () => {
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://unused';
    const database = `${new URL(serverUrl).pathname.slice(1)}_readme_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.query(`create database ${database}`);
      await bookThroughReadmeHost(Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString());
    } finally {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  });
});
