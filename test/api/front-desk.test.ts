import { describe, expect, it } from 'vitest';
import { type Answer, expectStatus } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, addSession, balanceOf, buy, newStudio, reserve } from '../support/fixtures.ts';

const at = (day: string, hour = 10) => ({
  startsAt: `2026-03-${day}T${hour}:00:00-05:00`,
  endsAt: `2026-03-${day}T${hour + 1}:00:00-05:00`,
});

describe('the schedule and the roster (issue 17, item 4)', () => {
  it('lists sessions by location, dates and staff in keyset pages; a session shows its staff', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const staff = t.as('staff');
    expectStatus(
      await admin.post('/v1/locations', { id: 'bk', name: 'Brooklyn', timeZone: 'America/New_York' }),
      201,
    );
    const created = await staff.post('/v1/sessions', {
      id: 's1',
      itemId: 'yoga',
      locationId: 'loc',
      staffId: 'ana',
      ...at('03'),
    });
    expectStatus(created, 201);
    expect(created.body.staffId).toBe('ana');
    await addSession(t, { id: 's2', staffId: 'ben', ...at('03', 12) });
    await addSession(t, { id: 's3', staffId: 'ana', ...at('04') });
    await addSession(t, { id: 's4', staffId: 'ana', locationId: 'bk', ...at('04') });
    await addSession(t, { id: 's5', ...at('06') });
    expect((await staff.get('/v1/sessions/s5')).body.staffId).toBeNull();

    const ids = (body: { sessions: { id: string }[] }) => body.sessions.map((s) => s.id);
    const all = await staff.get('/v1/sessions');
    expect(ids(all.body)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(all.body.next).toBeNull();
    // Each row names its item, so the desk picks a class by what it is called.
    expect(all.body.sessions[0]).toMatchObject({ id: 's1', itemId: 'yoga', itemName: 'Yoga' });
    expect(ids((await staff.get('/v1/sessions?locationId=loc&staffId=ana')).body)).toEqual(['s1', 's3']);
    const window = `from=${encodeURIComponent('2026-03-03T12:00:00-05:00')}&to=${encodeURIComponent('2026-03-06T00:00:00-05:00')}`;
    expect(ids((await staff.get(`/v1/sessions?${window}`)).body)).toEqual(['s2', 's3', 's4']);

    // Pages of two: every session once, in start order, then no cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await staff.get(`/v1/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expectStatus(page, 200);
      seen.push(...ids(page.body));
      cursor = page.body.next;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(pages).toBe(3);

    expect((await staff.get('/v1/sessions?cursor=nope')).body.errors).toEqual([
      { path: '/cursor', message: 'is not a cursor from a previous page' },
    ]);
    expect((await staff.get('/v1/sessions?limit=201')).body.errors).toEqual([
      { path: '/limit', message: 'must be at most 200' },
    ]);
    expect((await staff.get('/v1/sessions?limit=0')).body.errors[0].path).toBe('/limit');
    expect((await staff.get('/v1/sessions?from=yesterday')).body.errors[0].path).toBe('/from');
  });

  it('the roster: each attendee with status, credit, paying purchase, label and name; reading writes nothing', async () => {
    const t = await newStudio('mytime');
    expectStatus(await t.as('staff').post('/v1/clients', { id: 'john', name: 'John' }), 201);
    const p = await buy(t, await addPlan(t, { name: 'Five', credits: 5 }));
    const session = await addSession(t, { staffId: 'ana', ...at('03') });
    const sarah = await reserve(t, session);
    const john = await t
      .as('staff')
      .post('/v1/reservations', { clientId: 'john', sessionId: session, channel: 'online' });
    expectStatus(john, 201);

    const roster = await t.as('staff').get(`/v1/sessions/${session}/attendees`);
    expectStatus(roster, 200);
    expect(roster.body).toEqual({
      sessionId: session,
      attendees: [
        {
          reservationId: sarah.id,
          clientId: 'sarah',
          clientName: 'Sarah',
          channel: 'in_store',
          status: 'booked',
          credit: { state: 'held', units: 1 },
          purchaseId: p.id,
          label: 'Available in Package',
        },
        {
          reservationId: john.body.id,
          clientId: 'john',
          clientName: 'John',
          channel: 'online',
          status: 'booked',
          credit: { state: 'none', units: 0 },
          purchaseId: null,
          label: null,
        },
      ],
    });
    expectStatus(await t.as('staff').post(`/v1/reservations/${sarah.id}/check-in`), 200);
    expectStatus(await t.as('staff').post(`/v1/reservations/${john.body.id}/cancel`), 200);
    const labels = async () =>
      (await t.as('staff').get(`/v1/sessions/${session}/attendees`)).body.attendees.map(
        (a: { status: string; label: string | null }) => [a.status, a.label],
      );
    // MyTime uses an in-store credit once the class has started (B12). The roster shows
    // what is stored and applies no trigger itself: reading it writes nothing.
    setNow('2026-03-03T15:30:00Z');
    expect(await labels()).toEqual([
      ['checked_in', 'Available in Package'],
      ['canceled', null],
    ]);
    expect(await labels()).toEqual([
      ['checked_in', 'Available in Package'],
      ['canceled', null],
    ]);
    // The reservation's own read shows the due trigger decided in memory and writes
    // nothing either (issue 15); the client's balance read commits it (catch-up), and the
    // roster then shows it used.
    expect((await t.as('staff').get(`/v1/reservations/${sarah.id}`)).body.label).toBe('Package Used');
    expect(await labels()).toEqual([
      ['checked_in', 'Available in Package'],
      ['canceled', null],
    ]);
    expect((await balanceOf(t, p.id)).remaining).toBe(4);
    expect(await labels()).toEqual([
      ['checked_in', 'Package Used'],
      ['canceled', null],
    ]);
    expect((await balanceOf(t, p.id)).remaining).toBe(4);
    expect((await t.as('staff').get('/v1/sessions/nope/attendees')).status).toBe(404);
  });
  it("another tenant's schedule, roster and item types are out of sight", async () => {
    const t = await newStudio('mytime');
    const u = await newStudio('mytime');
    const session = await addSession(t, { staffId: 'ana', ...at('03') });
    await reserve(t, session);
    expectStatus(
      await t.as('admin').post('/v1/item-types', { id: 'Mine', name: 'Mine', schedulerBucket: true }),
      201,
    );
    expect((await u.as('staff').get('/v1/sessions')).body).toEqual({ sessions: [], next: null });
    expect((await u.as('staff').get(`/v1/sessions/${session}/attendees`)).status).toBe(404);
    expect((await u.as('staff').get('/v1/item-types')).body).toEqual({ itemTypes: [] });
    expect((await u.as('admin').patch('/v1/items/yoga', { name: 'x' })).status).toBe(200);
    expect((await t.as('staff').get(`/v1/sessions/${session}`)).body.staffId).toBe('ana');
    expect((await u.as('staff').get('/v1/clients/sarah/reservations')).body.reservations).toEqual([]);
  });
});

