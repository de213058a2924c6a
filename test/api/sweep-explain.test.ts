import type { EntityManager } from '@mikro-orm/sql';
import { describe, expect, it } from 'vitest';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** Issue 15: a sweep stores its steps by reference; the API shows the explanation as before. */
describe('swept explanations by reference', () => {
  it('the sweep names its steps in one dictionary per batch; reads and later changes see the same explanation', async () => {
    const t = await newStudio('mytime');
    const staff = t.as('staff');
    const plan = await addPlan(t, { name: '10', credits: 10 });
    for (const id of ['ana', 'ben']) await staff.post('/v1/clients', { id, name: id });
    await buy(t, plan, { clientId: 'ana' });
    await buy(t, plan, { clientId: 'ben' });
    const s = await addSession(t, {
      startsAt: '2026-03-03T10:00:00-05:00',
      endsAt: '2026-03-03T11:00:00-05:00',
    });
    const book = async (clientId: string) =>
      (await staff.post('/v1/reservations', { clientId, sessionId: s, channel: 'online' })).body;
    const [a, b] = [await book('ana'), await book('ben')];
    const booked = a.explain.usage;
    expect(booked).toHaveLength(1);
    setNow('2026-03-03T16:00:00Z');
    expect((await t.as('admin').post('/v1/sweeps', {})).body).toEqual({
      sessions: 1,
      used: 2,
      released: 0,
      skipped: 0,
    });
    // An online booking: the start uses the credit, the end finds it used.
    const swept = [
      {
        trigger: 'session_started',
        event: 'use',
        rule: 'start-time-uses-the-credit',
        reason: "rule 'start-time-uses-the-credit' on session_started",
        state: 'used',
        at: '2026-03-03T15:00:00.000Z',
      },
      {
        trigger: 'session_ended',
        event: 'use',
        rule: 'after-class-sweep-uses-the-credit',
        reason: "rule 'after-class-sweep-uses-the-credit' on session_ended",
        state: 'used',
        at: '2026-03-03T16:00:00.000Z',
      },
    ];
    expect(a.explain.policyVersion).toBe(1);
    const expected = {
      assignment: a.explain.assignment,
      usage: [...booked, ...swept],
      policyVersion: 1,
      policyHash: a.explain.policyHash,
    };
    expect((await staff.get(`/v1/reservations/${a.id}`)).body.explain).toEqual(expected);
    expect((await staff.get(`/v1/reservations/${b.id}`)).body.explain.usage).toEqual([
      ...b.explain.usage,
      ...swept,
    ]);

    // Stored: each document as the booking left it, the swept step once for both rows.
    const { orm } = await testPlugin();
    const em = orm.em.fork() as unknown as EntityManager;
    const sql = em.getConnection();
    const rows = await sql.execute<{ id: string; steps: number; usage_entry: number; entries: unknown[] }[]>(
      `select r.id, jsonb_array_length(r.explain -> 'usage') as steps, r.usage_entry, d.entries
         from reservations r join usage_dictionaries d on d.tenant_id = r.tenant_id and d.id = r.usage_dictionary
        where r.tenant_id = ? order by r.id`,
      [t.id],
    );
    expect(rows.map((r) => [Number(r.steps), Number(r.usage_entry)])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(rows[0]?.entries).toEqual([swept]);

    // A later change (staff move ana's credit to another purchase) folds the reference
    // into the document: the explanation keeps the swept steps, in order.
    const other = await buy(t, plan, { clientId: 'ana' });
    expect((await staff.put(`/v1/reservations/${a.id}/purchase`, { purchaseId: other.id })).status).toBe(200);
    const after = (await staff.get(`/v1/reservations/${a.id}`)).body.explain;
    expect(after.usage.slice(0, 3)).toEqual([...booked, ...swept]);
    const [folded] = await sql.execute<{ usage_dictionary: string | null; steps: number }[]>(
      `select usage_dictionary, jsonb_array_length(explain -> 'usage') as steps from reservations
        where tenant_id = ? and id = ?`,
      [t.id, a.id],
    );
    expect(folded).toEqual({ usage_dictionary: null, steps: after.usage.length });
  });
});
