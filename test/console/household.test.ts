import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { resetNow } from '../support/clock.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/** Issue 20 in the console: Share… (a pool's members and caps) and Transfer… (admin) on a purchase. */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let page: Page;
let studio: Studio;

async function openSarah(key: string) {
  await page?.close();
  page = await browser.context.newPage();
  await page.goto(`${server.url}/admin#/clients?id=sarah`);
  await signIn(page, key);
  await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();
}

describe('sharing and transferring a purchase from the console', () => {
  beforeAll(async () => {
    resetNow();
    server = await listen((await testPlugin()).app);
    browser = await openBrowser();
    browser.context.setDefaultTimeout(20_000);
    studio = await newStudio('mytime');
    const admin = studio.as('admin');
    expectStatus(
      await admin.post('/v1/clients', { id: 'tom', name: 'Tom Reed', email: 'tom@example.com' }),
      201,
    );
    expectStatus(await admin.post('/v1/clients', { id: 'ana', name: 'Ana Ruiz' }), 201);
    await buy(studio, await addPlan(studio, { id: 'ten', name: '10 classes', credits: 10 }), { id: 'p10' });
    await buy(studio, await addPlan(studio, { id: 'month', name: '30 days', credits: 5, daysToExpire: 30 }), {
      id: 'p30',
    });
    expectStatus(
      await studio
        .as('staff')
        .post('/v1/purchases/p30/freeze', { from: '2026-03-02', to: '2026-03-04', reason: 'away' }),
      201,
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('Share…: members found by search, a cap for one, saved and said in words', async () => {
    await openSarah(studio.admin);
    await page.getByRole('button', { name: 'Share p10…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share 10 classes (p10)' });
    await dialog.getByText('No members: the purchase is not shared.').waitFor();
    await dialog.getByLabel('Add a client').fill('to');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await dialog.getByText('1 client found.').waitFor();
    await dialog.getByRole('button', { name: 'Add to the pool' }).click();
    await dialog.getByLabel('Most credits for Tom Reed').fill('1');
    await dialog.getByLabel('Add a client').fill('ana');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await eventually(() => dialog.getByLabel('Clients found').inputValue()).toBe('ana');
    await dialog.getByRole('button', { name: 'Add to the pool' }).click();
    await dialog.getByLabel('Most credits for Ana Ruiz').waitFor();
    await expectAccessible(page, 'share dialog');
    await screenshot(page, 'share-dialog');
    await dialog.getByRole('button', { name: 'Save members' }).click();
    await eventually(() => page.locator('#client-note').textContent()).toBe(
      'Shared: 10 classes (p10) is shared with Tom Reed (at most 1 credit at once), Ana Ruiz (no cap).',
    );
    expect(await page.locator('tr[data-purchase="p10"] th').textContent()).toContain(
      'Shared with tom (0 of 1 in use), ana (0 in use)',
    );
    const p10 = await studio.as('staff').get('/v1/purchases/p10');
    expect(p10.body.members).toEqual([
      { clientId: 'tom', cap: 1, used: 0 },
      { clientId: 'ana', cap: null, used: 0 },
    ]);

    // Opened again, it shows the members by name; removing Ana leaves Tom alone.
    await page.getByRole('button', { name: 'Share p10…' }).click();
    const again = page.getByRole('dialog', { name: 'Share 10 classes (p10)' });
    expect(await again.getByLabel('Most credits for Tom Reed').inputValue()).toBe('1');
    await again.getByRole('button', { name: 'Remove Ana Ruiz' }).click();
    await again.getByRole('button', { name: 'Save members' }).click();
    await eventually(() => page.locator('#client-note').textContent()).toBe(
      'Shared: 10 classes (p10) is shared with Tom Reed (at most 1 credit at once).',
    );
    expect((await studio.as('staff').get('/v1/purchases/p10')).body.members).toEqual([
      { clientId: 'tom', cap: 1, used: 0 },
    ]);
  }, 120_000);

  it('Transfer…: credits moved to another client, said in words; a frozen purchase refused in words', async () => {
    await openSarah(studio.admin);
    await page.getByRole('button', { name: 'Transfer p10…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transfer 10 classes (p10)' });
    await dialog.getByLabel('To client').fill('ana');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await dialog.getByText('1 client found.').waitFor();
    await dialog.getByLabel('Credits to move').fill('4');
    await dialog.getByLabel('Reason').fill('moving to the other studio');
    await expectAccessible(page, 'transfer dialog');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    const note = page.locator('#client-note');
    await eventually(() => note.textContent()).toMatch(
      /^Transferred: 4 credits of 10 classes \(p10\) moved to Ana Ruiz as (\S+) \(4\/4\)\. p10 now has 6\/6\.$/,
    );
    const made = /as (\S+) \(/.exec((await note.textContent()) ?? '')?.[1];
    const ana = await studio.as('staff').get('/v1/clients/ana/balances');
    expect(ana.body.purchases.map((p: { id: string; total: number }) => [p.id, p.total])).toEqual([
      [made, 4],
    ]);
    expect((await studio.as('staff').get('/v1/purchases/p10')).body).toMatchObject({
      total: 6,
      remaining: 6,
    });

    await page.getByRole('button', { name: 'Transfer p30…' }).click();
    const frozen = page.getByRole('dialog', { name: 'Transfer 30 days (p30)' });
    await frozen.getByLabel('To client').fill('tom');
    await frozen.getByRole('button', { name: 'Find' }).click();
    await frozen.getByText('1 client found.').waitFor();
    await frozen.getByLabel('Reason').fill('moving');
    await frozen.getByRole('button', { name: 'Transfer' }).click();
    await eventually(() => note.textContent()).toBe(
      "Not transferred: purchase 'p30' is frozen: its credits cannot be transferred. Nothing was changed.",
    );
    // Tom's balances list only p10, shared with him: nothing was moved to him.
    expect(
      (await studio.as('staff').get('/v1/clients/tom/balances')).body.purchases.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual(['p10']);
  }, 120_000);

  it('a staff key may share but sees no Transfer…', async () => {
    await openSarah(studio.staff);
    await page.getByRole('button', { name: 'Share p10…' }).waitFor();
    expect(await page.getByRole('button', { name: 'Transfer p10…' }).count()).toBe(0);
  }, 120_000);
});
