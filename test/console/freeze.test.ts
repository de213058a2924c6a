import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { resetNow, setNow } from '../support/clock.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, signIn } from './browser.ts';

/** Issue 20 item 3 at the front desk: the Freeze dialog on a purchase, its answer and a refusal in words. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;
let studio: Studio;

describe('freezing a purchase from the console', () => {
  beforeAll(async () => {
    // beforeAll runs before the clock's per-test reset: start from the default, not the last file's clock.
    resetNow();
    server = await listen((await testPlugin()).app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
    page = await browser.context.newPage();
    studio = await newStudio('mytime');
    const plan = await addPlan(studio, {
      id: 'month',
      name: '30 days',
      credits: 10,
      daysToExpire: 30,
      maxFreezeDays: 5,
    });
    await buy(studio, plan, { id: 'p1' });
    await page.goto(`${server.url}/admin`);
    await signIn(page, studio.staff);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('freezes for the days given, says the new expiry, and names the refusal of too many days', async () => {
    await page.evaluate(() => {
      location.hash = '#/clients?id=sarah';
    });
    await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();
    await page.getByRole('button', { name: 'Freeze p1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Freeze 30 days (p1)?' });
    await dialog.getByLabel('First frozen day').fill('2026-03-05');
    await dialog.getByLabel('Last frozen day').fill('2026-03-07');
    await dialog.getByLabel('Reason').fill('travelling');
    await expectAccessible(page, 'freeze dialog');
    await dialog.getByRole('button', { name: 'Freeze it' }).click();
    const note = page.locator('#client-note');
    await eventually(() => note.textContent()).toContain('Frozen from 2026-03-05 to 2026-03-07 (3 days).');
    const freezes = await studio.as('staff').get('/v1/purchases/p1/freezes');
    expectStatus(freezes, 200);
    expect(freezes.body.frozenDays).toBe(3);
    expect(freezes.body.purchase.expiresAt).toBe('2026-04-05T03:59:59.999Z');

    await page.getByRole('button', { name: 'Freeze p1' }).click();
    const again = page.getByRole('dialog', { name: 'Freeze 30 days (p1)?' });
    await again.getByLabel('First frozen day').fill('2026-03-10');
    await again.getByLabel('Last frozen day').fill('2026-03-12');
    await again.getByLabel('Reason').fill('more');
    await again.getByRole('button', { name: 'Freeze it' }).click();
    await eventually(() => note.textContent()).toContain(
      'the plan allows 5 frozen days in all; 3 used, 3 asked',
    );
    expect((await studio.as('staff').get('/v1/purchases/p1/freezes')).body.frozenDays).toBe(3);
  }, 120_000);

  it('lists the freezes and ends one early after asking, saying the days kept and the new expiry', async () => {
    setNow('2026-03-06T17:00:00.000Z'); // noon on 6 March in New York: the freeze is in force
    await page.evaluate(() => {
      location.hash = '#/clients?id=sarah&again';
    });
    await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();
    await page.getByRole('button', { name: 'Freezes of p1' }).click();
    await page.getByRole('heading', { name: 'Freezes of 30 days (p1)' }).waitFor();
    expect(await page.locator('table.freezes tbody tr').allInnerTexts()).toEqual([
      '2026-03-05\t2026-03-07\t3\ttravelling\tNot ended\tUnfreeze 2026-03-05 to 2026-03-07',
    ]);
    await page.getByRole('button', { name: 'Unfreeze 2026-03-05 to 2026-03-07' }).click();
    const ask = page.getByRole('dialog', { name: 'Unfreeze 30 days (p1)?' });
    await ask.waitFor();
    await expectAccessible(page, 'unfreeze confirmation');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect((await studio.as('staff').get('/v1/purchases/p1/freezes')).body.freezes[0].unfrozenAt).toBeNull();

    await page.getByRole('button', { name: 'Unfreeze 2026-03-05 to 2026-03-07' }).click();
    await page
      .getByRole('dialog', { name: 'Unfreeze 30 days (p1)?' })
      .getByRole('button', { name: 'Unfreeze' })
      .click();
    await eventually(() => page.locator('#client-note').textContent()).toBe(
      'Unfrozen: 30 days (p1) was frozen from 2026-03-05 to 2026-03-05 (1 day). It now expires Apr 3, 2026, 3:59 AM.',
    );
    const after = await studio.as('staff').get('/v1/purchases/p1/freezes');
    expect(after.body.frozenDays).toBe(1);
    expect(after.body.freezes[0]).toMatchObject({
      to: '2026-03-05',
      days: 1,
      unfrozenAt: '2026-03-06T17:00:00.000Z',
    });
    expect(after.body.purchase.expiresAt).toBe('2026-04-03T03:59:59.999Z');
    await page.getByRole('button', { name: 'Freezes of p1' }).click();
    await eventually(() => page.locator('table.freezes tbody tr').allInnerTexts()).toEqual([
      '2026-03-05\t2026-03-05\t1\ttravelling\tEnded early Mar 6, 2026, 5:00 PM\t',
    ]);
    await expectAccessible(page, 'freeze list');
  }, 120_000);
});
