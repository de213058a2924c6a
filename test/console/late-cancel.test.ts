import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/** Issue 20 item 2 in the console: the settings form shows the preset's late-cancel and no-show options. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;

/** A fresh tab each time: the key lives in the tab's sessionStorage. */
async function openRules(t: Studio) {
  await page?.close();
  page = await browser.context.newPage();
  await page.goto(`${server.url}/admin`);
  await signIn(page, t.admin);
  await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
  await page.getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
}

describe('late-cancel settings in the console', () => {
  beforeAll(async () => {
    const plugin = await testPlugin();
    server = await listen(plugin.app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gymGO: the preset’s values are shown; changed in the form they are saved as a new version', async () => {
    const t = await newStudio('gymgo');
    await openRules(t);
    const group = page.getByRole('group', { name: 'Late cancel and no-show' });
    await group.waitFor();
    expect(await page.getByLabel('Late-cancel window (hours before the start)').inputValue()).toBe('12');
    expect(await page.getByLabel('A late cancel').inputValue()).toBe('keep');
    expect(await page.getByLabel('A no-show').inputValue()).toBe('keep');
    await page.getByLabel('Late-cancel window (hours before the start)').fill('6');
    await page.getByLabel('A late cancel').selectOption('forfeit_fee');
    await page.getByLabel('Late-cancel fee (cents, charged by your platform)').fill('1500');
    await page.getByLabel('A no-show').selectOption('forfeit');
    await page.getByLabel('Late cancels forgiven').fill('2');
    await page.getByLabel('Forgiveness period').selectOption('week');
    await page.getByLabel('Plans without penalties').fill('intro, trial');
    await expectAccessible(page, 'late-cancel settings');
    await screenshot(page, 'late-cancel-settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved: version 2 is active.').waitFor();
    const active = await t.as('admin').get('/v1/policy');
    expectStatus(active, 200);
    expect(active.body.ruleset.settings).toMatchObject({
      lateCancel: { windowHours: 6, outcome: 'forfeit_fee', fee: 1500 },
      noShow: { outcome: 'forfeit', fee: 0 },
      forgiveness: { count: 2, period: 'week' },
      excludedPlans: ['intro', 'trial'],
    });
  }, 180_000);

  it('a refused value is named at its field and nothing is saved', async () => {
    const t = await newStudio('gymgo');
    await openRules(t);
    await page.getByLabel('Late-cancel window (hours before the start)').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings not saved', { exact: false }).waitFor();
    expect(
      await page.getByLabel('Late-cancel window (hours before the start)').getAttribute('aria-invalid'),
    ).toBe('true');
    expect((await t.as('admin').get('/v1/policy')).body.version).toBe(1);
  }, 180_000);

  it('MyTime has no late-cancel pack: the fields are not shown', async () => {
    const t = await newStudio('mytime');
    await openRules(t);
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    expect(await page.locator('#late-cancel-settings').isHidden()).toBe(true);
  }, 180_000);
});
