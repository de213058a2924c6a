import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
