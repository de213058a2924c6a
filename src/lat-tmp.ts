import { createCreditsPlugin } from './plugin.ts';

const plugin = await createCreditsPlugin({ platformKey: 'k', databaseUrl: process.env.DATABASE_URL });
const post = async (key: string, path: string, body: unknown) => {
  const r = await plugin.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.json() as any;
};
const t = await post('k', '/v1/tenants', { id: 'q' + Date.now(), name: 'x', preset: 'mytime' });
const { admin, staff } = t.keys;
await post(admin, '/v1/locations', { id: 'loc', name: 'L', timeZone: 'UTC' });
await post(admin, '/v1/items', { id: 'yoga', name: 'Y', kind: 'class', price: 100 });
await post(admin, '/v1/plans', {
  id: 'p',
  name: 'P',
  kind: 'package',
  credits: 1000,
  price: 1,
  itemIds: ['yoga'],
});
await post(staff, '/v1/clients', { id: 'c', name: 'c' });
await post(staff, '/v1/purchases', { clientId: 'c', planId: 'p', locationId: 'loc' });
for (let i = 0; i < 300; i++)
  await post(staff, '/v1/sessions', {
    id: 's' + i,
    itemId: 'yoga',
    locationId: 'loc',
    startsAt: new Date(Date.UTC(2030, 0, 1 + i, 10)).toISOString(),
    endsAt: new Date(Date.UTC(2030, 0, 1 + i, 11)).toISOString(),
  });
for (let i = 0; i < 10; i++)
  await post(staff, '/v1/reservations', { clientId: 'c', sessionId: 's' + i, channel: 'online' });
const t0 = performance.now();
for (let i = 10; i < 210; i++)
  await post(staff, '/v1/reservations', { clientId: 'c', sessionId: 's' + i, channel: 'online' });
console.log('ms per booking', (performance.now() - t0) / 200);
await plugin.close();