describe('item types are records (item 8)', () => {
  it('POST/GET /v1/item-types; B7 reads the record: a session bucket of a flagged type grants its sessions', async () => {
    const t = await newStudio('abc-scheduler');
    const admin = t.as('admin');
    const made = await admin.post('/v1/item-types', {
      id: 'PT_Packs',
      name: 'PT packs',
      schedulerBucket: true,
    });
    expectStatus(made, 201);
    expect(made.body).toEqual({ id: 'PT_Packs', name: 'PT packs', schedulerBucket: true });
    expectStatus(
      await admin.post('/v1/item-types', { id: 'Retail', name: 'Retail', schedulerBucket: false }),
      201,
    );
    // A record named like the literal decides for itself.
    expectStatus(
      await admin.post('/v1/item-types', {
        id: 'Scheduler_Bucket',
        name: 'Not a bucket here',
        schedulerBucket: false,
      }),
      201,
    );
    expect(
      (await admin.post('/v1/item-types', { id: 'PT_Packs', name: 'again', schedulerBucket: true })).status,
    ).toBe(409);
    expect((await t.as('staff').post('/v1/item-types', { name: 'x', schedulerBucket: true })).status).toBe(
      403,
    );
    expect((await admin.post('/v1/item-types', { name: 'x' })).body.errors).toEqual([
      { path: '/schedulerBucket', message: 'is required' },
    ]);
    const listed = await t.as('staff').get('/v1/item-types');
    expect(listed.body.itemTypes.map((i: { id: string }) => i.id)).toEqual([
      'PT_Packs',
      'Retail',
      'Scheduler_Bucket',
    ]);

    const bucket = (itemType: string) =>
      addPlan(t, { name: itemType, kind: 'session_bucket', credits: 6, itemType, bucketType: 'standard' });
    expect((await buy(t, await bucket('PT_Packs'))).remaining).toBe(6);
    expect((await buy(t, await bucket('Retail'))).remaining).toBe(0);
    expect((await buy(t, await bucket('Scheduler_Bucket'))).remaining).toBe(0);
  });

  it('the literal Scheduler_Bucket still grants where no record names it (data from before records)', async () => {
    const t = await newStudio('abc-scheduler');
    const plan = await addPlan(t, {
      name: 'Six',
      kind: 'session_bucket',
      credits: 6,
      itemType: 'Scheduler_Bucket',
    });
    expect((await buy(t, plan)).remaining).toBe(6);
    expect((await t.as('staff').get('/v1/item-types')).body).toEqual({ itemTypes: [] });
  });
});

