import type { Hono } from 'hono';
import type { AppEnv } from './http/env.ts';

export interface DemoTenant {
  tenantId: string;
  keys: { admin: string; staff: string };
}

async function call(app: Hono<AppEnv>, key: string, path: string, body: unknown) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`demo seed: ${path} answered ${res.status} ${await res.text()}`);
  return res.json();
}

/** A small studio to try the API on, created through the API itself. */
export async function seedDemo(app: Hono<AppEnv>, platformKey: string): Promise<DemoTenant> {
  const tenant = (await call(app, platformKey, '/v1/tenants', {
    id: 'demo',
    name: 'Demo Studio',
    preset: 'mytime',
  })) as { id: string; keys: { admin: string; staff: string } };
  const admin = tenant.keys.admin;
  await call(app, admin, '/v1/locations', { id: 'downtown', name: 'Downtown', timeZone: 'America/New_York' });
  await call(app, admin, '/v1/items', { id: 'yoga', name: 'Yoga class', kind: 'class', price: 2500 });
  await call(app, admin, '/v1/items', { id: 'facial', name: 'Facial', kind: 'appointment', price: 9000 });
  await call(app, admin, '/v1/plans', {
    id: 'yoga-10',
    name: '10 Yoga Classes',
    kind: 'package',
    credits: 10,
    price: 20000,
    daysToExpire: 90,
    itemIds: ['yoga'],
  });
  await call(app, admin, '/v1/plans', {
    id: 'spa-monthly',
    name: 'Spa Membership',
    kind: 'membership',
    credits: 2,
    price: 15000,
    daysToExpire: 30,
    itemIds: ['facial'],
    commission: { basis: 'unit_price' },
  });
  await call(app, admin, '/v1/clients', { id: 'sarah', name: 'Sarah' });
  return { tenantId: tenant.id, keys: tenant.keys };
}
