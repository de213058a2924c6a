import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { consoleDir } from '../../src/http/admin.ts';

/** Debian's chromium (installed by .ci/run when missing); a browser is never downloaded. */
const executablePath = process.env.PUNCHCARD_CHROMIUM ?? '/usr/bin/chromium';
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const artifacts = new URL('../../test-artifacts/console/', import.meta.url);
const consoleSources = new URL('../../console/src/', import.meta.url).pathname;

/** One browser per test file, with a fresh profile, at the front desk's tablet size. */
export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(`${consoleDir}index.html`)) {
    throw new Error('the admin console is not built: run `npm run build:console` (npm install runs it too)');
  }
  // The tests drive the built console (dist-console/), not the sources: a source
  // changed after the last build would be tested as it was before.
  const built = statSync(`${consoleDir}index.html`).mtimeMs;
  const changed = readdirSync(consoleSources, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && statSync(join(f.parentPath, f.name)).mtimeMs > built)
    .map((f) => join(f.parentPath, f.name));
  if (changed.length > 0)
    throw new Error(
      `console sources changed after the last build (${changed.slice(0, 3).join(', ')}): run \`npm run build:console\``,
    );
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'punchcard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args,
    headless: true,
    viewport: { width: 1024, height: 768 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Serves an app over real HTTP on a free port, in this process. */
export async function listen(app: Hono<any>): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2.1 A and AA with axe-core, injected through the DevTools protocol (the
 * console's CSP would rightly refuse an inline script). No violation may remain.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5),
    }));
  });
  expect(violations, `axe on the ${screen} screen`).toEqual([]);
}

/** Polls until the page shows what is expected; the machine may be busy, so allow it time. */
export const eventually = <T>(read: () => Promise<T> | T) =>
  expect.poll(read, { timeout: 20_000, interval: 100 });

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`${name}.png`, artifacts).pathname, fullPage: true });
}

/** Signs in on the console's sign-in form, as a person would. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('Key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
