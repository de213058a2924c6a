import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { defaultNow, resetNow } from '../support/clock.ts';
import { addPlan, addSession, buy, newStudio, reserve, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/** Issue 20 in the console: a session's roster with its waitlist; joining and removing a client. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;
let studio: Studio;

const rows = (selector: string) => page.locator(`${selector} tbody tr`).allInnerTexts();

describe('the session roster and its waitlist', () => {
  beforeAll(async () => {
    resetNow();
    server = await listen((await testPlugin()).app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
    studio = await newStudio('mytime');
    const admin = studio.as('admin');
    expectStatus(await admin.patch('/v1/policy/settings', { waitlistHoldsCredit: true }), 200);
    expectStatus(await admin.post('/v1/clients', { id: 'ben', name: 'Ben Cole' }), 201);
    expectStatus(await admin.post('/v1/clients', { id: 'cara', name: 'Cara Diaz' }), 201);
    const ten = await addPlan(studio, { id: 'ten', name: '10 classes', credits: 10 });
    await buy(studio, ten, { id: 'p-sarah' });
    await buy(studio, ten, { id: 'p-ben', clientId: 'ben' });
    await addSession(studio, {
      id: 'spin',
      startsAt: '2026-03-04T15:00:00Z',
      endsAt: '2026-03-04T16:00:00Z',
      capacity: 1,
    });
    await reserve(studio, 'spin');
    page = await browser.context.newPage();
    // The browser lists upcoming sessions from its own clock: the test service's.
    await page.clock.setFixedTime(defaultNow);
    await page.goto(`${server.url}/admin`);
    await signIn(page, studio.staff);
    await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows who is booked, joins a client holding a credit, refuses one without, and removes after asking', async () => {
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    await page.getByLabel('Session').selectOption({ label: 'Yoga · Mar 4, 2026, 3:00 PM' });
    await page.getByRole('button', { name: 'Show roster' }).click();
    await page.getByRole('heading', { level: 2, name: 'Yoga · Mar 4, 2026, 3:00 PM' }).waitFor();
    expect(await page.locator('#roster-seats').textContent()).toBe('1 of 1 seat taken: full.');
    expect(await rows('table.booked')).toEqual(['Sarah\tbooked\theld\tp-sarah']);
    await page.getByText('Nobody is waiting.').waitFor();

    await page.getByLabel('Client to add').fill('ben');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('1 client found.').waitFor();
    await page.getByRole('button', { name: 'Add to the waitlist' }).click();
    const note = page.locator('#roster-note');
    await eventually(() => note.textContent()).toBe(
      'Ben Cole joined the waitlist at position 1; 1 credit held from p-ben.',
    );
    expect(await rows('table.waiting')).toEqual([
      '1\tBen Cole\tMar 2, 2026, 3:00 PM\t1 credit held from p-ben\tRemove Ben Cole',
    ]);
    const line = await studio.as('staff').get('/v1/sessions/spin/waitlist');
    expect(line.body.waiting).toMatchObject([
      { clientId: 'ben', position: 1, purchaseId: 'p-ben', heldUnits: 1 },
    ]);
    expect((await studio.as('staff').get('/v1/purchases/p-ben')).body).toMatchObject({
      held: 1,
      remaining: 9,
    });
    await expectAccessible(page, 'session roster');
    await screenshot(page, 'session-roster');

    await page.getByLabel('Client to add').fill('cara');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('1 client found.').waitFor();
    await page.getByRole('button', { name: 'Add to the waitlist' }).click();
    await eventually(() => note.textContent()).toBe(
      "Cara Diaz not added to the waitlist: client 'cara' has no credit to hold for session 'spin': no purchase of this client covers the item. Nothing was changed.",
    );
    expect((await studio.as('staff').get('/v1/sessions/spin/waitlist')).body.waiting).toHaveLength(1);

    await page.getByRole('button', { name: 'Remove Ben Cole' }).click();
    const ask = page.getByRole('dialog', { name: 'Remove Ben Cole from the waitlist?' });
    await ask.waitFor();
    await expectAccessible(page, 'remove from the waitlist');
    await ask.getByRole('button', { name: 'Remove' }).click();
    await eventually(() => note.textContent()).toBe(
      'Ben Cole left the waitlist of Yoga · Mar 4, 2026, 3:00 PM.',
    );
    await page.getByText('Nobody is waiting.').waitFor();
    expect((await studio.as('staff').get('/v1/sessions/spin/waitlist')).body.waiting).toEqual([]);
    expect((await studio.as('staff').get('/v1/purchases/p-ben')).body).toMatchObject({
      held: 0,
      remaining: 10,
    });
  }, 120_000);
});
