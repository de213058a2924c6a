import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { createDispatcher, defaultDispatcherOptions } from '../../src/outbox/dispatcher.ts';
import { recordEvents } from '../../src/outbox/record.ts';

/**
 * A database of its own: pruning with a retention of a minute, an hour ahead, would
 * delete every other test's events on a shared one. On PostgreSQL a scratch database
 * on the same server, else an in-memory PGlite.
 */
async function ownDatabase(): Promise<{ orm: MikroORM; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const orm = await openOrm({});
    await migrate(orm);
    return { orm, drop: () => orm.close() };
  }
  const name = `${new URL(url).pathname.slice(1)}_retention_${randomUUID().slice(0, 8)}`;
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  const orm = await openOrm({ databaseUrl: own.toString() });
  await migrate(orm);
  return {
    orm,
    drop: async () => {
      await orm.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe('outbox retention', () => {
  it('prunes delivered events older than the retention, keeps newer ones and those still owed', async () => {
    const { orm, drop } = await ownDatabase();
    const rows = async <T>(sql: string, params: unknown[] = []) =>
      (await orm.em.fork().getConnection().execute(sql, params)) as T[];
    const commit = async (hash: string) => {
      const em = orm.em.fork() as unknown as EntityManager;
      await em.transactional((tx) =>
        recordEvents(
          tx,
          [{ name: 'policy.changed', payload: { tenantId: 't1', version: 1, hash, reason: 'retention' } }],
          new Date(),
        ),
      );
    };
    const dispatcher = createDispatcher(orm, { ...defaultDispatcherOptions(), retentionMs: 60_000 });
    const seen: string[] = [];
    let fail = false;
    dispatcher.subscribe({
      name: 'audit',
      events: new Set(['policy.changed']),
      async deliver(event) {
        if (fail) throw new Error('receiver down');
        seen.push((event.payload as { hash: string }).hash);
        return true;
      },
    });
    // A subscriber no process has run within the retention does not hold events back.
    await rows(
      `insert into outbox_subscribers (name, registered_at, routed_seq, seen_at)
       values ('gone', now() - interval '30 days', 0, now() - interval '30 days')`,
    );
    await dispatcher.drain();
    await commit('old');
    await dispatcher.drain();
    fail = true;
    await commit('owed');
    await expect(dispatcher.drain({ timeoutMs: 300 })).rejects.toThrow('drain timed out');
    expect(seen).toEqual(['old']);
    const events = async () =>
      (await rows<{ hash: string }>("select payload->>'hash' as hash from outbox order by seq")).map(
        (e) => e.hash,
      );
    const deliveries = async () =>
      (await rows<{ status: string }>('select status from outbox_deliveries order by seq')).map(
        (d) => d.status,
      );
    expect(await events()).toEqual(['old', 'owed']);
    expect(await deliveries()).toEqual(['delivered', 'failing']);

    // Within the retention nothing goes.
    expect(await dispatcher.prune(new Date())).toBe(0);
    expect(await events()).toEqual(['old', 'owed']);
    // An hour later, past the retention: the delivered event goes with its record; the owed one stays.
    expect(await dispatcher.prune(new Date(Date.now() + 3600_000))).toBe(1);
    expect(await events()).toEqual(['owed']);
    expect(await deliveries()).toEqual(['failing']);
    await dispatcher.stop();
    await drop();
  });
});
