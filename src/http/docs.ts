import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { describeOperation } from './openapi.ts';
import { text } from './responses/common.ts';

describeOperation({
  method: 'get',
  path: '/docs',
  operationId: 'getReferencePage',
  tag: 'Service',
  summary: 'The interactive API reference (Scalar), reading /openapi.json',
  access: 'public',
  success: { status: 200, description: 'An HTML page', content: { 'text/html': text } },
});
describeOperation({
  method: 'get',
  path: '/docs/scalar.js',
  operationId: 'getReferenceScript',
  tag: 'Service',
  summary: "The reference page's script, served from the installed @scalar/api-reference",
  access: 'public',
  success: { status: 200, description: 'JavaScript', content: { 'text/javascript': text } },
});

// The standalone bundle ships in the package but is not among its exports: find it
// beside the package's entry point. Read once, on first request (about 4 MB).
const bundlePath = join(
  dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')),
  'browser',
  'standalone.js',
);
let bundle: Promise<Buffer> | undefined;

/**
 * /docs: the reference page, with no CDN at run time (the script comes from this
 * service, fonts are the browser's own). Both URLs are relative, so the page works
 * wherever a host mounts punchcard: `/credits/docs` loads `/credits/openapi.json`.
 */
export const docsRoutes = new Hono<AppEnv>()
  .get(
    '/',
    Scalar({
      pageTitle: 'punchcard API',
      url: 'openapi.json',
      cdn: 'docs/scalar.js',
      withDefaultFonts: false,
      hideClientButton: true,
    }),
  )
  .get('/scalar.js', async (c) => {
    bundle ??= readFile(bundlePath);
    return c.body(new Uint8Array(await bundle), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    });
  });
