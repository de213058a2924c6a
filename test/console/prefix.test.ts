import { Hono } from 'hono';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/** A host that mounts punchcard under /studio/credits: the console comes with it and finds its API there. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;

describe('admin console under a host prefix', () => {
  beforeAll(async () => {
    const plugin = await testPlugin();
    const host = new Hono();
    host.get('/', (c) => c.text('the host'));
    host.route('/studio/credits', plugin.app);
    server = await listen(host);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function freshTab(): Promise<Page> {
    return browser.context.newPage();
  }

  it('serves the console under the prefix and calls the API under it', async () => {
    const t = await newStudio('abc-scheduler');
    const plan = await addPlan(t, { id: 'five', name: '5 sessions', credits: 5 });
    await buy(t, plan, { id: 'p5' });
    expectStatus(
      await t.as('staff').post('/v1/purchases/p5/adjustments', { delta: -2, reason: 'goodwill' }),
      201,
    );
    const page = await freshTab();
    const calls: string[] = [];
    page.on('request', (r) => calls.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}/studio/credits/admin`);
    expect(new URL(page.url()).pathname).toBe('/studio/credits/admin');
    await signIn(page, t.admin);
    await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
    await expect
      .poll(() => page.getByRole('article', { name: /ABC Fitness/ }).textContent())
      .toContain('In use');
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Name or email').fill('Sarah');
    await page.getByRole('button', { name: 'Find client' }).click();
    await page.getByRole('link', { name: 'Sarah', exact: true }).click();
    await eventually(() => page.locator('tr[data-purchase="p5"] td.balance').textContent()).toBe('3/5');
    const apiCalls = calls.filter((p) => p.includes('/v1/'));
    expect(apiCalls.length).toBeGreaterThan(3);
    expect(apiCalls.every((p) => p.startsWith('/studio/credits/v1/'))).toBe(true);
    await screenshot(page, '10-prefix-client');
    await page.close();
  }, 120_000);

  it('a staff key sees only the read-only parts: presets without switches, and clients', async () => {
    const t = await newStudio('mytime');
    const page = await freshTab();
    await page.goto(`${server.url}/studio/credits/admin`);
    await signIn(page, t.staff);
    await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    const sections = await page
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('link')
      .allTextContents();
    expect(sections).toEqual(['Presets', 'Clients', 'Sessions']);
    expect(await page.getByText('Staff (front desk)').count()).toBe(1);
    await page.getByRole('link', { name: 'Presets' }).click();
    await page.getByRole('article', { name: /MyTime/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Switch to/ }).count()).toBe(0);
    // Staff see which preset is in use, without its rules.
    await eventually(() => page.getByRole('article', { name: /MyTime/ }).textContent()).toContain('In use');
    await expectAccessible(page, 'staff presets');
    // An admin-only screen named in the address says it needs an admin key, and what is in use.
    for (const [hash, title] of [
      ['rules', 'Rules'],
      ['history', 'History'],
      ['simulate', 'Simulate'],
    ]) {
      await page.goto(`${server.url}/studio/credits/admin#/${hash}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText(`${title} needs an admin key: this tab is signed in with a staff key`).waitFor();
      await eventually(() => page.locator('#active-policy').textContent()).toBe(
        'The policy in use is “MyTime-style FIFO”, version 1.',
      );
    }
    await expectAccessible(page, 'staff on an admin screen');
    await screenshot(page, '11-staff-needs-admin');
    await page.getByRole('button', { name: 'Sign in with an admin key' }).click();
    await signIn(page, t.admin);
    await page.getByRole('heading', { level: 1, name: 'Simulate' }).waitFor();
    await page.close();
  }, 120_000);

  it('a wrong key is refused on the sign-in form and nothing is kept', async () => {
    const page = await freshTab();
    await page.goto(`${server.url}/studio/credits/admin`);
    await signIn(page, 'not-a-key');
    await page.getByRole('alert').getByText('That key is not valid.').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  }, 120_000);
});
