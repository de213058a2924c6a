import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableJson } from '../../console/src/readable-json.ts';
import { loadPreset } from '../../src/policy/index.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, addSession, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import {
  artifacts,
  eventually,
  expectAccessible,
  listen,
  openBrowser,
  screenshot,
  signIn,
} from './browser.ts';

/**
 * Issue 18 walked again in Chromium: every refusal in words, the live version after
 * every change, confirmations, unsaved drafts, client search and names, messages
 * for people, a failing rule-set test linked to its line, the diff's colours and
 * line numbers, the reassignment of a reservation's purchase, and the redirects.
 */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let server: Awaited<ReturnType<typeof listen>>;
let context: BrowserContext;
let page: Page;
let studio: Studio;

async function seed(): Promise<Studio> {
  const t = await newStudio('gymgo');
  const staff = t.as('staff');
  expectStatus(
    await staff.post('/v1/clients', { id: 'lee', name: 'Sarah Lee', email: 'slee@example.com' }),
    201,
  );
  expectStatus(
    await staff.post('/v1/clients', { id: 'sam', name: 'Sam Ortiz', email: 'sarah.o@example.com' }),
    201,
  );
  expectStatus(await staff.post('/v1/clients', { id: 'tom', name: 'Tom Diaz' }), 201);
  const plan = await addPlan(t, { id: 'ten', name: '10 classes', credits: 10 });
  await buy(t, plan, { id: 'p-old', purchasedAt: '2026-02-01T12:00:00Z' });
  await buy(t, plan, { id: 'p-new', purchasedAt: '2026-02-20T12:00:00Z' });
  await addSession(t, { id: 's1', startsAt: '2026-03-03T10:00:00Z', endsAt: '2026-03-03T11:00:00Z' });
  await addSession(t, { id: 's2', startsAt: '2026-03-04T10:00:00Z', endsAt: '2026-03-04T11:00:00Z' });
  const r1 = { id: 'r1', clientId: 'sarah', sessionId: 's1', channel: 'in_store' };
  expectStatus(await staff.post('/v1/reservations', r1), 201);
  expectStatus(await staff.post('/v1/reservations/r1/check-in'), 200);
  const r2 = { id: 'r2', clientId: 'sarah', sessionId: 's2', channel: 'online' };
  expectStatus(await staff.post('/v1/reservations', r2), 201);
  return t;
}

const problem = (status: number, title: string, detail: string) => ({
  status,
  contentType: 'application/problem+json',
  body: JSON.stringify({ type: 'about:blank', title, status, detail }),
});

/** Replaces the whole editor content as a paste would (CodeMirror reads the paste event). */
async function paste(text: string) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.locator('.cm-content').evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

const version = async () => (await studio.as('admin').get('/v1/policy')).body.version as number;
const activeLine = () => page.locator('#active-policy').textContent();
const faults = () => page.locator('#faults').textContent();

/** After a refusal the page never claims the draft is fine. */
async function neverFine() {
  const shown = `${await faults()} ${await page.locator('#result').textContent()}`;
  expect(shown).not.toContain('No faults found');
  expect(shown).not.toMatch(/\b0 faults\b/);
}

