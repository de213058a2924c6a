import type { Hono } from 'hono';
import { DateTime } from 'luxon';
import type { AppEnv } from './http/env.ts';

export interface DemoTenant {
  tenantId: string;
  keys: { admin: string; staff: string };
  /** A yoga class to book into (the day after the demo was seeded, 18:00 New York); absent in keys files of older versions. */
  sessionId?: string;
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

/** Tomorrow 18:00–19:00 in New York: a class still ahead when the demo starts. */
function tomorrowEvening(now: Date): { startsAt: string; endsAt: string } {
  const start = DateTime.fromJSDate(now, { zone: 'America/New_York' })
    .plus({ days: 1 })
    .set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const iso = (t: DateTime) => t.toISO({ suppressMilliseconds: true }) ?? '';
  return { startsAt: iso(start), endsAt: iso(start.plus({ hours: 1 })) };
}

/** A small studio to try the API on, created through the API itself. */
export async function seedDemo(
  app: Hono<AppEnv>,
  platformKey: string,
  now = new Date(),
): Promise<DemoTenant> {
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
  await call(app, admin, '/v1/sessions', {
    id: 'yoga-evening',
    itemId: 'yoga',
    locationId: 'downtown',
    ...tomorrowEvening(now),
  });
  return { tenantId: tenant.id, keys: tenant.keys, sessionId: 'yoga-evening' };
}

/**
 * The lines the banner prints. Each POST carries a fixed Idempotency-Key, so pasting
 * it twice sells (or books) once and the second answer is the first one replayed.
 */
export function demoCurlLines(base: string, demo: DemoTenant): string[] {
  const staff = `-H 'authorization: Bearer ${demo.keys.staff}'`;
  const json = `-H 'content-type: application/json'`;
  return [
    `curl -s -X POST ${base}/v1/purchases ${staff} ${json} -H 'idempotency-key: demo-sale-1' -d '{"clientId":"sarah","planId":"yoga-10","locationId":"downtown"}'`,
    ...(demo.sessionId
      ? [
          `curl -s -X POST ${base}/v1/reservations ${staff} ${json} -H 'idempotency-key: demo-booking-1' -d '{"clientId":"sarah","sessionId":"${demo.sessionId}","channel":"online"}'`,
        ]
      : []),
    `curl -s ${base}/v1/clients/sarah/balances ${staff}`,
    `curl -s ${base}/v1/policy -H 'authorization: Bearer ${demo.keys.admin}'`,
  ];
}
