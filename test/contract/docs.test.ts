import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';
import { testPlugin } from '../support/plugin.ts';

describe('/docs', () => {
  it('serves the reference page, public, loading the document and the script from this service', async () => {
    const page = await request<string>('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('"url": "openapi.json"');
    expect(page.body).toContain('<script src="docs/scalar.js"></script>');
    expect(page.body).not.toMatch(/https?:\/\//);

    const script = await request<string>('GET', '/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.body).toContain('createApiReference');
    expect(script.body.length).toBeGreaterThan(1_000_000);
  });

  it('works under a mount prefix: its relative URLs resolve to the prefixed document and script', async () => {
    const { app } = await testPlugin();
    const host = new Hono().route('/credits', app);
    const page = await host.request('/credits/docs');
    expect(page.status).toBe(200);
    const base = 'http://host.test/credits/docs';
    expect(new URL('openapi.json', base).pathname).toBe('/credits/openapi.json');
    expect(new URL('docs/scalar.js', base).pathname).toBe('/credits/docs/scalar.js');
    expect((await host.request('/credits/docs/scalar.js')).status).toBe(200);
    const doc = (await (await host.request('/credits/openapi.json')).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
  });
});
