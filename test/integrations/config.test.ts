import { beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/api.ts';
import { newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { newSecret } from './support/receiver.ts';

// Opening the worker's database (and migrating it) can take a while on a busy machine.
beforeAll(() => testPlugin(), 120_000);

// The test plugin allows private targets (its receivers run here); the URL rules with
// the switch off are in test/security/outbound-targets.test.ts.
describe('integration settings (GET/PUT /v1/integrations/{name})', () => {
  it('admin only; secrets are write-only; an unknown integration is 404', async () => {
    const t = await newStudio();
    const admin = t.as('admin');
    expect((await t.as('staff').get('/v1/integrations/clubos')).status).toBe(403);
    expect(
      (await t.as('staff').put('/v1/integrations/clubos', { enabled: false, url: 'https://x.test' })).status,
    ).toBe(403);
    expect((await admin.get('/v1/integrations/mailchimp')).status).toBe(404);
    expect(
      (await admin.put('/v1/integrations/mailchimp', { enabled: false, url: 'https://x.test' })).status,
    ).toBe(404);
    const before = await admin.get('/v1/integrations/clubos');
    expect(before.body).toEqual({
      name: 'clubos',
      enabled: false,
      url: null,
      events: ['purchase.created', 'reservation.changed'],
      availableEvents: ['purchase.created', 'reservation.changed'],
      apiKeySet: false,
      updatedAt: null,
    });
    const put = await admin.put('/v1/integrations/clubos', {
      enabled: true,
      url: 'https://clubos.example.com/purchases',
      apiKey: 'sk_live_very_secret',
    });
    expectStatus(put, 200);
    const after = await admin.get('/v1/integrations/clubos');
    expect(after.body).toMatchObject({
      enabled: true,
      url: 'https://clubos.example.com/purchases',
      apiKeySet: true,
    });
    expect(JSON.stringify(put.body) + JSON.stringify(after.body)).not.toContain('very_secret');
    // Changing other settings keeps the stored key.
    expectStatus(
      await admin.put('/v1/integrations/clubos', { enabled: false, url: 'https://c.example.com' }),
      200,
    );
    expect((await admin.get('/v1/integrations/clubos')).body).toMatchObject({
      enabled: false,
      apiKeySet: true,
    });
    const secret = newSecret();
    const hooks = await admin.put('/v1/integrations/webhooks', {
      enabled: true,
      url: 'https://hooks.example.com/in',
      secret,
      events: ['purchase.created', 'credit.changed'],
    });
    expectStatus(hooks, 200);
    expect(hooks.body).toMatchObject({ secretSet: true, events: ['purchase.created', 'credit.changed'] });
    expect(JSON.stringify(hooks.body)).not.toContain(secret.slice(6));
  });

  it('bad settings are a 422 with a pointer at each fault, and change nothing', async () => {
    const t = await newStudio();
    const admin = t.as('admin');
    const cases: [string, Record<string, unknown>, { path: string; message: string }[]][] = [
      [
        'clubos',
        { enabled: true, url: 'ftp://clubos.example.com/in', apiKey: 'k' },
        [{ path: '/url', message: 'must be an https:// URL (the scheme ftp: cannot be delivered to)' }],
      ],
      [
        'clubos',
        { enabled: true, url: 'https://clubos.example.com/in' },
        [{ path: '/apiKey', message: 'is required to enable clubos' }],
      ],
      [
        'clubos',
        { enabled: true, url: 'not a url', apiKey: 'k' },
        [{ path: '/url', message: 'is not an absolute URL' }],
      ],
      [
        'webhooks',
        {
          enabled: true,
          url: 'https://h.example.com',
          apiKey: 'k',
          events: ['purchase.created', 'session.moved'],
        },
        [
          { path: '/apiKey', message: 'webhooks takes a secret, not an apiKey' },
          { path: '/secret', message: 'is required to enable webhooks' },
          {
            path: '/events/1',
            message:
              'must be one of purchase.created, purchase.changed, credit.changed, reservation.changed, reservation.penalty, ticket.changed, policy.changed, purchase.members_changed, purchase.transferred, purchase.frozen, purchase.unfrozen, credits.low, credits.expiring, waitlist.joined, waitlist.promoted, waitlist.skipped, waitlist.left',
          },
        ],
      ],
      [
        'webhooks',
        { enabled: true, url: 'https://h.example.com', secret: 'hunter2' },
        [{ path: '/secret', message: 'must be whsec_ followed by base64' }],
      ],
      ['webhooks', { enabled: true, secret: newSecret() }, [{ path: '/url', message: 'is required' }]],
    ];
    for (const [name, body, errors] of cases) {
      const res = await admin.put(`/v1/integrations/${name}`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual(errors);
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    }
    expect((await admin.get('/v1/integrations/clubos')).body).toMatchObject({ enabled: false, url: null });
    expect((await admin.get('/v1/integrations/webhooks')).body).toMatchObject({ enabled: false, url: null });
    // Disabled needs no key.
    expectStatus(
      await admin.put('/v1/integrations/clubos', { enabled: false, url: 'https://clubos.example.com/x' }),
      200,
    );
  });
});
