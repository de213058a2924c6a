import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, defaultDispatcherOptions } from '../../src/outbox/dispatcher.ts';
import { newSecret, startReceiver } from '../integrations/support/receiver.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
beforeAll(() => testPlugin(), 120_000);
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  const { orm } = await testPlugin();
  return (await orm.em.fork().getConnection().execute(sql, params)) as T[];
}

const purchaseIdOf = (body: string) => (JSON.parse(body) as { data: { purchaseId: string } }).data.purchaseId;

describe('a delivery that fails for good', () => {
  it('holds back the tenant’s later events until an admin skips it; then they go out', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    let poisoned = '';
    // The receiver refuses one purchase forever and takes every other one.
    const receiver = await startReceiver((_, req) => (purchaseIdOf(req.body) === poisoned ? 500 : 204));
    receivers.push(receiver);
    const admin = t.as('admin');
    const staff = t.as('staff');
    expectStatus(
      await admin.put('/v1/integrations/webhooks', {
        enabled: true,
        url: receiver.url,
        secret: newSecret(),
        events: ['purchase.created'],
      }),
      200,
    );
    const first = await buy(t, plan);
    poisoned = first.id;
    const second = await buy(t, plan);
    // The first keeps failing; the second waits behind it.
    let failing: { eventId: string; attempts: number } | undefined;
    for (let i = 0; i < 200 && !(failing && failing.attempts >= 2); i++) {
      failing = (await staff.get('/v1/integrations/webhooks/deliveries?status=failing')).body.deliveries[0];
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(failing?.attempts).toBeGreaterThanOrEqual(2);
    const sentSoFar = () => receiver.calls.map((c) => purchaseIdOf(c.body));
    expect(new Set(sentSoFar())).toEqual(new Set([first.id]));

    const path = `/v1/integrations/webhooks/deliveries/${failing?.eventId}/skip`;
    expect((await staff.post(path)).status).toBe(403);
    const skipped = await admin.post(path);
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({
      eventId: failing?.eventId,
      event: 'purchase.created',
      subject: first.id,
      status: 'skipped',
      nextAttemptAt: null,
    });
    await (await testPlugin()).drain({ tenantId: t.id });
    const sent = sentSoFar();
    expect(sent.filter((id) => id === second.id)).toEqual([second.id]);
    expect(sent.indexOf(second.id)).toBe(sent.length - 1);
    const log = (await staff.get('/v1/integrations/webhooks/deliveries')).body.deliveries;
    expect(log.map((d: { subject: string; status: string }) => [d.subject, d.status])).toEqual([
      [second.id, 'delivered'],
      [first.id, 'skipped'],
    ]);
    expect(
      (await staff.get('/v1/integrations/webhooks/deliveries?status=skipped')).body.deliveries,
    ).toHaveLength(1);
    // Once skipped it is no longer failing; an unknown event is a 404.
    expect((await admin.post(path)).status).toBe(409);
    expect((await admin.post('/v1/integrations/webhooks/deliveries/ev_nope/skip')).status).toBe(404);
  });
});

describe('outbox retention', () => {
  it('prunes delivered events older than the retention, keeps newer ones and those still owed', async () => {
    const t = await newStudio();
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const { orm } = await testPlugin();
    const dispatcher = createDispatcher(orm, { ...defaultDispatcherOptions(), retentionMs: 60_000 });
    const name = `retention-${t.id}`;
    const seen: string[] = [];
    let fail = false;
    dispatcher.subscribe({
      name,
      events: new Set(['purchase.created']),
      async deliver(event) {
        if (event.tenantId !== t.id) return false;
        if (fail) throw new Error('receiver down');
        seen.push((event.payload as { purchaseId: string }).purchaseId);
        return true;
      },
    });
    await dispatcher.drain({ tenantId: t.id });
    const old = await buy(t, plan);
    await dispatcher.drain({ tenantId: t.id });
    fail = true;
    const owed = await buy(t, plan);
    await expect(dispatcher.drain({ tenantId: t.id, timeoutMs: 300 })).rejects.toThrow('drain timed out');
    expect(seen).toEqual([old.id]);
    const events = () =>
      rows<{ subject: string }>(
        "select subject from outbox where tenant_id = ? and name = 'purchase.created' order by seq",
        [t.id],
      );
    const deliveries = () =>
      rows<{ status: string }>(
        'select status from outbox_deliveries where tenant_id = ? and subscriber = ? order by seq',
        [t.id, name],
      );
    expect((await events()).map((e) => e.subject)).toEqual([old.id, owed.id]);
    expect((await deliveries()).map((d) => d.status)).toEqual(['delivered', 'failing']);

    // Within the retention nothing goes.
    await dispatcher.prune(new Date());
    expect((await events()).map((e) => e.subject)).toEqual([old.id, owed.id]);
    // An hour later, past the retention: the delivered event goes with its record; the owed one stays.
    await dispatcher.prune(new Date(Date.now() + 3600_000));
    expect((await events()).map((e) => e.subject)).toEqual([owed.id]);
    expect((await deliveries()).map((d) => d.status)).toEqual(['failing']);
    await dispatcher.unsubscribe(name, true);
    await dispatcher.stop();
  });
});
