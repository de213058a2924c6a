import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Decision,
  decisionFacts,
  decisions,
  eventTypes,
  type FieldType,
  factCatalogue,
  loadPreset,
  orderKeys,
} from '../../src/policy/index.ts';
import { type Answer, expectStatus, request } from '../support/api.ts';
import { setNow } from '../support/clock.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';

/**
 * Arbitrary and schema-shaped rule sets sent to PUT /v1/policy: never a 5xx; every
 * refusal is problem+json with pointers and leaves the policy version as it was;
 * after every accepted rule set, a booking, a ticket close and a sweep still answer
 * without a 5xx (whatever the rule set decides).
 */
const prototypeNames = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

function expectProblem(res: Answer): void {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body.errors?.length ?? 0).toBeGreaterThan(0);
  for (const e of res.body.errors) {
    expect(e.path).toMatch(/^(\/.*)?$/);
    expect(typeof e.message).toBe('string');
  }
}

const notServerError = (what: string, res: Answer) =>
  expect(res.status, `${what}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);

let day = 0;
/** A booking, a ticket close and a sweep under whatever policy is active. */
async function exerciseCredits(t: Studio): Promise<void> {
  day += 1;
  const at = new Date(Date.UTC(2026, 3, 1) + day * 86_400_000);
  setNow(at);
  const staff = t.as('staff');
  const session = await staff.post('/v1/sessions', {
    itemId: 'yoga',
    locationId: 'loc',
    startsAt: new Date(at.getTime() + 3_600_000).toISOString(),
    endsAt: new Date(at.getTime() + 7_200_000).toISOString(),
  });
  expectStatus(session, 201);
  notServerError(
    'booking',
    await staff.post('/v1/reservations', {
      clientId: t.clientId,
      sessionId: session.body.id,
      channel: 'online',
    }),
  );
  const ticket = await staff.post('/v1/tickets', {
    clientId: t.clientId,
    locationId: 'loc',
    lines: [{ itemId: 'yoga' }],
  });
  notServerError('ticket', ticket);
  if (ticket.status === 201)
    notServerError('ticket close', await staff.post(`/v1/tickets/${ticket.body.id}/close`));
  setNow(new Date(at.getTime() + 3 * 3_600_000));
  notServerError('sweep', await t.as('admin').post('/v1/sweeps', {}));
}

const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -100, max: 10_000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...prototypeNames),
);

/** A condition over the facts a decision gets, type-correct most of the time. */
function leafFor(decision: Decision) {
  const refs = decisionFacts[decision].flatMap((fact): { fact: string; path?: string; type: FieldType }[] => {
    const spec = factCatalogue[fact];
    return spec.fields
      ? Object.entries(spec.fields).map(([path, type]) => ({ fact, path, type }))
      : [{ fact, type: spec.type as FieldType }];
  });
  return fc
    .record({
      ref: fc.constantFrom(...refs),
      odd: fc.nat(19),
      name: fc.constantFrom(...prototypeNames),
      junk: scalar,
      list: fc.array(scalar, { maxLength: 4 }),
      n: fc.integer({ min: -5, max: 5_000 }),
      pick: fc.nat(),
    })
    .map(({ ref, odd, name, junk, list, n, pick }) => {
      const type = ref.type;
      const base = { fact: ref.fact, ...(ref.path ? { path: ref.path } : {}) };
      if (odd === 0) return { ...base, path: name, operator: 'equal', value: junk };
      if (odd === 1) return { ...base, operator: name, value: junk };
      if (odd === 2) return { ...base, operator: 'in', value: list };
      if (type.kind === 'number')
        return { ...base, operator: ['lessThan', 'greaterThanInclusive', 'equal'][pick % 3], value: n };
      if (type.kind === 'boolean') return { ...base, operator: 'equal', value: pick % 2 === 0 };
      if (type.kind === 'string' && type.values) {
        const values = type.values.filter((_, i) => (pick >> i) & 1);
        return pick % 2
          ? { ...base, operator: 'in', value: values.length > 0 ? values : [type.values[0]] }
          : { ...base, operator: 'notEqual', value: type.values[pick % type.values.length] };
      }
      return { ...base, operator: 'equal', value: String(junk) };
    });
}

function ruleFor(decision: Decision) {
  const leaf = leafFor(decision);
  const inner = fc.oneof(
    leaf,
    leaf.map((l) => ({ not: l })),
    fc.array(leaf, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
  );
  const events = eventTypes[decision];
  return fc
    .record({
      conditions: fc.oneof(
        fc.array(inner, { maxLength: 4 }).map((all) => ({ all })),
        fc.array(inner, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
        leaf.map((not) => ({ not })),
      ),
      priority: fc.integer({ min: 1, max: 100 }),
      type: fc.constantFrom(...events),
      by: fc.array(
        fc.record({
          key: fc.constantFrom(
            ...(decision === 'assignment' || decision === 'allocation' ? orderKeys[decision] : ['x']),
          ),
          direction: fc.constantFrom('asc', 'desc'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ conditions, priority, type, by }) => ({
      decision,
      priority,
      conditions,
      event: {
        type,
        params: type === 'order' ? { by } : type === 'deny' ? { reason: 'no' } : { reason: 'fuzz' },
      },
    }));
}

const shapedRuleset = fc
  .array(fc.constantFrom(...decisions).chain(ruleFor), { maxLength: 8 })
  .map((rules) => ({
    id: 'fuzz',
    name: 'Fuzz',
    settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
    rules: rules.map((r, i) => ({ name: `rule-${i}`, ...r })),
  }));

/** The MyTime preset with one value somewhere replaced by an arbitrary one. */
const mutatedPreset = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([pick, value]) => {
  const ruleset = loadPreset('mytime') as unknown as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        slots.push([v, i]);
        walk(x);
      });
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        slots.push([v as Record<string, unknown>, k]);
        walk(x);
      }
  };
  walk(ruleset);
  const [holder, key] = slots[pick % slots.length];
  (holder as Record<string | number, unknown>)[key] = value;
  return ruleset;
});

async function putAndCheck(t: Studio, body: string, accepted: { n: number }): Promise<void> {
  const admin = t.as('admin');
  const before = (await admin.get('/v1/policy')).body.version;
  const res = await request('PUT', '/v1/policy', {
    key: t.admin,
    raw: body,
    headers: { 'content-type': 'application/json' },
  });
  if (res.status === 200) {
    expect(res.body.version).toBe(before + 1);
    accepted.n += 1;
    await exerciseCredits(t);
    return;
  }
  expectProblem(res);
  expect((await admin.get('/v1/policy')).body.version).toBe(before);
}

async function studio(): Promise<Studio> {
  const t = await newStudio('mytime');
  for (let i = 0; i < 3; i++) await buy(t, await addPlan(t, { name: `p${i}`, credits: 100 }));
  return t;
}

describe('PUT /v1/policy under generated rule sets', () => {
  it('arbitrary JSON, as the body or as the rule set, and mutated presets: never a 5xx', async () => {
    const t = await studio();
    const accepted = { n: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.jsonValue({ maxDepth: 4 }).map((ruleset) => JSON.stringify({ ruleset })),
          mutatedPreset.map((ruleset) => JSON.stringify({ ruleset })),
        ),
        (body) => putAndCheck(t, body, accepted),
      ),
      { numRuns: 60 },
    );
  });

  it('schema-shaped rule sets: refused with pointers, or accepted and bookings, tickets and sweeps go on', async () => {
    const t = await studio();
    const accepted = { n: 0 };
    await fc.assert(
      fc.asyncProperty(shapedRuleset, (ruleset) => putAndCheck(t, JSON.stringify({ ruleset }), accepted)),
      { numRuns: 30 },
    );
    // Both branches ran: some were accepted and exercised.
    expect(accepted.n).toBeGreaterThan(5);
  });
});
