import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clubos from '../../plugins/clubos/index.ts';
import { writeConfig } from '../../src/integrations/config.ts';
import { reasons, sendOutbound } from '../../src/integrations/outbound.ts';
import { type CreditsPlugin, createCreditsPlugin } from '../../src/plugin.ts';
import { clock } from '../support/clock.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';

beforeAll(() => testPlugin(), 180_000);

/**
 * Club OS under a name of its own, so only this file's plugin (switch off) delivers
 * its events: on PostgreSQL the other workers' plugins deliver every tenant's events
 * of the integrations they run, with the switch on for their local receivers.
 */
const strictClubOs = { ...clubos(), name: 'clubos-strict' };
let strictPlugin: Promise<CreditsPlugin> | undefined;
/** A second plugin on the worker's database with the development switch off. */
const strict = async () => {
  const { orm } = await testPlugin();
  strictPlugin ??= createCreditsPlugin({
    orm,
    migrate: false,
    clock,
    platformKey,
    allowPrivateTargets: false,
    plugins: [strictClubOs],
    outbox: { baseMs: 20, capMs: 400, pollMs: 100, timeoutMs: 5000 },
  });
  return strictPlugin;
};
afterAll(async () => {
  await (await strictPlugin)?.close();
});

/** A listener on every loopback address (127.0.0.1 and ::1) that counts what reaches it. */
interface Listener {
  port: number;
  hits: number;
  close: () => Promise<void>;
}
const listeners: Listener[] = [];
async function listen(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listener> {
  const server: Server = createServer((req, res) => {
    listener.hits++;
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  const listener: Listener = {
    port: (server.address() as AddressInfo).port,
    hits: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  listeners.push(listener);
  return listener;
}
afterAll(async () => {
  for (const l of listeners.splice(0)) await l.close();
});

const post = (url: string, lookup?: (host: string) => Promise<{ address: string; family: number }[]>) =>
  sendOutbound(
    {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    },
    { allowPrivate: false, lookup },
  );

describe('outbound targets with the development switch off (SSRF)', () => {
  it('every private, loopback or odd form of an address is refused before anything connects', async () => {
    const ok = await listen((_req, res) => res.writeHead(204).end());
    const p = ok.port;
    // Each of these reaches the listener when private targets are allowed (checked below).
    const forms = [
      `http://127.0.0.1:${p}/hook`,
      `https://127.0.0.1:${p}/hook`,
      `http://localhost:${p}/`,
      `https://localhost:${p}/`,
      `https://[::1]:${p}/`,
      `https://2130706433:${p}/`,
      `https://0x7f000001:${p}/`,
      `https://0177.0.0.1:${p}/`,
      `https://127.1:${p}/`,
      `https://[::ffff:127.0.0.1]:${p}/`,
      `https://[::127.0.0.1]:${p}/`,
      `https://0.0.0.0:${p}/`,
      `https://user:pw@127.0.0.1:${p}/`,
    ];
    for (const url of forms) await expect(post(url), url).rejects.toThrow(reasons.refusedTarget);
    // Addresses no listener here answers: refused all the same, before any connection.
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://10.0.0.1/',
      'https://172.16.0.1/',
      'https://192.168.1.1/',
      'https://100.64.0.1/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[ff02::1]/',
      'https://224.0.0.1/',
      'https://[::]/',
      'https://[64:ff9b::7f00:1]/',
      'https://[2002:7f00:1::]/',
      'https://240.0.0.1/',
      'https://db/',
      'https://metadata.google.internal/',
    ])
      await expect(post(url), url).rejects.toThrow(reasons.refusedTarget);
    expect(ok.hits).toBe(0);
    // The same listener, reached once the switch allows private targets: the refusals above were the rules.
    await sendOutbound(
      {
        url: `http://127.0.0.1:${p}/hook`,
        method: 'POST',
        headers: {},
        body: '{}',
        signal: AbortSignal.timeout(5000),
      },
      { allowPrivate: true },
    );
    expect(ok.hits).toBe(1);
  });

  it('a public-looking name that resolves to loopback or private space is refused after DNS; the check is the address', async () => {
    const ok = await listen((_req, res) => res.writeHead(204).end());
    const resolvesTo =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const url = `https://hooks.example.com:${ok.port}/in`;
    await expect(post(url, resolvesTo('127.0.0.1'))).rejects.toThrow(reasons.notPublic);
    await expect(post(url, resolvesTo('::1'))).rejects.toThrow(reasons.notPublic);
    await expect(post(url, resolvesTo('::ffff:10.1.2.3'))).rejects.toThrow(reasons.notPublic);
    // One private answer among public ones is enough to refuse (no rebinding pick).
    await expect(post(url, resolvesTo('93.184.215.14', '192.168.0.7'))).rejects.toThrow(reasons.notPublic);
    await expect(post(url, async () => Promise.reject(new Error('ENOTFOUND')))).rejects.toThrow(
      reasons.notPublic,
    );
    // The system resolver: localhost is this machine (the name is also refused before DNS).
    await expect(post(`https://localhost:${ok.port}/`)).rejects.toThrow(reasons.refusedTarget);
    expect(ok.hits).toBe(0);
    // The connection goes to the address the check saw, not to a second lookup: a name
    // "resolving" to loopback is reached at loopback when private targets are allowed.
    const status = await sendOutbound(
      {
        url: `http://hooks.example.com:${ok.port}/in`,
        method: 'POST',
        headers: {},
        body: '{}',
        signal: AbortSignal.timeout(5000),
      },
      { allowPrivate: true, lookup: resolvesTo('127.0.0.1') },
    );
    expect(status).toBe(204);
    expect(ok.hits).toBe(1);
  });

  it('PUT /v1/integrations/{name} refuses each literal and obvious form at /url', async () => {
    const t = await newStudio();
    const put = async (body: unknown) => {
      const res = await (await strict()).app.request(`/v1/integrations/${strictClubOs.name}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const cases: [string, string][] = [
      ['http://hooks.example.com/in', 'must use https://'],
      ['http://127.0.0.1:5432/', 'must use https://'],
      ['https://127.0.0.1:8080/', 'must name a public address (127.0.0.1 is loopback)'],
      ['https://2130706433:8080/', 'must name a public address (127.0.0.1 is loopback)'],
      ['https://0x7f000001/', 'must name a public address (127.0.0.1 is loopback)'],
      ['https://0177.0.0.1/', 'must name a public address (127.0.0.1 is loopback)'],
      ['https://[::1]:3000/', 'must name a public address (::1 is loopback)'],
      ['https://169.254.169.254/latest', 'must name a public address (169.254.169.254 is linkLocal)'],
      ['https://[::ffff:169.254.169.254]/', 'must name a public address (::ffff:a9fe:a9fe is linkLocal)'],
      ['https://10.0.0.1/', 'must name a public address (10.0.0.1 is private)'],
      ['https://192.168.1.1/', 'must name a public address (192.168.1.1 is private)'],
      ['https://[fd00::1]/', 'must name a public address (fd00::1 is uniqueLocal)'],
      ['https://[ff02::1]/', 'must name a public address (ff02::1 is multicast)'],
      ['https://0.0.0.0/', 'must name a public address (0.0.0.0 is unspecified)'],
      ['https://localhost:5432/', 'must name a public host (this one is local to a network)'],
      ['https://api.localhost/', 'must name a public host (this one is local to a network)'],
      ['https://postgres/', 'must name a public host (this one is local to a network)'],
      ['https://metadata.google.internal/', 'must name a public host (this one is local to a network)'],
      ['https://user:secret@hooks.example.com/', 'must not carry credentials (user:password@)'],
    ];
    for (const [url, message] of cases) {
      const res = await put({ enabled: false, url });
      expect(res.status, url).toBe(422);
      expect(res.body.errors, url).toEqual([{ path: '/url', message }]);
      expect(JSON.stringify(res.body)).not.toContain('secret@');
    }
    const saved = await (await strict()).app.request(`/v1/integrations/${strictClubOs.name}`, {
      headers: { authorization: `Bearer ${t.admin}` },
    });
    expect(((await saved.json()) as any).url).toBeNull();
    expect((await put({ enabled: false, url: 'https://93.184.215.14/in' })).status).toBe(200);
  });

  it('a target saved while private targets were allowed is refused at delivery once they are not', async () => {
    const receiver = await listen((_req, res) => res.writeHead(204).end());
    const t = await newStudio();
    const { orm } = await testPlugin();
    // Saved as under the development switch (or by a name whose DNS answer changed since).
    await writeConfig(
      orm.em.fork() as unknown as EntityManager,
      t.id,
      strictClubOs,
      { enabled: true, url: `http://localhost:${receiver.port}/purchases`, apiKey: 'clubos-key' },
      new Date(),
      true,
    );
    await buy(t, await addPlan(t, { name: 'Club', credits: 5, integrations: { clubOs: true } }));
    const plugin = await strict();
    await expect(plugin.drain({ tenantId: t.id, timeoutMs: 500 })).rejects.toThrow('drain timed out');
    const log = await plugin.app.request(`/v1/integrations/${strictClubOs.name}/deliveries`, {
      headers: { authorization: `Bearer ${t.staff}` },
    });
    const [delivery] = ((await log.json()) as any).deliveries;
    expect(delivery).toMatchObject({ status: 'failing', lastError: reasons.refusedTarget });
    expect(delivery.attempts).toBeGreaterThanOrEqual(1);
    expect(receiver.hits).toBe(0);
    // Off again: the event needs no delivery, so nothing keeps retrying after this test.
    await writeConfig(
      orm.em.fork() as unknown as EntityManager,
      t.id,
      strictClubOs,
      { enabled: false, url: 'https://clubos.example.com/' },
      new Date(),
      false,
    );
  });
});
