import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type MiddlewareHandler } from 'hono';
import { notFound } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { describeOperation } from './openapi.ts';
import { text } from './responses/common.ts';

/**
 * Where `npm run build:console` writes the console (the package root's
 * dist-console/), found from this file so a host's cwd does not matter: two levels
 * up from src/http/, three from the published build's dist/src/http/.
 */
const candidates = ['../../dist-console/', '../../../dist-console/'].map((up) =>
  fileURLToPath(new URL(up, import.meta.url)),
);
export const consoleDir = candidates.find((dir) => existsSync(`${dir}index.html`)) ?? candidates[0];

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page may load only itself and call only its own origin. CodeMirror writes its
 * theme into <style> elements, hence inline styles; scripts stay 'self' only (the
 * rule-set check is precompiled, so no eval).
 */
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
};

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>punchcard admin</title>
<p>The admin console is not built. Run <code>npm run build:console</code> and reload.</p></html>`;

async function serveFile(relative: string, rewrite?: (html: string) => string): Promise<Response> {
  // Asset names are Vite's (letters, digits, dashes, dots under assets/); anything else is not ours.
  const clean = normalize(relative);
  if (clean.startsWith('..') || clean.includes('\0') || !types[extname(clean)])
    throw notFound('file', relative);
  try {
    const body = await readFile(consoleDir + clean);
    // The app's guards add nosniff and no-store (these pages are not among its public paths).
    return new Response(rewrite ? rewrite(body.toString('utf8')) : body, {
      headers: { 'content-type': types[extname(clean)], ...securityHeaders },
    });
  } catch {
    if (clean === 'index.html')
      return new Response(notBuilt, { status: 503, headers: { 'content-type': types['.html'] } });
    throw notFound('file', relative);
  }
}

describeOperation({
  method: 'get',
  path: '/admin',
  operationId: 'getAdminConsole',
  tag: 'Service',
  summary: "The tenant admins' console (presets, rules, simulate, history, clients), an HTML page",
  access: 'public',
  success: { status: 200, description: 'An HTML page', content: { 'text/html': text } },
});
describeOperation({
  method: 'get',
  path: '/admin/assets/{file}',
  operationId: 'getAdminConsoleAsset',
  tag: 'Service',
  summary: "The console's script and style sheet, built at install time",
  access: 'public',
  success: {
    status: 200,
    description: 'JavaScript or CSS',
    content: { 'text/javascript': text, 'text/css': text },
  },
});

/**
 * `/admin`: the tenant admins' console, static files built at install time. It is
 * public like any page: the key is typed into it and every call it makes is
 * authorised by the API. Mounted with the API, so a host that mounts punchcard
 * under a prefix serves it under that prefix too: the page's asset URLs are made
 * relative to `/admin` itself, and the page finds the API from its own address.
 */
export const adminConsole = new Hono<AppEnv>()
  .get('/', () => serveFile('index.html', (html) => html.replaceAll('"./assets/', '"admin/assets/')))
  .get('/assets/:file', (c) => serveFile(`assets/${c.req.param('file')}`));

/**
 * `/` and `/admin/` lead to the console (issue 18: both used to answer a JSON 404).
 * A middleware rather than a route: these are not API operations, so the OpenAPI
 * document does not list them. The target is built from the request's own path, so
 * under a host prefix `/studio/credits/admin/` goes to `/studio/credits/admin`. 302,
 * not 301: a browser would keep a permanent redirect of `/` even after the host puts
 * a page of its own there.
 */
export const toAdminConsole =
  (from: 'root' | 'admin/'): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = c.req.path.replace(/\/+$/, '');
    return c.redirect(from === 'root' ? `${path}/admin` : path, 302);
  };
