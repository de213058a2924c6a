import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { createCreditsPlugin } from '../../src/plugin.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { onPostgres } from '../support/plugin.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts a support script; resolves once it prints `ready`, with a way to wait for later output. */
function startProcess(script: string, env: Record<string, string>, ready: string) {
  return new Promise<{ child: ChildProcess; printed: (text: string) => Promise<void> }>((resolve, reject) => {
    const child = spawn(process.execPath, [`test/outbox/support/${script}`], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const waiting: { text: string; done: () => void }[] = [];
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const w of waiting.splice(0))
        if (output.includes(w.text)) w.done();
        else waiting.push(w);
      if (output.includes(ready)) resolve({ child, printed });
    };
    const printed = (text: string) =>
      new Promise<void>((done) => (output.includes(text) ? done() : waiting.push({ text, done })));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

const startSubscriber = async (env: Record<string, string>) =>
  (await startProcess('subscriber-process.ts', env, 'subscriber ready')).child;

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Real concurrency and real processes need a real server: these run only with DATABASE_URL. */
describe.runIf(onPostgres)('the outbox across processes', () => {
  it('a process killed in the middle of a delivery: after a restart the event is delivered', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const log = join(tmpdir(), `outbox-${randomUUID()}.log`);
    writeFileSync(log, '');
    const env = { LOG: log, SUBSCRIBER: `restart-${randomUUID()}`, TENANT: t.id };
    const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const first = await startSubscriber({ ...env, MODE: 'hang' });
    const purchase = await buy(t, plan);
    await until(() => lines().some((l) => l.includes(' started ')), 20_000, 'the first delivery to start');
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const second = await startSubscriber({ ...env, MODE: 'deliver' });
    await until(() => lines().some((l) => l.includes(' delivered ')), 20_000, 'the delivery after restart');
    // The dead process's lease (6 s by default, kept alive by its heartbeat while it
    // lived) runs out: not the 60 s delivery timeout, nor a lease sized from it.
    expect(Date.now() - killedAt).toBeLessThan(9000);
    const [started, ...after] = lines();
    const eventId = started.split(' ')[2];
    expect(started).toBe(`${first.pid} started ${eventId} 1`);
    expect(after).toEqual([`${second.pid} started ${eventId} 1`, `${second.pid} delivered ${eventId} 1`]);
    expect(eventId).toMatch(/^ev_/);
    expect(purchase.id).toBeTruthy();
  }, 90_000);

  it("two processes commit for many clients of one tenant at once: each client's events arrive in commit order", async () => {
    const t = await newStudio();
    const clients = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    // Each client's name counts its commits (the writers add one under the client's lock).
    for (const id of clients) expectStatus(await t.as('admin').post('/v1/clients', { id, name: '0' }), 201);
    const log = join(tmpdir(), `outbox-order-${randomUUID()}.log`);
    writeFileSync(log, '');
    const env = {
      LOG: log,
      SUBSCRIBER: `order-${randomUUID()}`,
      TENANT: t.id,
      CLIENTS: clients.join(','),
      COUNT: '80',
    };
    const writers = await Promise.all(
      [0, 1].map(() => startProcess('writer-process.ts', env, 'writer ready')),
    );
    for (const w of writers) w.child.stdin?.write('go\n');
    await Promise.all(writers.map((w) => w.printed('writer done')));
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBe(160);
    const byClient = new Map<string, number[]>();
    for (const line of lines) {
      const [, hash] = line.split(' ');
      const [client, n] = hash.split(':');
      byClient.set(client, [...(byClient.get(client) ?? []), Number(n)]);
    }
    // Every client's events arrived 1, 2, 3, … — the order its transactions committed in.
    for (const [client, ns] of byClient) expect(ns, client).toEqual(ns.map((_, i) => i + 1));
    expect([...byClient.values()].reduce((sum, ns) => sum + ns.length, 0)).toBe(160);
    // Both processes committed, and both delivered (one shared durable subscriber).
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(2);
  }, 120_000);

  it('two dispatching processes on their own connections deliver each event to each subscriber once', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const name = `shared-${randomUUID()}`;
    const delivered: string[] = [];
    const processes = await Promise.all(
      [0, 1].map(async (p) => {
        const orm = await openOrm({ databaseUrl: process.env.DATABASE_URL });
        const plugin = await createCreditsPlugin({
          orm,
          migrate: false,
          plugins: [],
          outbox: { pollMs: 20, baseMs: 20 },
        });
        for (const event of ['purchase.created', 'credit.changed'] as const)
          plugin.on(
            event,
            async (e, meta) => {
              if (e.tenantId !== t.id) return;
              delivered.push(`${p}:${event}:${meta.id}`);
              await new Promise((r) => setTimeout(r, 5));
            },
            { name: `${name}:${event}` },
          );
        return { orm, plugin };
      }),
    );
    const bought = await Promise.all(Array.from({ length: 20 }, () => buy(t, plan)));
    await Promise.all(processes.map((p) => p.plugin.drain({ tenantId: t.id })));
    const ids = delivered.map((d) => d.split(':').slice(1).join(':'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((d) => d.startsWith('purchase.created')).length).toBe(bought.length);
    for (const p of processes) {
      await p.plugin.close();
      await p.orm.close();
    }
  }, 90_000);
});

/** PGlite is one process's database: the restart is a second process on the same folder. */
describe.runIf(!onPostgres)('the outbox on an embedded PGlite folder', () => {
  it('a process killed in the middle of a delivery: the next process on the folder delivers it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'outbox-pglite-'));
    const log = join(dataDir, 'deliveries.log');
    writeFileSync(log, '');
    const env = { DATA_DIR: join(dataDir, 'db'), LOG: log, SUBSCRIBER: 'restart' };
    const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const first = (await startProcess('pglite-process.ts', { ...env, MODE: 'hang' }, 'pglite ready')).child;
    await until(() => lines().some((l) => l.includes(' started ')), 30_000, 'the first delivery to start');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const second = (await startProcess('pglite-process.ts', { ...env, MODE: 'deliver' }, 'pglite ready'))
      .child;
    await until(() => lines().some((l) => l.includes(' delivered ')), 30_000, 'the delivery after restart');
    const [started, ...after] = lines();
    const eventId = started.split(' ')[2];
    expect(started).toBe(`${first.pid} started ${eventId} 1`);
    expect(after).toEqual([`${second.pid} started ${eventId} 1`, `${second.pid} delivered ${eventId} 1`]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);
});