describe('the console at the front desk (issue 18)', () => {
  beforeAll(async () => {
    const plugin = await testPlugin();
    server = await listen(plugin.app);
    browser = await openBrowser();
    context = browser.context;
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    studio = await seed();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('redirects / and /admin/ to /admin', async () => {
    for (const path of ['/', '/admin/']) {
      await page.goto(`${server.url}${path}`);
      expect(new URL(page.url()).pathname, path).toBe('/admin');
    }
    await signIn(page, studio.admin);
    await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
  }, 120_000);

  it('says in words why a save was refused (413, 409, 503, 415, network) and never "no faults" after it', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByText('No faults found as you type.').waitFor();
    // 1.7 MB of rule set: the service refuses the body before reading it.
    const big = loadPreset('gymgo');
    big.description = 'x'.repeat(900);
    (big.tests ?? [])[0].facts.note = 'x'.repeat(1_700_000);
    await paste(readableJson(big));
    // The live check already says it is too big, as the server's own bounds do.
    await eventually(faults).toContain('/: is larger than 524288 characters of JSON');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => page.locator('#result').textContent()).toMatch(
      /^Not saved: it is too large for the service \(it is 1\.6 MB, the limit is 1 MB\)\. Nothing was saved; make it smaller\.$/,
    );
    await neverFine();
    expect(await faults()).toContain('The service refused this draft: Not saved: it is too large');
    expect(await version()).toBe(1);
    await expectAccessible(page, 'rules after a 413');
    await screenshot(page, '12-rules-413');

    // Back to the active rule set, then refusals the service (or the network) can give.
    await paste(readableJson((await studio.as('admin').get('/v1/policy')).body.ruleset));
    await page.getByText('No faults found as you type.').waitFor();
    const cases: [string, Parameters<Page['route']>[1], string][] = [
      [
        'PUT',
        (route) => route.fulfill(problem(409, 'Conflict', 'the policy changed while this was saved')),
        'Not saved: it conflicts with a change made at the same time (the policy changed while this was saved). Nothing was changed; reload to see the current state.',
      ],
      [
        'PUT',
        (route) => route.fulfill(problem(503, 'Busy, try again', 'the database was busy')),
        'Not saved: the service was busy with another change and saved nothing. Try again in a moment.',
      ],
      [
        'PUT',
        (route) =>
          route.fulfill(
            problem(415, 'Unsupported media type', 'send the body as Content-Type: application/json'),
          ),
        "Not saved: the service did not accept the request's format (send the body as Content-Type: application/json). Nothing was changed.",
      ],
      [
        'PUT',
        (route) => route.abort('failed'),
        'Not saved: the service could not be reached (the network failed or the service is down). Nothing was changed; check the connection and try again.',
      ],
    ];
    for (const [method, answer, words] of cases) {
      await page.route('**/v1/policy', (route) =>
        route.request().method() === method ? answer(route, route.request()) : route.continue(),
      );
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(() => page.locator('#result').textContent()).toBe(words);
      await neverFine();
      await page.unroute('**/v1/policy');
    }
    expect(await version()).toBe(1);
  }, 120_000);

  it('names the field and its range when the service refuses a setting', async () => {
    await page.getByLabel('UNLIMITED label threshold').fill('2000000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(
        'Settings not saved: UNLIMITED label threshold must be a whole number between 1 and 1 000 000.',
      )
      .waitFor();
    expect(await page.getByLabel('UNLIMITED label threshold').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'rules with a refused setting');
    await page.route('**/v1/policy/settings', (route) => route.abort('failed'));
    await page.getByLabel('UNLIMITED label threshold').fill('150');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings not saved: the service could not be reached').waitFor();
    await page.unroute('**/v1/policy/settings');
    expect(await version()).toBe(1);
  }, 120_000);

  it('keeps the active version true after Save settings, Save, and a change made elsewhere', async () => {
    expect(await activeLine()).toBe('Active: “gymGO-style most recent purchase”, version 1.');
    await page.getByLabel('UNLIMITED label threshold').fill('150');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved: version 2 is active.').waitFor();
    expect(await activeLine()).toBe('Active: “gymGO-style most recent purchase”, version 2.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: version 3 is active.').waitFor();
    expect(await activeLine()).toBe('Active: “gymGO-style most recent purchase”, version 3.');

    // Someone else switches the preset; this page still shows version 3. Saving asks first.
    expectStatus(await studio.as('admin').put('/v1/policy', { preset: 'mytime' }), 200);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const stale = page.getByRole('dialog', { name: 'Version 4 is active now' });
    await stale.waitFor();
    expect(await stale.textContent()).toContain(
      'The active rule set changed since this page showed version 3: version 4 (“MyTime-style FIFO”) is active now. Saving replaces it with your draft.',
    );
    expect(await stale.locator('.change-add').textContent()).toContain(
      'Purchases are tried most recent purchase first.',
    );
    expect(await activeLine()).toBe('Active: “MyTime-style FIFO”, version 4.');
    await expectAccessible(page, 'stale version confirmation');
    await screenshot(page, '13-rules-stale');
    await stale.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Not saved. Version 4 is active; your draft is still here.').waitFor();
    expect(await version()).toBe(4);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved: version 5 is active.').waitFor();
    expect(await activeLine()).toBe('Active: “gymGO-style most recent purchase”, version 5.');
    expect((await studio.as('admin').get('/v1/policy')).body.ruleset.id).toBe('gymgo');
  }, 120_000);

  it('marks unsaved edits, warns before leaving, and asks before discarding them', async () => {
    const unsavedMark = page.locator('#unsaved-mark');
    expect(await unsavedMark.isHidden()).toBe(true);
    const text = readableJson((await studio.as('admin').get('/v1/policy')).body.ruleset);
    const withTest = JSON.parse(text);
    withTest.tests.push({
      name: 'wrong on purpose',
      decision: 'usage',
      facts: { trigger: 'checked_in' },
      expect: { type: 'release' },
    });
    const edited = readableJson(withTest);
    await paste(edited);
    await eventually(() => unsavedMark.isVisible()).toBe(true);
    expect(await page.locator('#nav-unsaved').textContent()).toBe(' (unsaved)');

    // A failing embedded test links to its line in the editor.
    await page.getByRole('button', { name: 'Run tests' }).click();
    const failing = page.locator(`#tests tr.fail[data-test="${withTest.tests.length - 1}"]`);
    const line = edited.split('\n').findIndex((l) => l.includes('"name": "wrong on purpose"'));
    await failing.getByRole('button', { name: `Go to line ${line}` }).click();
    expect(await page.locator('.cm-lineNumbers .cm-activeLineGutter').textContent()).toBe(String(line));
    await expectAccessible(page, 'rules with a failing test');
    await screenshot(page, '14-rules-failing-test');

    // Reloading the tab would lose the edits: the browser asks first.
    const asked = page.waitForEvent('dialog');
    void page.evaluate(() => location.reload()).catch(() => undefined);
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(await unsavedMark.isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Discard changes' }).click();
    const discard = page.getByRole('dialog', { name: 'Discard your unsaved changes?' });
    await discard.waitFor();
    expect(await discard.textContent()).toContain('Your edits are lost; nothing changes for bookings.');
    await expectAccessible(page, 'discard confirmation');
    await discard.getByRole('button', { name: 'Discard my changes' }).click();
    await page.getByText('The draft is the active rule set again.').waitFor();
    expect(await unsavedMark.isHidden()).toBe(true);
    expect(await page.locator('#nav-unsaved').isHidden()).toBe(true);
  }, 120_000);

  it('colours removed and added diff lines apart, numbered as the editor numbers them', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Left').selectOption('3');
    await page.getByLabel('Right').selectOption('4');
    await page.getByRole('button', { name: 'Compare' }).click();
    const added = page.locator('table.diff td.code.add', { hasText: '"id": "mytime"' });
    await added.waitFor();
    const v4 = readableJson((await studio.as('admin').get('/v1/policy/versions/4')).body.ruleset);
    const row = page.locator('table.diff tr', {
      has: page.locator('td.code.add', { hasText: '"id": "mytime"' }),
    });
    expect(await row.locator('td.num').nth(1).textContent()).toBe(
      String(v4.split('\n').findIndex((l) => l.includes('"id": "mytime"')) + 1),
    );
    const colour = (cell: string) =>
      page
        .locator(cell)
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    const [del, add] = [await colour('table.diff td.code.del'), await colour('table.diff td.code.add')];
    expect([del, add]).toEqual(['rgb(254, 226, 226)', 'rgb(220, 252, 231)']);
    await expectAccessible(page, 'history diff');
    await screenshot(page, '15-history-diff-colours');
  }, 120_000);

  it('finds a client by name, shows names, and moves a reservation to another purchase with the why', async () => {
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Name or email').fill('sarah');
    await page.getByRole('button', { name: 'Find client' }).click();
    const found = page.locator('#client-results li');
    await eventually(() => found.allTextContents()).toEqual([
      expect.stringMatching(/^Sarah /),
      expect.stringMatching(/^Sarah Lee slee@example.com/),
      expect.stringMatching(/^Sam Ortiz sarah\.o@example\.com/),
    ]);
    await expectAccessible(page, 'client search');
    await page.getByLabel('Name or email').fill('nobody');
    await page.getByRole('button', { name: 'Find client' }).click();
    await page.getByText("No client's name or email starts with “nobody”.").waitFor();
    await page.getByLabel('Name or email').fill('Sar');
    await page.getByRole('button', { name: 'Find client' }).click();
    await page.getByRole('link', { name: 'Sarah', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sarah' }).waitFor();
    expect(await page.locator('.lead').textContent()).toBe('client id sarah');

    // r2 is paid by the newest package under gymGO; the desk moves it to the oldest.
    await page.getByRole('button', { name: /^Change purchase for Yoga on Mar 4/ }).click();
    const pick = page.getByRole('dialog', { name: /^Which purchase pays for Yoga on Mar 4/ });
    await pick.getByLabel('Purchase').selectOption('p-old');
    await expectAccessible(page, 'choose a purchase');
    await pick.getByRole('button', { name: 'Next' }).click();
    const sure = page.getByRole('dialog', { name: 'Move this reservation to another purchase?' });
    expect(await sure.textContent()).toContain(
      'will be paid by “10 classes” (p-old) instead of “10 classes” (p-new). No credit has been taken yet, so no balance changes now.',
    );
    await sure.getByRole('button', { name: 'Move it' }).click();
    const moved = page.locator('#client-note');
    await eventually(() => moved.textContent()).toContain('is now paid by “10 classes” (p-old). Why:');
    expect(await moved.textContent()).toContain(
      'Paid by “10 classes” (p-old): chosen by staff by hand; the policy allows it to pay for this item.',
    );
    const r2 = await studio.as('staff').get('/v1/reservations/r2');
    expect([r2.body.purchaseId, r2.body.credit.state]).toEqual(['p-old', 'assigned']);
    expect(await page.locator('tr[data-reservation="r2"] td.explain').textContent()).toContain(
      'Paid by “10 classes” (p-old)',
    );
    await expectAccessible(page, 'client after a move');
    // The README's picture of the client view is taken by quote.test.ts (with a quote).
    await screenshot(page, '16-client-moved');
    expect(artifacts.pathname).toContain('test-artifacts');
  }, 120_000);

  it('says when the key stops working mid-session and offers to sign in again', async () => {
    await page.route('**/v1/**', (route) => route.fulfill(problem(401, 'Unauthorized', 'unknown key')));
    await page.getByRole('link', { name: 'Presets' }).click();
    const banner = page.locator('#banner [role="alert"]');
    await eventually(() => banner.textContent()).toContain(
      'Your key stopped working: the service no longer accepts it (it may have been revoked or replaced).',
    );
    await expectAccessible(page, 'key stopped working');
    await screenshot(page, '17-key-stopped');
    await page.unroute('**/v1/**');
    await banner.getByRole('button', { name: 'Sign in again' }).click();
    await signIn(page, studio.admin);
    await page.getByRole('heading', { level: 1, name: 'Presets' }).waitFor();
    expect(await page.locator('#banner').textContent()).toBe('');
  }, 120_000);

  it('lines up the presets: each topic starts at the same height on every card of a row', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('article.preset').first().waitFor();
    const tops = async (topic: string) =>
      page
        .locator('article.preset h3', { hasText: topic })
        .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    for (const topic of ['When a credit is held', 'No-shows', 'Tickets and labels']) {
      const at = await tops(topic);
      expect(at, topic).toHaveLength(4);
      expect(new Set(at).size, `${topic} at ${at.join(', ')}`).toBe(1);
    }
    await page.setViewportSize({ width: 1024, height: 768 });
    await expectAccessible(page, 'presets at 1024×768');
  }, 120_000);
});
