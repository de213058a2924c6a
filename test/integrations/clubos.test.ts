import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { startReceiver } from './support/receiver.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
// Opening the worker's database (and migrating it) can take a while on a busy machine.
beforeAll(() => testPlugin(), 120_000);
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

/** A stand-in for Club OS: `answer` decides each call; it keeps one copy per idempotency key, as Club OS would. */
async function clubOs(answer: (call: number) => number | 'hang') {
  const receiver = await startReceiver((call) => answer(call));
  receivers.push(receiver);
  const keys = () => new Set(receiver.calls.map((c) => c.headers['idempotency-key']));
  return { ...receiver, keys };
}

async function enableClubOs(t: Studio, url: string) {
  expectStatus(
    await t.as('admin').put('/v1/integrations/clubos', { enabled: true, url, apiKey: 'clubos-api-key' }),
    200,
  );
}

describe('Club OS forwarding (B23)', () => {
  it('Club OS down (500, 500, a timeout): the purchase answers 201 at once; delivered once it recovers', {
    timeout: 60_000,
  }, async () => {
    const server = await clubOs((call) => (call <= 2 ? 500 : call === 3 ? 'hang' : 200));
    const t = await newStudio();
    await enableClubOs(t, server.url);
    const plan = await addPlan(t, {
      id: 'ten',
      name: 'Ten classes',
      credits: 10,
      integrations: { clubOs: true },
    });
    // The sale does not wait for Club OS: it has answered while the delivery is still
    // undelivered (Club OS fails twice, then hangs, before it accepts).
    const purchase = await buy(t, plan);
    const early = await t.as('staff').get(`/v1/purchases/${purchase.id}`);
    expect(['pending', 'failing']).toContain(early.body.integrations.clubos.status);

    await (await testPlugin()).drain({ tenantId: t.id });
    const shown = await t.as('staff').get(`/v1/purchases/${purchase.id}`);
    expect(shown.body.integrations.clubos).toMatchObject({
      status: 'delivered',
      attempts: 4,
      nextAttemptAt: null,
    });
    expect(shown.body.integrations.clubos.lastError).toBe('timed out');
    // Four sends, one purchase: every send carried the same key, so Club OS keeps one copy.
    expect(server.calls.length).toBe(4);
    expect([...server.keys()]).toEqual([`punchcard:${t.id}:purchase:${purchase.id}`]);
    const sent = JSON.parse(server.calls[3].body);
    expect(sent).toEqual({
      tenantId: t.id,
      purchaseId: purchase.id,
      clientId: 'sarah',
      planId: 'ten',
      planName: 'Ten classes',
      planKind: 'package',
      itemIds: ['yoga'],
      items: ['yoga'],
      credits: 10,
      unlimited: false,
      price: 10000,
      locationId: 'loc',
      source: 'pos',
      purchasedAt: purchase.purchasedAt,
      expiresAt: purchase.expiresAt,
    });
    expect(server.calls[3].headers.authorization).toBe('Bearer clubos-api-key');
    const log = await t.as('staff').get('/v1/integrations/clubos/deliveries');
    expect(log.body.deliveries).toMatchObject([
      { event: 'purchase.created', subject: purchase.id, status: 'delivered', attempts: 4 },
    ]);
    expect(JSON.stringify(log.body)).not.toContain('clubos-api-key');
    // Nothing more is sent later.
    await new Promise((r) => setTimeout(r, 300));
    expect(server.calls.length).toBe(4);
  });

  it('a plan without the flag sends nothing; a recurring purchase of a flagged plan is forwarded', async () => {
    const server = await clubOs(() => 200);
    const t = await newStudio();
    await enableClubOs(t, server.url);
    const plain = await buy(t, await addPlan(t, { name: 'Plain', credits: 5 }));
    const flagged = await addPlan(t, { name: 'Club', credits: 5, integrations: { clubOs: true } });
    const recurring = await buy(t, flagged, { source: 'recurring' });
    await (await testPlugin()).drain({ tenantId: t.id });
    expect([...new Set(server.calls.map((c) => JSON.parse(c.body).purchaseId))]).toEqual([recurring.id]);
    expect(JSON.parse(server.calls[0].body).source).toBe('recurring');
    expect((await t.as('staff').get(`/v1/purchases/${plain.id}`)).body.integrations).toEqual({});
    expect((await t.as('staff').get(`/v1/purchases/${recurring.id}`)).body.integrations.clubos).toMatchObject(
      {
        status: 'delivered',
        attempts: 1,
      },
    );
  });

  it('staff retry a failing delivery now; a delivered one is a 409, an unknown one a 404', async () => {
    let healthy = false;
    const server = await clubOs(() => (healthy ? 200 : 503));
    const t = await newStudio();
    await enableClubOs(t, server.url);
    const plan = await addPlan(t, { name: 'Club', credits: 5, integrations: { clubOs: true } });
    const purchase = await buy(t, plan);
    const staff = t.as('staff');
    let failing: { eventId: string; attempts: number } | undefined;
    for (let i = 0; i < 100 && !failing; i++) {
      failing = (await staff.get('/v1/integrations/clubos/deliveries?status=failing')).body.deliveries[0];
      if (!failing) await new Promise((r) => setTimeout(r, 50));
    }
    expect(failing?.attempts).toBeGreaterThanOrEqual(1);
    const shown = (await staff.get(`/v1/purchases/${purchase.id}`)).body.integrations.clubos;
    expect(shown).toMatchObject({ status: 'failing', lastError: 'endpoint answered 503' });
    const retried = await staff.post(`/v1/integrations/clubos/deliveries/${failing?.eventId}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ eventId: failing?.eventId, status: 'failing' });
    healthy = true;
    await (await testPlugin()).drain({ tenantId: t.id });
    expect((await staff.post(`/v1/integrations/clubos/deliveries/${failing?.eventId}/retry`)).status).toBe(
      409,
    );
    expect((await staff.post('/v1/integrations/clubos/deliveries/ev_nope/retry')).status).toBe(404);
    expect((await staff.get('/v1/integrations/clubos/deliveries?status=lost')).status).toBe(422);
    expect(server.calls.filter((c) => c.headers['idempotency-key']).length).toBe(server.calls.length);
    expect(server.keys().size).toBe(1);
  });
});
