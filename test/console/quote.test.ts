import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { defaultNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/**
 * Issues 17 and 18 at the desk: the client view quotes which credit would pay for a
 * session picked by name and time (plan, label, counts after, why), writing nothing,
 * and every reservation shows its paying purchase's counts.
 */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;
let studio: Studio;

async function seed(): Promise<Studio> {
  const t = await newStudio('gymgo');
  const staff = t.as('staff');
  const admin = t.as('admin');
  expectStatus(await admin.post('/v1/items', { id: 'spin', name: 'Spin', kind: 'class', price: 3000 }), 201);
  const plan = await addPlan(t, { id: 'ten', name: '10 classes', credits: 10 });
  await buy(t, plan, { id: 'p10', purchasedAt: '2026-02-01T12:00:00Z' });
  await addSession(t, { id: 's1', startsAt: '2026-03-03T10:00:00Z', endsAt: '2026-03-03T11:00:00Z' });
  await addSession(t, { id: 's2', startsAt: '2026-03-04T10:00:00Z', endsAt: '2026-03-04T11:00:00Z' });
  await addSession(t, { id: 's3', startsAt: '2026-03-05T10:00:00Z', endsAt: '2026-03-05T11:00:00Z' });
  await addSession(t, {
    id: 's4',
    itemId: 'spin',
    startsAt: '2026-03-06T18:00:00Z',
    endsAt: '2026-03-06T19:00:00Z',
  });
  const booked = { id: 'r1', clientId: 'sarah', sessionId: 's1', channel: 'in_store' };
  expectStatus(await staff.post('/v1/reservations', booked), 201);
  expectStatus(await staff.post('/v1/reservations/r1/check-in'), 200);
  expectStatus(await staff.post('/v1/sessions/s3/cancel'), 200);
  return t;
}

const ledgerCount = async () =>
  ((await studio.as('staff').get('/v1/purchases/p10/ledger')).body.entries as unknown[]).length;

describe('the quote and the counts in the client view', () => {
  beforeAll(async () => {
    const plugin = await testPlugin();
    server = await listen(plugin.app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
    page = await browser.context.newPage();
    // The browser lists "upcoming" sessions from its own clock: the test service's.
    await page.clock.setFixedTime(defaultNow);
    studio = await seed();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('quotes the plan, label, counts after and why for a session picked by name; writes nothing', async () => {
    await page.goto(`${server.url}/admin`);
    await signIn(page, studio.staff);
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Name or email').fill('sar');
    await page.getByRole('button', { name: 'Find client' }).click();
    await page.getByRole('link', { name: 'Sarah', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();

    // The reservation list shows the paying purchase's counts, as the API gives them.
    const r1 = (await studio.as('staff').get('/v1/reservations/r1')).body;
    expect([r1.credit.state, r1.label, r1.counts]).toEqual([
      'used',
      'Package Used',
      { used: 1, remaining: 9, total: 10 },
    ]);
    expect(await page.locator('tr[data-reservation="r1"] td').nth(1).textContent()).toBe(
      'usedPackage Used1 used · 9 left of 10',
    );
    expect(await page.locator('tr[data-reservation="r1"] .counts').textContent()).toBe(
      '1 used · 9 left of 10',
    );

    // Sessions by name and time, not ids; the canceled one says so.
    const session = page.getByLabel('Session');
    expect(await session.locator('option').allTextContents()).toEqual([
      'Yoga · Mar 3, 2026, 10:00 AM',
      'Yoga · Mar 4, 2026, 10:00 AM',
      'Yoga · Mar 5, 2026, 10:00 AM (canceled by the studio)',
      'Spin · Mar 6, 2026, 6:00 PM',
    ]);
    await expectAccessible(page, 'client with the quote form');

    const before = await ledgerCount();
    await session.selectOption({ label: 'Yoga · Mar 4, 2026, 10:00 AM' });
    await page.getByRole('button', { name: 'Quote' }).click();
    const quote = page.locator('#quote');
    await eventually(() => quote.locator('.quote-answer').textContent()).toBe(
      'If Sarah books Yoga on Mar 4, 2026, 10:00 AM now, “10 classes” (p10) pays: credit assigned (balance untouched).',
    );
    expect(await quote.locator('.quote-label').textContent()).toBe('Available in Package');
    expect(await quote.locator('.quote-counts').textContent()).toBe('1 used · 9 left of 10');
    expect(await quote.textContent()).toContain('Paid by “10 classes” (p10)');
    await expectAccessible(page, 'client with a quote');
    // The quote wrote nothing: no reservation for s2, no ledger entry.
    expect(await ledgerCount()).toBe(before);
    expect((await studio.as('staff').get('/v1/sessions/s2/attendees')).body.attendees).toEqual([]);
    await page.screenshot({
      path: new URL('../../docs/console-client-view.png', import.meta.url).pathname,
      fullPage: true,
    });
    await screenshot(page, '18-client-quote');

    // The quote and a booking agree: book it, and the reservation shows the same
    // purchase, label and counts (gymGO assigns at booking and uses at check-in).
    expectStatus(
      await studio
        .as('staff')
        .post('/v1/reservations', { id: 'r2', clientId: 'sarah', sessionId: 's2', channel: 'in_store' }),
      201,
    );
    const r2 = (await studio.as('staff').get('/v1/reservations/r2')).body;
    expect([r2.purchaseId, r2.label, r2.counts]).toEqual([
      'p10',
      'Available in Package',
      { used: 1, remaining: 9, total: 10 },
    ]);
  }, 120_000);

  it('says in words why a session cannot be quoted, and when no purchase would pay', async () => {
    const session = page.getByLabel('Session');
    const quote = page.locator('#quote');
    await session.selectOption({ label: 'Yoga · Mar 5, 2026, 10:00 AM (canceled by the studio)' });
    await page.getByRole('button', { name: 'Quote' }).click();
    await eventually(() => quote.getByRole('alert').textContent()).toBe(
      "No quote for Yoga on Mar 5, 2026, 10:00 AM: session 's3' was canceled by the studio: it can no longer be booked. Nothing was booked.",
    );
    await session.selectOption({ label: 'Spin · Mar 6, 2026, 6:00 PM' });
    await page.getByRole('button', { name: 'Quote' }).click();
    await eventually(() => quote.locator('.quote-answer').textContent()).toBe(
      'If Sarah books Spin on Mar 6, 2026, 6:00 PM now, no purchase pays: the booking is made without a credit.',
    );
    expect(await quote.locator('.quote-counts').count()).toBe(0);
    await expectAccessible(page, 'client with a refused quote');
  }, 120_000);
});
