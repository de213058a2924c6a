import { describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

describe('credit report paging (B22)', () => {
  it('streams 2 500 uses across keyset pages as CSV, in commit order, with from/to filters', async () => {
    const t = await newStudio('mytime');
    const p = await buy(t, await addPlan(t, { name: 'Big', credits: 5000 }));
    const { orm } = await testPlugin();
    const conn = orm.em.fork().getConnection();
    // 2 500 uses written straight to the ledger (the counters follow, so the invariant holds).
    await conn.execute(
      `insert into ledger_entries (tenant_id, id, purchase_id, kind, total, held, used, deducted, expired, actor, idempotency_key, occurred_at)
       select ?, 'u' || g, ?, 'use', 0, 0, 1, 0, 0, 'test', 'u:' || g, timestamp '2026-03-01' + g * interval '1 minute'
         from generate_series(1, 2500) g`,
      [t.id, p.id],
    );
    await conn.execute('update purchases set used = 2500, remaining = 2500 where tenant_id = ? and id = ?', [
      t.id,
      p.id,
    ]);
    const csv = await request('GET', '/v1/reports/credits?clientId=sarah', {
      key: t.staff,
      headers: { accept: 'text/csv' },
    });
    const lines = (csv.body as string).trim().split('\r\n');
    // The header, the purchase's own row, then its 2 500 uses.
    expect(lines).toHaveLength(2502);
    expect(lines[1].split(',').slice(4, 6)).toEqual(['purchase', '']);
    expect(lines[2].split(',').slice(4, 6)).toEqual(['use', '1']);
    const minutes = lines.slice(2).map((l) => new Date(l.split(',')[8]).getTime());
    expect(minutes.every((m, i) => i === 0 || m > minutes[i - 1])).toBe(true);
    expect(lines.at(-1)?.split(',').slice(9)).toEqual(['active', '5000', '2500', '0', '0', '0', '2500']);
    const window = await t
      .as('staff')
      .get('/v1/reports/credits?from=2026-03-01T01:00:00Z&to=2026-03-01T02:00:00Z');
    // The window limits uses; the purchase's own row is always there.
    expect(window.body.rows).toHaveLength(61);
    expect(window.body.rows[0].entry).toBe('purchase');
    expect(window.body.rows[1].occurredAt).toBe('2026-03-01T01:00:00.000Z');
  });
});

describe('the tenant-wide report catches up first', () => {
  it('a credit used by the start time passing shows without any other read or sweep', async () => {
    const t = await newStudio('mytime');
    await buy(t, await addPlan(t, { name: '5', credits: 5 }));
    await reserve(
      t,
      await addSession(t, { startsAt: '2026-03-03T10:00:00-05:00', endsAt: '2026-03-03T11:00:00-05:00' }),
    );
    setNow('2026-03-03T15:00:00Z');
    const report = await t.as('staff').get('/v1/reports/credits');
    expect(
      report.body.rows.map((r: { entry: string; occurredAt: string }) => [r.entry, r.occurredAt]),
    ).toEqual([
      ['purchase', '2026-03-02T15:00:00.000Z'],
      ['use', '2026-03-03T15:00:00.000Z'],
    ]);
  });
});