describe('plans and items change later (item 9)', () => {
  it('PATCH /v1/plans/{id}: coverage changes for new bookings; a booking already paid keeps its credit', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    expectStatus(
      await admin.post('/v1/items', { id: 'spin', name: 'Spin', kind: 'class', price: 3000 }),
      201,
    );
    const planId = await addPlan(t, { id: 'ten', name: 'Ten', credits: 10 });
    const p = await buy(t, planId);
    const early = await reserve(t, await addSession(t, at('03')));
    expect(early.credit.state).toBe('held');

    const patched = await admin.patch('/v1/plans/ten', {
      name: 'Ten (spin)',
      addItemIds: ['spin'],
      removeItemIds: ['yoga'],
      priority: 5,
    });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({
      id: 'ten',
      name: 'Ten (spin)',
      itemIds: ['spin'],
      priority: 5,
      credits: 10,
    });

    // The yoga booking made before keeps its credit and is used when the class starts (B12).
    setNow('2026-03-03T15:30:00Z');
    const checked = await t.as('staff').get(`/v1/reservations/${early.id}`);
    expect(checked.body).toMatchObject({
      purchaseId: p.id,
      credit: { state: 'used' },
      label: 'Package Used',
    });
    // A new yoga booking finds no credit; a spin booking is paid by the plan.
    const uncovered = await reserve(t, await addSession(t, at('04')));
    expect(uncovered.credit.state).toBe('none');
    // Its explanation says why, under the policy version it was decided with.
    expect(uncovered.explain).toMatchObject({
      assignment: { chosen: null, summary: 'no purchase of this client covers the item' },
      policyVersion: 1,
    });
    const spin = await reserve(t, await addSession(t, { itemId: 'spin', ...at('05') }));
    expect(spin).toMatchObject({ purchaseId: p.id, credit: { state: 'held' } });
    expect((await balanceOf(t, p.id)).remaining).toBe(8);
    // Adding what is covered and removing what is not change nothing.
    expect(
      (await admin.patch('/v1/plans/ten', { addItemIds: ['spin'], removeItemIds: ['yoga'] })).body.itemIds,
    ).toEqual(['spin']);
  });

  it('PATCH /v1/plans/{id} refuses bad input with pointers and changes nothing', async () => {
    const t = await newStudio('mytime');
    await addPlan(t, { id: 'ten', name: 'Ten', credits: 10 });
    const admin = t.as('admin');
    expect(
      (await admin.patch('/v1/plans/ten', { addItemIds: ['nope', 'yoga'], removeItemIds: ['yoga'] })).body
        .errors,
    ).toEqual([
      { path: '/addItemIds/0', message: "no item with id 'nope'" },
      { path: '/addItemIds/1', message: "'yoga' is also in removeItemIds" },
    ]);
    expect((await admin.patch('/v1/plans/ten', { credits: 20 })).body.errors).toEqual([
      { path: '/credits', message: 'is not a known field' },
    ]);
    expect((await admin.patch('/v1/plans/ten', {})).status).toBe(422);
    expect((await admin.patch('/v1/plans/nope', { name: 'x' })).status).toBe(404);
    expect((await t.as('staff').patch('/v1/plans/ten', { name: 'x' })).status).toBe(403);
    expect((await t.as('staff').get('/v1/item-types')).status).toBe(200);
    const plan = (await admin.patch('/v1/plans/ten', { integrations: { clubOs: true } })).body;
    expect(plan).toMatchObject({
      name: 'Ten',
      itemIds: ['yoga'],
      credits: 10,
      integrations: { clubOs: true },
    });
  });

  it('PATCH /v1/items/{id}: name, price, item type, bucket type, integrations; not its kind', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const changed = await admin.patch('/v1/items/yoga', {
      name: 'Hot yoga',
      price: 3000,
      itemType: 'Classes',
      bucketType: 'personal_training',
      integrations: { clubOs: true },
    });
    expectStatus(changed, 200);
    expect(changed.body).toEqual({
      id: 'yoga',
      name: 'Hot yoga',
      kind: 'class',
      price: 3000,
      itemType: 'Classes',
      bucketType: 'personal_training',
      integrations: { clubOs: true },
    });
    expect((await admin.patch('/v1/items/yoga', { itemType: null })).body.itemType).toBeNull();
    expect((await admin.patch('/v1/items/yoga', { kind: 'event', price: -1 })).body.errors).toEqual([
      { path: '/kind', message: 'is not a known field' },
      { path: '/price', message: 'must be >= 0' },
    ]);
    expect((await admin.patch('/v1/items/nope', { name: 'x' })).status).toBe(404);
    expect((await t.as('staff').patch('/v1/items/yoga', { name: 'x' })).status).toBe(403);
  });
});

