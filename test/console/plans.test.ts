import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { resetNow } from '../support/clock.ts';
import { addPlan, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/** Issue 20 in the console: a plan's visit cap, freeze limit and alerts set on the Plans screen. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;
let studio: Studio;

const planOf = async (id: string) => {
  const listed = await studio.as('admin').get('/v1/plans');
  expectStatus(listed, 200);
  return listed.body.plans.find((p: { id: string }) => p.id === id);
};

describe('the Plans screen', () => {
  beforeAll(async () => {
    resetNow();
    server = await listen((await testPlugin()).app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
    page = await browser.context.newPage();
    studio = await newStudio('mytime');
    await addPlan(studio, { id: 'ten', name: 'Ten classes', credits: 10, daysToExpire: 90 });
    await addPlan(studio, {
      id: 'week3',
      name: 'Three a week',
      kind: 'membership',
      unlimited: true,
      maxFreezeDays: 30,
    });
    await page.goto(`${server.url}/admin`);
    await signIn(page, studio.admin);
    await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the plans, saves a cap, a freeze limit and both alerts, and says what was saved', async () => {
    await page.getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    const row = page.locator('tr[data-plan="week3"]');
    expect(await row.locator('.plan-cap').textContent()).toBe('No cap');
    expect(await row.locator('.plan-freeze').textContent()).toBe('30 days in all');
    await page.getByRole('button', { name: 'Edit Three a week' }).click();
    await page.getByRole('heading', { name: 'Settings of Three a week (week3)' }).waitFor();
    await page.getByLabel('Visits per period').fill('3');
    await page.getByLabel('Period', { exact: true }).selectOption('week');
    await page.getByLabel('Over the cap, when no other purchase can pay').selectOption('no_credit');
    await page.getByLabel('Unused visits carried over').fill('1');
    await page.getByLabel('Most frozen days in all').fill('12');
    await page.getByLabel('Low-balance alert at (credits left)').fill('2');
    await page.getByLabel('Expiry notice (days before)').fill('7');
    await expectAccessible(page, 'plans');
    await screenshot(page, 'plans');
    await page.getByRole('button', { name: 'Save plan' }).click();
    const note = page.locator('#plan-note');
    await eventually(() => note.textContent()).toBe(
      'Saved: Three a week. Visit cap: 3 visits a week (weeks from Monday); over it: booked without a credit; up to 1 unused carried over. Freezes: 12 days in all. Low-balance alert: at 2 left. Expiry notice: 7 days before.',
    );
    expect(await row.locator('.plan-cap').textContent()).toBe(
      '3 visits a week (weeks from Monday); over it: booked without a credit; up to 1 unused carried over',
    );
    expect(await planOf('week3')).toMatchObject({
      cap: { count: 3, period: 'week', anchor: 'calendar', mode: 'no_credit', rollover: { max: 1 } },
      maxFreezeDays: 12,
      lowBalanceAt: 2,
      expiringNoticeDays: 7,
    });
  }, 120_000);

  it('a refused value is said at its field in words, and nothing is saved', async () => {
    await page.getByLabel('Unused visits carried over').fill('5');
    await page.getByRole('button', { name: 'Save plan' }).click();
    const error = page.locator('#plan-cap-rollover-error');
    await eventually(() => error.textContent()).toBe(
      'Unused visits carried over: cannot exceed count (3): a period leaves at most count unused.',
    );
    expect(await page.getByLabel('Unused visits carried over').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Unused visits carried over').fill('1');
    await page.getByLabel('Expiry notice (days before)').fill('400');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await eventually(() => page.locator('#plan-expiring-error').textContent()).toBe(
      'Expiry notice must be a whole number between 1 and 365.',
    );
    expect(await page.locator('#plan-cap-rollover-error').textContent()).toBe('');
    expect(await page.locator('#plan-note').textContent()).toContain('Three a week not saved:');
    await expectAccessible(page, 'plans with a refusal');
    expect((await planOf('week3')).expiringNoticeDays).toBe(7);
  }, 120_000);

  it('emptied fields turn the cap and the settings off', async () => {
    await page.getByLabel('Visits per period').fill('');
    await page.getByLabel('Most frozen days in all').fill('');
    await page.getByLabel('Low-balance alert at (credits left)').fill('');
    await page.getByLabel('Expiry notice (days before)').fill('');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await eventually(() => page.locator('#plan-note').textContent()).toBe(
      'Saved: Three a week. Visit cap: No cap. Freezes: No limit. Low-balance alert: Off. Expiry notice: Off.',
    );
    expect(await planOf('week3')).toMatchObject({
      cap: null,
      maxFreezeDays: null,
      lowBalanceAt: null,
      expiringNoticeDays: null,
    });
  }, 120_000);
});
