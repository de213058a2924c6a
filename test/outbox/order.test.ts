import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/sql.ts';
import { recordEvents } from '../../src/outbox/record.ts';
import { createCreditsPlugin } from '../../src/plugin.ts';
import { expectStatus } from '../support/api.ts';
import { newStudio, type Studio } from '../support/fixtures.ts';
import { onPostgres, testPlugin } from '../support/plugin.ts';

/** A second plugin on the worker's database with fast polls and no integrations: a second process, in effect. */
async function fastPlugin() {
  const { orm } = await testPlugin();
  return createCreditsPlugin({ orm, migrate: false, plugins: [], outbox: { baseMs: 20, pollMs: 50 } });
}

/** A studio with two clients, sarah and ben. */
async function twoClients(): Promise<Studio> {
  const t = await newStudio();
  expectStatus(await t.as('admin').post('/v1/clients', { id: 'ben', name: 'Ben' }), 201);
  return t;
}

/**
 * A transaction as every credit operation runs one: it locks its client's row first,
 * then writes its event (labelled `label`); it commits when released, or rolls back
 * when `fail` is set.
 */
function transaction(orm: MikroORM, t: Studio, clientId: string, label: string, fail = false) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let wrote = () => {};
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const em = orm.em.fork() as unknown as EntityManager;
  const done = em.transactional(async (tx) => {
    await query({ tx }, 'select id from clients where tenant_id = $1 and id = $2 for update', [
      t.id,
      clientId,
    ]);
    await recordEvents(
      tx,
      [{ name: 'policy.changed', payload: { tenantId: t.id, version: 1, hash: label, reason: clientId } }],
      new Date(),
    );
    wrote();
    await gate;
    if (fail) throw new Error('rolled back on purpose');
  });
  return { written, release, done };
}

async function committed(orm: MikroORM, t: Studio, clientId: string, label: string) {
  const tx = transaction(orm, t, clientId, label);
  tx.release();
  await tx.done;
}

function listen(plugin: Awaited<ReturnType<typeof fastPlugin>>, tenantId: string) {
  const seen: string[] = [];
  plugin.on('policy.changed', (e) => {
    if (e.tenantId === tenantId) seen.push(e.hash);
  });
  return seen;
}

const settles = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

beforeAll(() => testPlugin(), 120_000);

describe('outbox order', () => {
  it("delivers each client's events in commit order, and nothing of a rolled-back transaction", async () => {
    const t = await twoClients();
    const { orm } = await testPlugin();
    const plugin = await fastPlugin();
    const seen = listen(plugin, t.id);
    await committed(orm, t, 'sarah', 'sarah-1');
    await committed(orm, t, 'ben', 'ben-1');
    const undone = transaction(orm, t, 'sarah', 'sarah-undone', true);
    undone.release();
    await expect(undone.done).rejects.toThrow('rolled back on purpose');
    await committed(orm, t, 'sarah', 'sarah-2');
    await committed(orm, t, 'ben', 'ben-2');
    await plugin.drain({ tenantId: t.id });
    expect(seen).toEqual(['sarah-1', 'ben-1', 'sarah-2', 'ben-2']);
    await plugin.close();
  });

  /** Two transactions open at once need a real server (PGlite runs one at a time). */
  it.runIf(onPostgres)(
    'two clients of one tenant commit side by side; an open transaction holds back later numbers until it ends',
    async () => {
      const t = await twoClients();
      const { orm } = await testPlugin();
      const plugin = await fastPlugin();
      const seen = listen(plugin, t.id);
      await plugin.drain({ tenantId: t.id });

      // Sarah's first transaction writes its event (the lower number) and stays open.
      const first = transaction(orm, t, 'sarah', 'sarah-1');
      await first.written;
      // Ben, a client of the same tenant, commits meanwhile without waiting for it.
      expect(await settles(committed(orm, t, 'ben', 'ben-1'), 5000)).toBe(true);
      // Sarah's next transaction waits for her first (the client lock), as it must.
      const second = transaction(orm, t, 'sarah', 'sarah-2');
      expect(await settles(second.written, 300)).toBe(false);

      // Ben's event is committed, but numbered after an event that may still commit:
      // delivering it now would move the cursor past sarah-1. Nothing is delivered.
      await expect(plugin.drain({ tenantId: t.id, timeoutMs: 400 })).rejects.toThrow('drain timed out');
      expect(seen).toEqual([]);

      first.release();
      await first.done;
      await second.written;
      second.release();
      await second.done;
      await plugin.drain({ tenantId: t.id });
      expect(seen).toEqual(['sarah-1', 'ben-1', 'sarah-2']);
      await plugin.close();
    },
  );

  it.runIf(onPostgres)('a rolled-back transaction that held a number does not hold the line', async () => {
    const t = await twoClients();
    const { orm } = await testPlugin();
    const plugin = await fastPlugin();
    const seen = listen(plugin, t.id);
    const undone = transaction(orm, t, 'sarah', 'sarah-undone', true);
    await undone.written;
    await committed(orm, t, 'ben', 'ben-1');
    undone.release();
    await expect(undone.done).rejects.toThrow('rolled back on purpose');
    await plugin.drain({ tenantId: t.id });
    expect(seen).toEqual(['ben-1']);
    await plugin.close();
  });
});
