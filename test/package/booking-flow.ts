import { expect } from 'vitest';

/** A caller of a running host: its own credentials in headers, punchcard under a prefix. */
export function hostClient(base: string, headers: Record<string, string> = {}) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}
export type HostClient = ReturnType<typeof hostClient>;

/** An admin sets up a studio's catalogue; staff sell sarah ten credits. Returns the purchase id. */
export async function sellTenCredits(admin: HostClient, staff: HostClient, prefix: string): Promise<string> {
  const created = [
    await admin('POST', `${prefix}/v1/locations`, {
      id: 'downtown',
      name: 'Downtown',
      timeZone: 'Europe/Paris',
    }),
    await admin('POST', `${prefix}/v1/items`, { id: 'yoga', name: 'Yoga', kind: 'class', price: 2000 }),
    await admin('POST', `${prefix}/v1/plans`, {
      id: 'ten',
      name: 'Ten classes',
      kind: 'package',
      credits: 10,
      price: 15000,
      itemIds: ['yoga'],
    }),
    await staff('POST', `${prefix}/v1/clients`, { id: 'sarah', name: 'Sarah' }),
  ];
  expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  const sold = await staff('POST', `${prefix}/v1/purchases`, {
    clientId: 'sarah',
    planId: 'ten',
    locationId: 'downtown',
  });
  expect(sold.status).toBe(201);
  return sold.body.id as string;
}

/** Staff book sarah online into tomorrow's class, ring it up and save the ticket: the credit is used. */
export async function bookToUsedCredit(staff: HostClient, prefix: string, purchaseId: string) {
  const startsAt = new Date(Date.now() + 24 * 3_600_000);
  const session = await staff('POST', `${prefix}/v1/sessions`, {
    id: 'tomorrow',
    itemId: 'yoga',
    locationId: 'downtown',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
  });
  expect(session.status).toBe(201);
  const booked = await staff('POST', `${prefix}/v1/reservations`, {
    clientId: 'sarah',
    sessionId: 'tomorrow',
    channel: 'online',
  });
  expect(booked.status).toBe(201);
  expect(booked.body).toMatchObject({ purchaseId, credit: { state: 'held', units: 1 } });
  const ticket = await staff('POST', `${prefix}/v1/tickets`, {
    clientId: 'sarah',
    locationId: 'downtown',
    lines: [{ itemId: 'yoga', reservationId: booked.body.id }],
  });
  expect(ticket.status).toBe(201);
  const saved = await staff('POST', `${prefix}/v1/tickets/${ticket.body.id}/save`);
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ status: 'saved', total: 0 });
  expect(saved.body.lines[0].credit.state).toBe('used');
  const reservation = await staff('GET', `${prefix}/v1/reservations/${booked.body.id}`);
  expect(reservation.body.credit).toEqual({ state: 'used', units: 1 });
}
