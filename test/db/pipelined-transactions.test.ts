import type { EntityManager } from '@mikro-orm/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/sql.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/**
 * On PostgreSQL BEGIN travels with the operation's first statement and the commit
 * statement with COMMIT (src/db/pipeline.ts, `write` in src/db/sql.ts). A failure
 * must still undo everything: nothing half-commits, and the answer is the failure.
 * The same tests run on PGlite, where nothing is pipelined.
 */
describe('pipelined transactions', () => {
  let t: Studio;
  let purchaseId: string;
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const { orm } = await testPlugin();
    return query({ tx: orm.em.fork() as unknown as EntityManager }, sql, params) as Promise<T[]>;
  };

  beforeAll(async () => {
    t = await newStudio();
    const plan = await addPlan(t, { id: 'ten', name: 'Ten', credits: 10 });
    purchaseId = (await buy(t, plan)).id;
    for (const id of ['s1', 's2'])
      await addSession(t, { id, startsAt: '2026-03-10T10:00:00-05:00', endsAt: '2026-03-10T11:00:00-05:00' });
    // The booking's commit statement fails in its last part (the outbox insert) for
    // session s1 only: the ledger entry, the balance and the reservation it wrote
    // first must go with it.
    await rows(`create or replace function pipelined_test_refuse() returns trigger language plpgsql as $$
      begin
        if new.tenant_id = '${t.id}' and new.payload ->> 'sessionId' = 's1' then
          raise exception 'refused by the test' using errcode = '23514';
        end if;
        return new;
      end $$`);
    await rows(
      'create trigger pipelined_test_refuse before insert on outbox for each row execute function pipelined_test_refuse()',
    );
  });
  afterAll(async () => {
    await rows('drop trigger if exists pipelined_test_refuse on outbox');
    await rows('drop function if exists pipelined_test_refuse()');
  });

  it('a commit statement that fails undoes the whole booking, and the answer is its error', async () => {
    const staff = t.as('staff');
    const refused = await staff.post('/v1/reservations', {
      clientId: t.clientId,
      sessionId: 's1',
      channel: 'online',
    });
    expectStatus(refused, 422);
    expect(refused.body.detail).toBe('breaks a rule of the data');
    expect(await rows('select id from reservations where tenant_id = $1', [t.id])).toEqual([]);
    expect(
      await rows<{ kind: string }>('select kind from ledger_entries where tenant_id = $1 order by seq', [
        t.id,
      ]),
    ).toEqual([{ kind: 'grant' }]);
    expect(
      await rows('select held, used, remaining from purchases where tenant_id = $1 and id = $2', [
        t.id,
        purchaseId,
      ]),
    ).toEqual([{ held: 0, used: 0, remaining: 10 }]);
    // Only the purchase's own events: nothing of the refused booking.
    expect(
      await rows(
        `select name from outbox where tenant_id = $1 and payload ? 'reservationId' and payload ->> 'reservationId' is not null`,
        [t.id],
      ),
    ).toEqual([]);

    // The connection it ran on is as good as new: the next booking commits whole.
    const booked = await staff.post('/v1/reservations', {
      clientId: t.clientId,
      sessionId: 's2',
      channel: 'online',
    });
    expectStatus(booked, 201);
    expect(
      await rows('select held, used, remaining from purchases where tenant_id = $1 and id = $2', [
        t.id,
        purchaseId,
      ]),
    ).toEqual([{ held: 1, used: 0, remaining: 9 }]);
    expect(
      await rows<{ kind: string }>('select kind from ledger_entries where tenant_id = $1 order by seq', [
        t.id,
      ]),
    ).toEqual([{ kind: 'grant' }, { kind: 'hold' }]);
    // Its events, in decision order, written by the commit statement.
    expect(
      await rows<{ name: string }>(
        `select name, payload ->> 'kind' as kind from outbox where tenant_id = $1 and payload ->> 'reservationId' = $2 order by seq`,
        [t.id, booked.body.id],
      ),
    ).toEqual([
      { name: 'credit.changed', kind: 'hold' },
      { name: 'reservation.changed', kind: null },
    ]);
  });

  it('BEGIN sent with the first statement still opens the transaction: a later failure undoes that first write', async () => {
    const { orm } = await testPlugin();
    const em = orm.em.fork() as unknown as EntityManager;
    await expect(
      em.transactional(async (tx) => {
        await query({ tx }, `insert into clients (tenant_id, id, name) values ($1, 'ghost', 'Ghost')`, [
          t.id,
        ]);
        await query({ tx }, 'select 1 / 0 as never', []);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    expect(await rows('select id from clients where tenant_id = $1 and id = $2', [t.id, 'ghost'])).toEqual(
      [],
    );
  });
});
