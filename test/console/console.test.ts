import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableJson } from '../../console/src/readable-json.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { eventually, expectAccessible, listen, openBrowser, screenshot, signIn } from './browser.ts';

/**
 * The admin console end to end in headless Chromium, against the service over real
 * HTTP: one tenant, walked through every screen in order as an admin would.
 */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let context: BrowserContext;
let page: Page;
let studio: Studio;

/** gymGO preset; Sarah has an older and a newer 10-class package, one class checked in, one booked. */
async function seed(): Promise<Studio> {
  const t = await newStudio('gymgo');
  const plan = await addPlan(t, { id: 'ten', name: '10 classes', credits: 10 });
  await buy(t, plan, { id: 'p-old', purchasedAt: '2026-02-01T12:00:00Z' });
  await buy(t, plan, { id: 'p-new', purchasedAt: '2026-02-20T12:00:00Z' });
  await addSession(t, { id: 's1', startsAt: '2026-03-03T10:00:00Z', endsAt: '2026-03-03T11:00:00Z' });
  await addSession(t, { id: 's2', startsAt: '2026-03-04T10:00:00Z', endsAt: '2026-03-04T11:00:00Z' });
  const staff = t.as('staff');
  expectStatus(
    await staff.post('/v1/reservations', {
      id: 'r1',
      clientId: 'sarah',
      sessionId: 's1',
      channel: 'in_store',
    }),
    201,
  );
  expectStatus(await staff.post('/v1/reservations/r1/check-in'), 200);
  expectStatus(
    await staff.post('/v1/reservations', { id: 'r2', clientId: 'sarah', sessionId: 's2', channel: 'online' }),
    201,
  );
  return t;
}

/** The 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** Puts the cursor right after `needle` on an editor line, with the keyboard, as a person would. */
async function cursorAfter(text: string, line: number, needle: string) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  const lineText = text.split('\n')[line - 1];
  const back = lineText.length - (lineText.indexOf(needle) + needle.length);
  for (let i = 0; i < back; i++) await page.keyboard.press('ArrowLeft');
}

