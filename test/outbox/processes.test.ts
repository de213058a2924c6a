import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.ts';
import { createCreditsPlugin } from '../../src/plugin.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { onPostgres } from '../support/plugin.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startSubscriber(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['test/outbox/support/subscriber-process.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('subscriber ready')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`subscriber exited with ${code}:\n${output}`)));
  });
}

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
    const second = await startSubscriber({ ...env, MODE: 'deliver' });
    await until(() => lines().some((l) => l.includes(' delivered ')), 20_000, 'the delivery after restart');
    const [started, ...after] = lines();
    const eventId = started.split(' ')[2];
    expect(started).toBe(`${first.pid} started ${eventId} 1`);
    expect(after).toEqual([`${second.pid} started ${eventId} 1`, `${second.pid} delivered ${eventId} 1`]);
    expect(eventId).toMatch(/^ev_/);
    expect(purchase.id).toBeTruthy();
  }, 90_000);

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
