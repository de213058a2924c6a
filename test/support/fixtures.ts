import { expectStatus, newTenant, type TestTenant } from './api.ts';

export interface Studio extends TestTenant {
  locationId: string;
  clientId: string;
}

/** A tenant with one location (New York), one class item, one client. */
export async function newStudio(preset = 'mytime', timeZone = 'America/New_York'): Promise<Studio> {
  const t = await newTenant(preset);
  const admin = t.as('admin');
  expectStatus(await admin.post('/v1/locations', { id: 'loc', name: 'Main', timeZone }), 201);
  expectStatus(await admin.post('/v1/items', { id: 'yoga', name: 'Yoga', kind: 'class', price: 2500 }), 201);
  expectStatus(await admin.post('/v1/clients', { id: 'sarah', name: 'Sarah' }), 201);
  return { ...t, locationId: 'loc', clientId: 'sarah' };
}

export async function addPlan(t: TestTenant, plan: Record<string, unknown>): Promise<string> {
  const res = await t
    .as('admin')
    .post('/v1/plans', { kind: 'package', price: 10000, itemIds: ['yoga'], ...plan });
  expectStatus(res, 201);
  return res.body.id;
}

export async function buy(t: Studio, planId: string, extra: Record<string, unknown> = {}) {
  const res = await t
    .as('staff')
    .post('/v1/purchases', { clientId: t.clientId, planId, locationId: t.locationId, ...extra });
  expectStatus(res, 201);
  return res.body;
}

export async function addSession(t: TestTenant, session: Record<string, unknown>): Promise<string> {
  const res = await t.as('staff').post('/v1/sessions', { itemId: 'yoga', locationId: 'loc', ...session });
  expectStatus(res, 201);
  return res.body.id;
}

export async function reserve(
  t: Studio,
  sessionId: string,
  channel = 'in_store',
  extra: Record<string, unknown> = {},
) {
  const res = await t
    .as('staff')
    .post('/v1/reservations', { clientId: t.clientId, sessionId, channel, ...extra });
  expectStatus(res, 201);
  return res.body;
}

export async function balanceOf(t: TestTenant, purchaseId: string) {
  const res = await t.as('staff').get(`/v1/purchases/${purchaseId}`);
  expectStatus(res, 200);
  return res.body;
}

export async function ledgerKinds(t: TestTenant, purchaseId: string): Promise<string[]> {
  const res = await t.as('staff').get(`/v1/purchases/${purchaseId}/ledger`);
  return res.body.entries.map((e: { kind: string }) => e.kind);
}
