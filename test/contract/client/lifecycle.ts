import createClient from 'openapi-fetch';
import type { paths } from './generated/punchcard.ts';

/**
 * What a host engineer writes against a client generated from GET /openapi.json
 * (openapi-typescript + openapi-fetch): the whole lifecycle, with no casts and no
 * `any` — the types come from the document alone. client.test.ts type-checks this
 * file and runs it against the app in-process.
 */
export interface LifecycleOptions {
  baseUrl: string;
  platformKey: string;
  /** The service's "now": the session is booked for the day after. */
  now: Date;
  fetch?: (request: Request) => Promise<Response>;
}

/** The data of an answer, or an error naming the step and the problem the service sent. */
function must<T>(step: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

export async function lifecycle({ baseUrl, platformKey, now, fetch }: LifecycleOptions) {
  const as = (key: string) =>
    createClient<paths>({ baseUrl, fetch, headers: { Authorization: `Bearer ${key}` } });
  const platform = as(platformKey);

  const tenant = must(
    'tenant',
    await platform.POST('/v1/tenants', { body: { name: 'Contract Studio', preset: 'mytime' } }),
  );
  const admin = as(tenant.keys.admin);
  const staff = as(tenant.keys.staff);

  // Catalogue
  const location = must(
    'location',
    await admin.POST('/v1/locations', { body: { name: 'New York', timeZone: 'America/New_York' } }),
  );
  const item = must(
    'item',
    await admin.POST('/v1/items', { body: { name: 'Yoga', kind: 'class', price: 2500 } }),
  );
  const plan = must(
    'plan',
    await admin.POST('/v1/plans', {
      body: {
        name: '10 classes',
        kind: 'package',
        credits: 10,
        price: 20000,
        daysToExpire: 90,
        itemIds: [item.id],
      },
    }),
  );
  const client = must('client', await staff.POST('/v1/clients', { body: { name: 'Sarah' } }));

  // A sale, sent twice with one Idempotency-Key: sold once.
  const sale = {
    body: { clientId: client.id, planId: plan.id, locationId: location.id },
    params: { header: { 'Idempotency-Key': `sale-${client.id}` } },
  };
  const purchase = must('purchase', await staff.POST('/v1/purchases', sale));
  const replay = await staff.POST('/v1/purchases', sale);
  const replayed =
    replay.response.headers.get('Idempotent-Replayed') === 'true' && replay.data?.id === purchase.id;

  // A purchase on hold and back, with no body at all (the body is optional).
  must('hold', await staff.POST('/v1/purchases/{id}/hold', { params: { path: { id: purchase.id } } }));
  must('resume', await staff.POST('/v1/purchases/{id}/resume', { params: { path: { id: purchase.id } } }));

  // Session tomorrow, a booking (MyTime holds a credit), a ticket closed (the credit is used).
  const startsAt = new Date(now.getTime() + 24 * 3600_000);
  const session = must(
    'session',
    await staff.POST('/v1/sessions', {
      body: {
        itemId: item.id,
        locationId: location.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        staffId: 'ana',
      },
    }),
  );
  // A quote first: which purchase would pay and what it would leave, nothing written.
  const quoted = must(
    'quote',
    await staff.POST('/v1/reservations/quote', {
      body: { clientId: client.id, sessionId: session.id, channel: 'in_store' },
    }),
  );
  const booked = must(
    'reservation',
    await staff.POST('/v1/reservations', {
      body: { clientId: client.id, sessionId: session.id, channel: 'in_store' },
    }),
  );
  const ticket = must(
    'ticket',
    await staff.POST('/v1/tickets', {
      body: {
        clientId: client.id,
        locationId: location.id,
        lines: [{ itemId: item.id, reservationId: booked.id }],
      },
    }),
  );
  const closed = must(
    'close',
    await staff.POST('/v1/tickets/{id}/close', { params: { path: { id: ticket.id } } }),
  );

  // The studio cancels a second class the client booked: its credit comes back.
  const later = must(
    'second session',
    await staff.POST('/v1/sessions', {
      body: {
        itemId: item.id,
        locationId: location.id,
        startsAt: new Date(startsAt.getTime() + 24 * 3600_000).toISOString(),
        endsAt: new Date(startsAt.getTime() + 25 * 3600_000).toISOString(),
      },
    }),
  );
  must(
    'second reservation',
    await staff.POST('/v1/reservations', {
      body: { clientId: client.id, sessionId: later.id, channel: 'in_store', purchaseId: purchase.id },
    }),
  );
  const classCanceled = must(
    'class cancel',
    await staff.POST('/v1/sessions/{id}/cancel', { params: { path: { id: later.id } } }),
  );

  // Balances, ledger, the report (JSON with filters, and CSV).
  const balances = must(
    'balances',
    await staff.GET('/v1/clients/{id}/balances', { params: { path: { id: client.id } } }),
  );
  const ledger = must(
    'ledger',
    await staff.GET('/v1/purchases/{id}/ledger', { params: { path: { id: purchase.id } } }),
  );
  const window = { from: now.toISOString(), to: new Date(now.getTime() + 2 * 24 * 3600_000).toISOString() };
  const report = must(
    'report',
    await staff.GET('/v1/reports/credits', { params: { query: { clientId: client.id, ...window } } }),
  );
  // The operation answers JSON or CSV (by Accept), so its type says both; JSON was asked for.
  if (typeof report === 'string') throw new Error('report: expected JSON');
  const csv = must(
    'report csv',
    await staff.GET('/v1/reports/credits', {
      params: { query: { clientId: client.id } },
      headers: { Accept: 'text/csv' },
      parseAs: 'text',
    }),
  );

  // Policy: put a preset's rule set, list versions, roll back, simulate a draft.
  const gymgo = must('preset', await platform.GET('/v1/presets/{id}', { params: { path: { id: 'gymgo' } } }));
  const put = must('put policy', await admin.PUT('/v1/policy', { body: { ruleset: gymgo } }));
  const versions = must('versions', await admin.GET('/v1/policy/versions'));
  const rolledBack = must('rollback', await admin.POST('/v1/policy/rollback', { body: { version: 1 } }));
  const simulation = must(
    'simulate',
    await admin.POST('/v1/policy/simulate', { body: { ruleset: gymgo, ...window } }),
  );
  const sweep = must('sweep', await admin.POST('/v1/sweeps'));

  // Explain: why the reservation has the credit it has.
  const explained = must(
    'explain',
    await staff.GET('/v1/reservations/{id}', { params: { path: { id: booked.id } } }),
  );

  // The front desk and the catalog: item types, later changes, the schedule, the roster, the history.
  const itemType = must(
    'item type',
    await admin.POST('/v1/item-types', {
      body: { id: 'Scheduler_Bucket', name: 'Sessions', schedulerBucket: true },
    }),
  );
  const itemTypes = must('item types', await staff.GET('/v1/item-types'));
  const renamed = must(
    'patch item',
    await admin.PATCH('/v1/items/{id}', {
      params: { path: { id: item.id } },
      body: { name: 'Hot yoga', integrations: { clubOs: true } },
    }),
  );
  const replanned = must(
    'patch plan',
    await admin.PATCH('/v1/plans/{id}', {
      params: { path: { id: plan.id } },
      body: { name: '10 hot classes' },
    }),
  );
  const schedule = must(
    'schedule',
    await staff.GET('/v1/sessions', {
      params: { query: { staffId: 'ana', locationId: location.id, limit: '10' } },
    }),
  );
  const roster = must(
    'roster',
    await staff.GET('/v1/sessions/{id}/attendees', { params: { path: { id: session.id } } }),
  );
  const history = must(
    'history',
    await staff.GET('/v1/clients/{id}/reservations', {
      params: { path: { id: client.id }, query: { status: 'booked', limit: '1' } },
    }),
  );

  return {
    tenantId: tenant.id,
    frontDesk: {
      itemTypes: itemTypes.itemTypes.map((t) => `${t.id}:${t.schedulerBucket}`),
      itemType: itemType.name,
      item: `${renamed.name}:${renamed.integrations.clubOs}`,
      plan: replanned.name,
      schedule: schedule.sessions.map((s) => s.staffId),
      scheduleNext: schedule.next,
      roster: roster.attendees.map((a) => `${a.clientName}:${a.label}`),
      history: history.reservations.length,
      historyNext: history.next,
    },
    replayed,
    bookedState: booked.credit.state,
    quote: { purchaseId: quoted.purchaseId, remaining: quoted.counts?.remaining, label: quoted.label },
    classCanceled: classCanceled.reservations.map(
      (r) => `${r.status}:${r.credit.state}:${r.counts?.remaining}`,
    ),
    ticket: { status: closed.status, total: closed.total, lineState: closed.lines[0]?.credit.state },
    balance: balances.purchases.map((p) => ({
      id: p.id,
      total: p.total,
      used: p.used,
      remaining: p.remaining,
    })),
    ledger: ledger.entries.map((e) => e.kind),
    report: report.rows.map((r) => `${r.entry}:${r.units}:${r.remaining}`),
    csvLines: csv.trim().split('\r\n').length,
    policy: {
      put: put.version,
      versions: versions.versions.map((v) => v.version),
      rolledBack: rolledBack.version,
    },
    simulation: { reservations: simulation.totals.reservations, changed: simulation.totals.changed },
    sweep: sweep.sessions,
    explain: {
      chosen: explained.explain?.assignment?.chosen,
      triggers: explained.explain?.usage.map((u) => u.trigger) ?? [],
      policyVersion: explained.explain?.policyVersion,
    },
    purchaseId: purchase.id,
  };
}
