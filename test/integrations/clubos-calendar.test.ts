import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, reserve } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { startReceiver } from './support/receiver.ts';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
beforeAll(() => testPlugin(), 120_000);
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

const at = (day: string) => ({
  startsAt: `2026-03-${day}T10:00:00-05:00`,
  endsAt: `2026-03-${day}T11:00:00-05:00`,
});

describe('Club OS calendar events (issue 17, item 7)', () => {
  it('bookings, check-ins, no-shows and cancellations of flagged items go once each, with the PT flag', {
    timeout: 60_000,
  }, async () => {
    // Club OS fails the first call: the retry carries the same key.
    const server = await startReceiver((call) => (call === 1 ? 503 : 200));
    receivers.push(server);
    const t = await newStudio('abc-scheduler');
    const admin = t.as('admin');
    const staff = t.as('staff');
    expectStatus(
      await admin.put('/v1/integrations/clubos', {
        enabled: true,
        url: server.url,
        apiKey: 'clubos-api-key',
      }),
      200,
    );
    expectStatus(
      await admin.post('/v1/items', {
        id: 'pt',
        name: 'PT 60',
        kind: 'appointment',
        price: 8000,
        bucketType: 'personal_training',
        integrations: { clubOs: true },
      }),
      201,
    );
    // A PT bucket pays for the PT sessions; moving its credit is not a calendar event.
    const bucket = await addPlan(t, {
      name: 'PT six',
      kind: 'session_bucket',
      credits: 6,
      itemType: 'Scheduler_Bucket',
      bucketType: 'personal_training',
      itemIds: ['pt'],
    });
    const first = await buy(t, bucket);
    const second = await buy(t, bucket);
    const checkedIn = await reserve(t, await addSession(t, { id: 'pt1', itemId: 'pt', ...at('03') }));
    expectStatus(await staff.post(`/v1/reservations/${checkedIn.id}/check-in`), 200);
    const noShow = await reserve(t, await addSession(t, { id: 'pt2', itemId: 'pt', ...at('04') }));
    expectStatus(await staff.post(`/v1/reservations/${noShow.id}/no-show`), 200);
    const canceled = await reserve(t, await addSession(t, { id: 'pt3', itemId: 'pt', ...at('05') }));
    const moved = canceled.purchaseId === first.id ? second.id : first.id;
    expectStatus(await staff.put(`/v1/reservations/${canceled.id}/purchase`, { purchaseId: moved }), 200);
    expectStatus(await staff.post(`/v1/reservations/${canceled.id}/cancel`), 200);
    // An item without the flag sends nothing.
    await reserve(t, await addSession(t, { id: 'yoga1', ...at('06') }));
    // Flagged later: from then on its changes go too.
    expectStatus(await admin.patch('/v1/items/yoga', { integrations: { clubOs: true } }), 200);
    const yoga = await reserve(t, await addSession(t, { id: 'yoga2', ...at('07') }));

    await (await testPlugin()).drain({ tenantId: t.id });
    const bodies = server.calls.map((c) => JSON.parse(c.body));
    const calendar = bodies.filter((b) => b.type === 'calendar_event');
    // The first call failed and was sent again: one more call than events, one key per event.
    expect(server.calls.length).toBe(calendar.length);
    const keys = server.calls.map((c) => c.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(calendar.length - 1);
    expect(keys.every((k) => String(k).startsWith(`punchcard:${t.id}:event:`))).toBe(true);
    const delivered = [...new Map(calendar.map((b, i) => [keys[i], b])).values()];
    expect(delivered.map((b) => [b.event, b.sessionId, b.personalTraining])).toEqual([
      ['booked', 'pt1', true],
      ['checked_in', 'pt1', true],
      ['booked', 'pt2', true],
      ['no_show', 'pt2', true],
      ['booked', 'pt3', true],
      ['canceled', 'pt3', true],
      ['booked', 'yoga2', false],
    ]);
    expect(delivered[1]).toEqual({
      type: 'calendar_event',
      event: 'checked_in',
      reservationId: checkedIn.id,
      clientId: 'sarah',
      sessionId: 'pt1',
      itemId: 'pt',
      locationId: 'loc',
      startsAt: '2026-03-03T15:00:00.000Z',
      endsAt: '2026-03-03T16:00:00.000Z',
      personalTraining: true,
    });
    expect(delivered[6].reservationId).toBe(yoga.id);
    expect(server.calls[0].headers.authorization).toBe('Bearer clubos-api-key');
    // Nothing more goes later.
    await new Promise((r) => setTimeout(r, 300));
    expect(server.calls.length).toBe(calendar.length);
  });
});
