import { beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, request } from '../support/api.ts';
import { newStudio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';

/** GET /v1/clients: the front desk finds a client by the start of a name or an email. */
describe('client search', () => {
  beforeAll(() => testPlugin(), 180_000);

  it('finds by name or email prefix in any case, by name then id, a keyset page at a time', async () => {
    const t = await newStudio('gymgo');
    const staff = t.as('staff');
    const people = [
      { id: 'c1', name: 'Sarah Lee', email: 'slee@example.com' },
      { id: 'c2', name: 'sarah adams' },
      { id: 'c3', name: 'Sam Ortiz', email: 'sarah.o@example.com' },
      { id: 'c4', name: 'Saraswati Rao', email: 'rao@example.com' },
      { id: 'c5', name: 'Tom 100%_done' },
    ];
    for (const p of people) expectStatus(await staff.post('/v1/clients', p), 201);
    const all = await staff.get('/v1/clients?q=SAR');
    expectStatus(all, 200);
    // In the order of the text that matched: names, and Sam by his email "sarah.o@…".
    expect(all.body.clients.map((c: { id: string }) => c.id)).toEqual(['sarah', 'c2', 'c1', 'c3', 'c4']);
    expect(all.body.clients[2]).toEqual({ id: 'c1', name: 'Sarah Lee', email: 'slee@example.com' });
    expect(all.body.next).toBeNull();

    const first = await staff.get('/v1/clients?q=sar&limit=2');
    expect(first.body.clients.map((c: { id: string }) => c.id)).toEqual(['sarah', 'c2']);
    const second = await staff.get(`/v1/clients?q=sar&limit=2&cursor=${first.body.next}`);
    expect(second.body.clients.map((c: { id: string }) => c.id)).toEqual(['c1', 'c3']);
    const third = await staff.get(`/v1/clients?q=sar&limit=2&cursor=${second.body.next}`);
    expect([third.body.clients.map((c: { id: string }) => c.id), third.body.next]).toEqual([['c4'], null]);

    expect(
      (await staff.get('/v1/clients?q=sarah%20l')).body.clients.map((c: { id: string }) => c.id),
    ).toEqual(['c1']);
    expect((await staff.get('/v1/clients?q=rao%40')).body.clients.map((c: { id: string }) => c.id)).toEqual([
      'c4',
    ]);
    // % and _ are themselves, not wildcards.
    expect(
      (await staff.get('/v1/clients?q=tom%20100%25_')).body.clients.map((c: { id: string }) => c.id),
    ).toEqual(['c5']);
    expect((await staff.get('/v1/clients?q=%25')).body.clients).toEqual([]);
    // No q: every client by name.
    expect((await staff.get('/v1/clients')).body.clients).toHaveLength(6);
    // Another tenant's clients are never found.
    const other = await newStudio('gymgo');
    expect(
      (await other.as('staff').get('/v1/clients?q=sarah')).body.clients.map((c: { id: string }) => c.id),
    ).toEqual(['sarah']);
  });

  it('refuses a bad cursor or page size at its pointer, and an unknown key', async () => {
    const t = await newStudio('gymgo');
    const bad = await t.as('staff').get('/v1/clients?q=s&cursor=nonsense');
    expectStatus(bad, 422);
    expect(bad.body.errors).toEqual([{ path: '/cursor', message: 'is not a cursor from a previous page' }]);
    const size = await t.as('staff').get('/v1/clients?limit=500');
    expectStatus(size, 422);
    expect(size.body.errors[0].path).toBe('/limit');
    expectStatus(await request('GET', '/v1/clients?q=s', { key: 'nope' }), 401);
  });

  it('GET /v1/clients/{id} gives the name and email; POST refuses an email without @', async () => {
    const t = await newStudio('gymgo');
    const staff = t.as('staff');
    expectStatus(await staff.post('/v1/clients', { id: 'ann', name: 'Ann', email: 'ann@example.com' }), 201);
    expect((await staff.get('/v1/clients/ann')).body).toEqual({
      id: 'ann',
      name: 'Ann',
      email: 'ann@example.com',
    });
    expect((await staff.get('/v1/clients/sarah')).body).toEqual({ id: 'sarah', name: 'Sarah', email: null });
    expectStatus(await staff.get('/v1/clients/nobody'), 404);
    const refused = await staff.post('/v1/clients', { name: 'Bob', email: 'bob' });
    expectStatus(refused, 422);
    expect(refused.body.errors[0].path).toBe('/email');
  });

  it('GET /v1/active-policy tells staff which rule set is in force, and nothing of its rules', async () => {
    const t = await newStudio('gymgo');
    expectStatus(await t.as('admin').put('/v1/policy', { preset: 'mytime' }), 200);
    const summary = await t.as('staff').get('/v1/active-policy');
    expectStatus(summary, 200);
    expect(summary.body).toEqual({
      version: 2,
      id: 'mytime',
      name: 'MyTime-style FIFO',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expectStatus(await t.as('staff').get('/v1/policy'), 403);
  });

  it('redirects / and /admin/ to /admin', async () => {
    for (const path of ['/', '/admin/']) {
      const answer = await (await testPlugin()).app.request(path);
      expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 302, '/admin']);
    }
    const post = await (await testPlugin()).app.request('/', { method: 'POST' });
    expect(post.status).toBe(404);
  });
});
