import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src/events.ts';
import { retryDelayMs } from '../../src/outbox/backoff.ts';
import { createCreditsPlugin } from '../../src/plugin.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** A second plugin on the worker's database with fast retries and no integrations: a second process, in effect. */
async function fastPlugin() {
  const { orm } = await testPlugin();
  return createCreditsPlugin({
    orm,
    migrate: false,
    plugins: [],
    outbox: { baseMs: 20, capMs: 200, pollMs: 50 },
  });
}

const probeEvent = (tenantId: string, hash: string): EventMap['policy.changed'] => ({
  tenantId,
  version: 1,
  hash,
  reason: 'probe',
});

async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  const { orm } = await testPlugin();
  return (await orm.em.fork().getConnection().execute(sql, params)) as T[];
}

// Opening the worker's database (and migrating it) can take a while on a busy machine.
beforeAll(() => testPlugin(), 120_000);

describe('the outbox', () => {
  it('a rolled-back request writes and delivers nothing; a committed one delivers once', async () => {
    const t = await newStudio();
    const host = await createCreditsPlugin({
      orm: (await testPlugin()).orm,
      migrate: false,
      plugins: [],
      auth: () => ({ tenantId: t.id, role: 'admin' }),
    });
    // Routes behind the same per-request transaction as every /v1 route: they collect an event, then answer.
    host.app.post('/v1/probe/:status', (c) => {
      c.var.pending.push({ name: 'policy.changed', payload: probeEvent(t.id, c.req.param('status')) });
      const status = Number(c.req.param('status')) as 201 | 422;
      return c.json({ status }, status);
    });
    const seen: string[] = [];
    const off = host.on('policy.changed', (e) => {
      if (e.tenantId === t.id) seen.push(e.hash);
    });
    expect((await host.app.request('/v1/probe/422', { method: 'POST' })).status).toBe(422);
    expect((await host.app.request('/v1/probe/201', { method: 'POST' })).status).toBe(201);
    await host.drain({ tenantId: t.id });
    expect(seen).toEqual(['201']);
    const written = await rows<{ hash: string }>(
      "select payload->>'hash' as hash from outbox where tenant_id = ? and name = 'policy.changed' and payload->>'reason' = 'probe'",
      [t.id],
    );
    expect(written.map((r) => r.hash)).toEqual(['201']);
    await off();
    await host.close();
  });

  it('a subscriber that throws is retried with growing back-off until it succeeds, each attempt recorded', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const plugin = await fastPlugin();
    const name = `flaky-${randomUUID()}`;
    const attempts: { attempt: number; at: number; recorded: unknown }[] = [];
    plugin.on(
      'purchase.created',
      async (e, meta) => {
        if (e.tenantId !== t.id) return;
        // What the outbox recorded of the attempts before this one.
        const [recorded] = await rows<{ status: string; attempts: number; last_error: string }>(
          'select d.status, d.attempts, d.last_error from outbox_deliveries d join outbox o on o.tenant_id = d.tenant_id and o.seq = d.seq where o.id = ? and d.subscriber = ?',
          [meta.id, name],
        );
        attempts.push({ attempt: meta.attempt, at: Date.now(), recorded: recorded ?? null });
        if (meta.attempt < 4) throw new Error(`boom ${meta.attempt}`);
      },
      { name },
    );
    // Registered before the sale (other tenants' traffic is not waited for).
    await plugin.drain({ tenantId: t.id });
    const purchase = await buy(t, plan);
    await plugin.drain({ tenantId: t.id });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.map((a) => a.recorded)).toEqual([
      null,
      { status: 'failing', attempts: 1, last_error: 'boom 1' },
      { status: 'failing', attempts: 2, last_error: 'boom 2' },
      { status: 'failing', attempts: 3, last_error: 'boom 3' },
    ]);
    // Equal jitter never waits less than half the step: 10, 20, 40 ms with a 20 ms base.
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(10);
    expect(gaps[1]).toBeGreaterThanOrEqual(20);
    expect(gaps[2]).toBeGreaterThanOrEqual(40);
    const [final] = await rows<{
      status: string;
      attempts: number;
      next_attempt_at: unknown;
      subject: string;
    }>(
      'select d.status, d.attempts, d.next_attempt_at, o.subject from outbox_deliveries d join outbox o on o.tenant_id = d.tenant_id and o.seq = d.seq where d.tenant_id = ? and d.subscriber = ?',
      [t.id, name],
    );
    expect(final).toEqual({ status: 'delivered', attempts: 4, next_attempt_at: null, subject: purchase.id });
    await plugin.close();
  });

  it('a slow subscriber neither delays the request nor the other subscribers', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const plugin = await fastPlugin();
    let release = () => {};
    const slowDone = new Promise<void>((resolve) => (release = resolve));
    const slowSaw: string[] = [];
    const fastSaw: string[] = [];
    plugin.on('purchase.created', async (e) => {
      if (e.tenantId !== t.id) return;
      slowSaw.push(e.purchaseId);
      await slowDone;
    });
    plugin.on('purchase.created', (e) => {
      if (e.tenantId === t.id) fastSaw.push(e.purchaseId);
    });
    await plugin.drain({ tenantId: 'nobody' });
    const first = await buy(t, plan);
    const second = await buy(t, plan);
    const deadline = Date.now() + 10_000;
    while (fastSaw.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Both purchases answered and reached the fast subscriber while the slow one is still on the first.
    expect(fastSaw).toEqual([first.id, second.id]);
    expect(slowSaw).toEqual([first.id]);
    release();
    await plugin.drain({ tenantId: t.id });
    expect(slowSaw).toEqual([first.id, second.id]);
    await plugin.close();
  });

  it('back-off doubles from the base with jitter, up to the cap', () => {
    const schedule = { baseMs: 1000, capMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, schedule, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, schedule, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
});
