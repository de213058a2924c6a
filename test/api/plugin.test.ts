import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createCreditsPlugin } from '../../src/index.ts';
import { catalogueMarkdown } from '../../src/policy/index.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';
import { tenantsTouched } from '../support/setup.ts';

describe('plugin interface', () => {
  it('a host mounts the app, plugs in its own auth, and gets typed events after commit', async () => {
    const { orm } = await testPlugin();
    // The host owns the ORM: the plugin runs on it without migrating or closing it.
    const credits = await createCreditsPlugin({
      orm,
      migrate: false,
      auth: (c) => {
        const org = c.req.header('x-org');
        return org ? { tenantId: org, role: c.req.header('x-role') === 'admin' ? 'admin' : 'staff' } : null;
      },
    });
    const shared = await testPlugin();
    const created = await shared.app.request('/v1/tenants', {
      method: 'POST',
      headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hosted', preset: 'mytime' }),
    });
    const tenantId = ((await created.json()) as { id: string }).id;
    tenantsTouched.add(tenantId);
    const host = new Hono().route('/credits', credits.app);
    const events: string[] = [];
    // On a shared PostgreSQL other test files sell at the same time: this tenant's events only.
    credits.on('purchase.created', (e) => {
      if (e.tenantId === tenantId) events.push(`${e.tenantId}:${e.planId}`);
    });
    const call = (path: string, body: unknown, role = 'admin') =>
      host.request(`/credits${path}`, {
        method: 'POST',
        headers: { 'x-org': tenantId, 'x-role': role, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await call('/v1/locations', { id: 'l', name: 'L', timeZone: 'Europe/Paris' })).status).toBe(201);
    expect((await call('/v1/items', { id: 'i', name: 'I', kind: 'class', price: 100 })).status).toBe(201);
    expect(
      (
        await call('/v1/plans', {
          id: 'p',
          name: 'P',
          kind: 'package',
          credits: 3,
          price: 250,
          itemIds: ['i'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          '/v1/plans',
          { name: 'Q', kind: 'package', credits: 3, price: 250, itemIds: ['i'] },
          'staff',
        )
      ).status,
    ).toBe(403);
    expect((await call('/v1/clients', { id: 'c', name: 'C' }, 'staff')).status).toBe(201);
    const sold = await call('/v1/purchases', { clientId: 'c', planId: 'p', locationId: 'l' }, 'staff');
    expect(sold.status).toBe(201);
    await credits.drain({ tenantId });
    expect(events).toEqual([`${tenantId}:p`]);
    expect((await host.request('/credits/v1/clients/c/balances')).status).toBe(401);
    expect(credits.entities.length).toBe(15);
    expect(credits.migrations.map((m) => m.name)).toEqual([
      '0001-initial',
      '0002-money-and-scopes',
      '0003-credit-engine',
      '0004-outbox',
      '0005-outbox-order',
      '0006-one-pass',
      '0007-retention',
      '0008-catalog',
      '0009-client-search',
      '0010-engine-items',
      '0011-claim-shares',
      '0012-studio-ledger-kinds',
      '0013-visit-caps',
      '0014-late-cancel',
      '0015-freezes-and-alerts',
      '0016-pools',
      '0017-waitlist',
      '0018-sweep-steps-by-reference',
    ]);
    await credits.close();
    expect((await shared.app.request('/healthz')).status).toBe(200);
  });

  it('the README documents the fact catalogue exactly as the code defines it', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(catalogueMarkdown());
  });
});