describe("a client's entire attendance history (item 10)", () => {
  it('keyset pages, newest session first, past 100; filters by session dates and status', async () => {
    const t = await newStudio('gymgo');
    const staff = t.as('staff');
    // 105 reservations on 105 sessions, a minute apart: more than the old cap of 100.
    const starts = Array.from({ length: 105 }, (_, i) => new Date(Date.UTC(2026, 2, 10, 14, i)));
    for (const [i, start] of starts.entries()) {
      await addSession(t, {
        id: `s${String(i).padStart(3, '0')}`,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(),
      });
      const r = await reserve(t, `s${String(i).padStart(3, '0')}`);
      if (i % 10 === 0) expectStatus(await staff.post(`/v1/reservations/${r.id}/cancel`), 200);
    }
    const sessionsOf = (body: { reservations: { session: { id: string } }[] }) =>
      body.reservations.map((r) => r.session.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer = await staff.get(
        `/v1/clients/sarah/reservations${cursor ? `?cursor=${cursor}` : ''}`,
      );
      expectStatus(page, 200);
      seen.push(...sessionsOf(page.body));
      cursor = page.body.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3); // 50 + 50 + 5
    expect(seen).toHaveLength(105);
    expect(seen[0]).toBe('s104');
    expect(seen.at(-1)).toBe('s000');
    expect(new Set(seen).size).toBe(105);

    const canceled = await staff.get('/v1/clients/sarah/reservations?status=canceled&limit=100');
    expect(sessionsOf(canceled.body)).toEqual([
      's100',
      's090',
      's080',
      's070',
      's060',
      's050',
      's040',
      's030',
      's020',
      's010',
      's000',
    ]);
    const from = encodeURIComponent(starts[20].toISOString());
    const to = encodeURIComponent(starts[25].toISOString());
    const window = await staff.get(`/v1/clients/sarah/reservations?from=${from}&to=${to}&status=booked`);
    expect(sessionsOf(window.body)).toEqual(['s024', 's023', 's022', 's021']);
    expect(window.body.next).toBeNull();
    expect((await staff.get('/v1/clients/sarah/reservations?status=gone')).body.errors[0].path).toBe(
      '/status',
    );
    expect((await staff.get('/v1/clients/sarah/reservations?limit=101')).body.errors).toEqual([
      { path: '/limit', message: 'must be at most 100' },
    ]);
    expect((await staff.get('/v1/clients/sarah/reservations?cursor=%25%25')).body.errors[0].path).toBe(
      '/cursor',
    );
  }, 120_000);
});
