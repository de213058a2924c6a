import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { newSecret, type Received, startReceiver, verifyWebhook } from './support/receiver.ts';

// Opening the worker's database (and migrating it) can take a while on a busy machine.
beforeAll(() => testPlugin(), 120_000);

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

/** A receiver that answers 2xx only to requests it can verify with `secret`. */
async function verifyingReceiver(secret: () => string, failFirst = 0) {
  const receiver = await startReceiver((call, req) => {
    if (call <= failFirst) return 500;
    return verifyWebhook(secret(), req.headers, req.body).ok ? 204 : 400;
  });
  receivers.push(receiver);
  return receiver;
}

async function subscribe(t: Studio, url: string, secret: string, extra: Record<string, unknown> = {}) {
  const res = await t.as('admin').put('/v1/integrations/webhooks', {
    enabled: true,
    url,
    secret,
    events: ['purchase.created'],
    ...extra,
  });
  expectStatus(res, 200);
  return res.body;
}

const drain = async (t: Studio) => (await testPlugin()).drain({ tenantId: t.id });
const payloadOf = (r: Received) => JSON.parse(r.body) as { type: string; timestamp: string; data: any };
/** What a receiver keeps: delivery is at least once, so it deduplicates on webhook-id. */
const distinct = (calls: Received[]) =>
  calls.filter((c, i) => calls.findIndex((d) => d.headers['webhook-id'] === c.headers['webhook-id']) === i);

describe('signed webhooks', () => {
  it('signs each delivery (Standard Webhooks), retries failures, and logs every delivery', async () => {
    const secret = newSecret();
    const receiver = await verifyingReceiver(() => secret, 2);
    const t = await newStudio();
    await subscribe(t, receiver.url, secret);
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const purchase = await buy(t, plan);
    await drain(t);
    expect(receiver.calls.length).toBe(3);
    const last = receiver.calls[2];
    expect(verifyWebhook(secret, last.headers, last.body)).toEqual({ ok: true });
    expect(payloadOf(last)).toMatchObject({
      type: 'purchase.created',
      data: { tenantId: t.id, purchaseId: purchase.id },
    });
    // The id is the event's, the same on every retry, so receivers can deduplicate.
    expect(new Set(receiver.calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
    // A tampered body or another secret does not verify.
    expect(verifyWebhook(secret, last.headers, last.body.replace('10000', '1'))).toEqual({
      ok: false,
      reason: 'no signature matches',
    });
    expect(verifyWebhook(newSecret(), last.headers, last.body).ok).toBe(false);
    const log = await t.as('staff').get('/v1/integrations/webhooks/deliveries');
    expect(log.body.deliveries).toMatchObject([
      {
        eventId: last.headers['webhook-id'],
        event: 'purchase.created',
        subject: purchase.id,
        status: 'delivered',
        attempts: 3,
        lastError: 'endpoint answered 500',
        nextAttemptAt: null,
      },
    ]);
    expect(JSON.stringify(log.body)).not.toContain(secret.slice(6));
  });

  it('the receiver refuses a replay older than five minutes', async () => {
    const secret = newSecret();
    const receiver = await verifyingReceiver(() => secret);
    const t = await newStudio();
    await subscribe(t, receiver.url, secret);
    await buy(t, await addPlan(t, { name: 'Ten', credits: 10 }));
    await drain(t);
    const [delivered] = receiver.calls;
    const sentAt = Number(delivered.headers['webhook-timestamp']);
    expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(60);
    expect(verifyWebhook(secret, delivered.headers, delivered.body, sentAt + 299).ok).toBe(true);
    expect(verifyWebhook(secret, delivered.headers, delivered.body, sentAt + 301)).toEqual({
      ok: false,
      reason: 'timestamp outside five minutes',
    });
    // Moving the timestamp forward breaks the signature, which covers it.
    const replayed = { ...delivered.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    expect(verifyWebhook(secret, replayed, delivered.body, sentAt + 301).ok).toBe(false);
  });

  it('a rotated secret signs beside the old one for the overlap; with no overlap the old one stops at once', async () => {
    const [first, second, third] = [newSecret(), newSecret(), newSecret()];
    const receiver = await verifyingReceiver(() => first);
    const t = await newStudio();
    await subscribe(t, receiver.url, first);
    const plan = await addPlan(t, { name: 'Ten', credits: 10 });
    const rotated = await subscribe(t, receiver.url, second, { secretOverlapSeconds: 3600 });
    expect(rotated.previousSecretsExpireAt).toHaveLength(1);
    expect(new Date(rotated.previousSecretsExpireAt[0]).getTime() - Date.now()).toBeGreaterThan(3590_000);
    await buy(t, plan);
    await drain(t);
    const during = distinct(receiver.calls)[0];
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(first, during.headers, during.body).ok).toBe(true);
    expect(verifyWebhook(second, during.headers, during.body).ok).toBe(true);
    // Rotating again with no overlap drops `second` at once (`first` is still inside its own hour).
    await subscribe(t, receiver.url, third, { secretOverlapSeconds: 0 });
    await buy(t, plan);
    await drain(t);
    const after = distinct(receiver.calls)[1];
    expect(verifyWebhook(third, after.headers, after.body).ok).toBe(true);
    expect(verifyWebhook(second, after.headers, after.body).ok).toBe(false);
    expect(verifyWebhook(first, after.headers, after.body).ok).toBe(true);
  });

  it("tenant A's events never reach tenant B's endpoint; only chosen event types are sent", async () => {
    const [secretA, secretB] = [newSecret(), newSecret()];
    const receiverA = await verifyingReceiver(() => secretA);
    const receiverB = await verifyingReceiver(() => secretB);
    const a = await newStudio();
    const b = await newStudio();
    await subscribe(a, receiverA.url, secretA, { events: ['purchase.created', 'policy.changed'] });
    await subscribe(b, receiverB.url, secretB);
    const boughtA = await buy(a, await addPlan(a, { name: 'Ten', credits: 10 }));
    const boughtB = await buy(b, await addPlan(b, { name: 'Five', credits: 5 }));
    for (const tenant of [a, b])
      expectStatus(
        await tenant.as('admin').patch('/v1/policy/settings', { zeroPriceUsesCredits: true }),
        200,
      );
    await drain(a);
    await drain(b);
    expect(payloadOf(receiverA.calls[0]).data.purchaseId).toBe(boughtA.id);
    expect(payloadOf(receiverB.calls[0]).data.purchaseId).toBe(boughtB.id);
    expect(distinct(receiverA.calls).map((c) => [payloadOf(c).type, payloadOf(c).data.tenantId])).toEqual([
      ['purchase.created', a.id],
      ['policy.changed', a.id],
    ]);
    // B chose purchase.created only.
    expect(distinct(receiverB.calls).map((c) => [payloadOf(c).type, payloadOf(c).data.tenantId])).toEqual([
      ['purchase.created', b.id],
    ]);
    for (const c of receiverA.calls) expect(verifyWebhook(secretA, c.headers, c.body).ok).toBe(true);
    for (const c of receiverB.calls) expect(verifyWebhook(secretA, c.headers, c.body).ok).toBe(false);
  });
});