describe('admin console', () => {
  beforeAll(async () => {
    const plugin = await testPlugin();
    server = await listen(plugin.app);
    browser = await openBrowser();
    context = browser.context;
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with the admin key and shows the presets side by side, described from their rules', async () => {
    studio = await seed();
    await page.goto(`${server.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');
    await signIn(page, studio.admin);
    await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
    // The key is in the tab's sessionStorage only: not in the URL, not in a cookie.
    expect(page.url()).not.toContain(studio.admin);
    expect(await context.cookies()).toEqual([]);
    const gymgo = page.getByRole('article', { name: /gymGO/ });
    await eventually(() => gymgo.textContent()).toContain('In use');
    expect(await gymgo.textContent()).toContain('Purchases are tried most recent purchase first.');
    expect(await gymgo.textContent()).toContain('When the client checks in: the credit counts as used.');
    const mytime = page.getByRole('article', { name: /MyTime/ });
    expect(await mytime.textContent()).toContain(
      'When the client is marked a no-show: the credit is given back (no_show).',
    );
    expect(await mytime.textContent()).toContain('Items priced $0 never use credits.');
    await expectAccessible(page, 'presets');
    await screenshot(page, '02-presets');
  }, 120_000);

  it('switches preset after a confirmation that says what changes, and shows the new version number', async () => {
    await page.getByRole('button', { name: 'Switch to MyTime-style FIFO' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to MyTime-style FIFO?' });
    await dialog.waitFor();
    // The difference in plain words: gymGO's newest-first order stops, FIFO's holds start.
    expect(await dialog.locator('.change-del').textContent()).toContain(
      'Purchases are tried most recent purchase first.',
    );
    expect(await dialog.locator('.change-add').textContent()).toContain(
      'Purchases are tried oldest purchase first',
    );
    await expectAccessible(page, 'switch confirmation');
    await screenshot(page, '02b-switch-confirm');
    // Cancel changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await studio.as('admin').get('/v1/policy')).body.version).toBe(1);
    await page.getByRole('button', { name: 'Switch to MyTime-style FIFO' }).click();
    await dialog.getByRole('button', { name: 'Switch to MyTime-style FIFO' }).click();
    await page.getByText('Now using “MyTime-style FIFO”: version 2 is active.').waitFor();
    const active = await studio.as('admin').get('/v1/policy');
    expect([active.body.version, active.body.ruleset.id]).toEqual([2, 'mytime']);
    await eventually(() => page.getByRole('article', { name: /MyTime/ }).textContent()).toContain('In use');
  }, 120_000);

  it('underlines an unknown operator at its line as you type, and pins the server pointer there on save', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
    await page.locator('.cm-content').waitFor();
    await page.getByText('No faults found as you type.').waitFor();
    await expectAccessible(page, 'rules');
    await screenshot(page, '03-rules');
    const text = readableJson((await studio.as('admin').get('/v1/policy')).body.ruleset);
    expect(
      await page.evaluate(() => document.querySelector('.cm-content')?.textContent?.length),
    ).toBeGreaterThan(100);
    const line = lineOf(text, '"operator": "equal"');
    await cursorAfter(text, line, '"equal');
    await page.keyboard.type('z');
    // Live: the fault is underlined on that very line, and listed with its line number.
    const underlined = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error') });
    await eventually(() => underlined.first().textContent()).toContain('"operator": "equalz"');
    const live = page.locator(`#faults li[data-line="${line}"][data-source="editor"]`);
    await eventually(() => live.textContent()).toContain("unknown operator 'equalz'");
    await screenshot(page, '04-rules-live-fault');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const pinned = page.locator(`#faults li[data-line="${line}"][data-source="server"]`);
    await eventually(() => pinned.textContent()).toContain('/rules/0/conditions/all/0/operator');
    expect(await page.locator('#result').textContent()).toContain(
      'Not saved: 1 fault, shown at their lines.',
    );
    expect((await studio.as('admin').get('/v1/policy')).body.version).toBe(2);
    await expectAccessible(page, 'rules with server faults');
    await screenshot(page, '05-rules-server-fault');

    // Counted from the line's end, the same moves now land just after the 'z'.
    await cursorAfter(text, line, '"equal');
    await page.keyboard.press('Backspace');
    await page.getByText('No faults found as you type.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: version 3 is active.').waitFor();
    await page.getByRole('button', { name: 'Run tests' }).click();
    const tests = (await studio.as('admin').get('/v1/policy')).body.ruleset.tests.length;
    await page.getByRole('heading', { name: `Tests: ${tests} passed, 0 failed` }).waitFor();
    expect(await page.locator('#tests tbody tr.pass').count()).toBe(tests);
    await screenshot(page, '06-rules-tests');

    // Completions come from the fact catalogue, limited to what the rule's decision is given.
    const completions = page.locator('.cm-tooltip-autocomplete li');
    await cursorAfter(text, lineOf(text, '"fact": "trigger"'), '"fact": "');
    await page.keyboard.press('Control+Space');
    await completions.first().waitFor();
    const facts = await completions.allTextContents();
    expect(
      facts.some((f) => f.startsWith('sessionStarted')),
      facts.join(),
    ).toBe(true);
    expect(facts.some((f) => f.startsWith('purchaseExpiredAtSession'))).toBe(false);
    // Typing narrows the list; picking one replaces the whole value.
    await page.keyboard.type('sessionSt');
    await eventually(() => completions.allTextContents()).toEqual(['sessionStartedfact']);
    await page.keyboard.press('Enter');
    expect(await page.locator('.cm-activeLine').textContent()).toBe('            "fact": "sessionStarted",');
    await page.keyboard.press('Control+z');
    await expect
      .poll(() => page.locator('.cm-activeLine').textContent())
      .toBe('            "fact": "trigger",');
    await cursorAfter(text, line, '"operator": "');
    await page.keyboard.press('Control+Space');
    await completions.first().waitFor();
    expect((await completions.allTextContents()).map((o) => o.replace(/operator$/, ''))).toContain(
      'greaterThanInclusive',
    );
    await page.keyboard.press('Escape');
  }, 120_000);

  it('flips the $0 and waitlist settings from the form, as one new version', async () => {
    await page.getByLabel('Items priced $0 use credits').check();
    await page.getByLabel('Joining a waitlist holds a credit').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved: version 4 is active.').waitFor();
    // What the page says about the live policy follows the save.
    expect(await page.locator('#active-policy').textContent()).toBe(
      'Active: “MyTime-style FIFO”, version 4.',
    );
    const active = await studio.as('admin').get('/v1/policy');
    expect([active.body.version, active.body.ruleset.settings.zeroPriceUsesCredits]).toEqual([4, true]);
    expect(active.body.ruleset.settings.waitlistHoldsCredit).toBe(true);
  }, 120_000);

  it('simulates the draft on real reservations and shows each changed decision with totals', async () => {
    await page.getByRole('link', { name: 'Simulate' }).click();
    await page.getByLabel('Sessions from').fill('2026-03-01');
    await page.getByLabel('to (inclusive)').fill('2026-03-10');
    await page.getByRole('button', { name: 'Simulate the draft' }).click();
    // Under gymGO both went to the newest package; the FIFO draft picks the oldest and holds at booking.
    await page.getByText('2 of 2 reservations would change.').waitFor();
    const rows = page.locator('#simulation tbody tr');
    expect(await rows.count()).toBe(2);
    // Names, not ids: the client by name, each purchase by its plan.
    expect((await rows.nth(0).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'Sarah',
      expect.stringContaining('s1 · '),
      '“10 classes” (p-new) · used',
      '→ “10 classes” (p-old) · held',
    ]);
    expect((await rows.nth(1).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'Sarah',
      expect.stringContaining('s2 · '),
      '“10 classes” (p-new) · assigned (balance untouched)',
      '→ “10 classes” (p-old) · held',
    ]);
    expect(await page.locator('.totals').textContent()).toContain(
      'Before: 1 used, 1 assigned (balance untouched). After: 2 held.',
    );
    await expectAccessible(page, 'simulate');
    await screenshot(page, '07-simulate');
  }, 120_000);

  it('diffs two versions side by side and rolls back', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    expect(await page.locator('table.versions tbody tr').count()).toBe(4);
    await page.getByLabel('Left').selectOption('1');
    await page.getByLabel('Right').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const changed = page.locator('table.diff tr.changed');
    await changed.first().waitFor();
    const idRow = changed.filter({ hasText: '"id": "gymgo"' });
    expect(await idRow.textContent()).toContain('"id": "mytime"');
    await expectAccessible(page, 'history');
    await screenshot(page, '08-history-diff');
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to version 1?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'version 4 (“MyTime-style FIFO”), active now, stays in History',
    );
    expect(await dialog.locator('.change-add').textContent()).toContain(
      'Purchases are tried most recent purchase first.',
    );
    await expectAccessible(page, 'rollback confirmation');
    await dialog.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByText('Version 1 is active again, as version 5.').waitFor();
    const active = await studio.as('admin').get('/v1/policy');
    expect([
      active.body.version,
      active.body.ruleset.id,
      active.body.ruleset.settings.zeroPriceUsesCredits,
    ]).toEqual([5, 'gymgo', false]);
  }, 120_000);

  it('opens a client: balances as 9/10, a purchase ledger, and each decision in plain words', async () => {
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Name or email').fill('sar');
    await page.getByRole('button', { name: 'Find client' }).click();
    await page.getByRole('link', { name: 'Sarah', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();
    const newest = page.locator('tr[data-purchase="p-new"]');
    await newest.waitFor();
    expect(await newest.locator('td.balance').textContent()).toBe('9/10');
    expect(await page.locator('tr[data-purchase="p-old"] td.balance').textContent()).toBe('10/10');
    const checkedIn = await page.locator('tr[data-reservation="r1"] td.explain').textContent();
    expect(checkedIn).toContain(
      "Paid by “10 classes” (p-new): of the purchases that may pay, it comes first when they are tried most recent purchase first (rule 'most-recent-purchase').",
    );
    expect(checkedIn).toContain(
      "when the client checks in, the credit counted as used (rule 'check-in-counts'). Now: used.",
    );
    await page.getByRole('button', { name: 'Ledger of p-new' }).click();
    const ledger = page.locator('#ledger tbody tr');
    await ledger.first().waitFor();
    expect(await ledger.count()).toBe(2);
    expect(await ledger.nth(1).textContent()).toContain('used +1');
    await expectAccessible(page, 'client');
    await screenshot(page, '09-client');
  }, 120_000);
});
