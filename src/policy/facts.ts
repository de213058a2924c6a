import { table } from './own.ts';
import { penaltyOutcomes } from './penalty-settings.ts';
import { type Decision, triggers } from './ruleset-schema.ts';

/** What a fact (or one of its fields) holds: rules are checked against it at save. */
export type FieldType =
  | { kind: 'string'; values?: readonly string[]; nullable?: boolean }
  | { kind: 'number'; nullable?: boolean }
  | { kind: 'boolean' };

export interface FactSpec {
  description: string;
  /** Set for object facts: their fields. Absent for scalar facts. */
  fields?: Record<string, FieldType & { description?: string }>;
  type?: FieldType;
  nullable?: boolean;
}

const str = (values?: readonly string[], nullable = false): FieldType => ({
  kind: 'string',
  values,
  nullable,
});
const num = (nullable = false): FieldType => ({ kind: 'number', nullable });
const bool: FieldType = { kind: 'boolean' };
const bucket = ['standard', 'personal_training'] as const;

/**
 * The facts a rule may read (SPEC §3). Times are epoch milliseconds so numeric
 * operators work on them; absent values are null, never undefined.
 */
export const factCatalogue: Readonly<Record<string, FactSpec>> = table<FactSpec>({
  item: {
    description: 'The item being paid for',
    fields: {
      id: str(),
      kind: str(['class', 'appointment', 'event', 'product']),
      price: num(),
      itemType: str(undefined, true),
      bucketType: str(bucket),
    },
  },
  plan: {
    description: 'The plan of the purchase considered (null when none is assigned)',
    nullable: true,
    fields: {
      id: str(),
      kind: str(['package', 'membership', 'session_bucket']),
      credits: num(true),
      unlimited: bool,
      price: num(),
      daysToExpire: num(),
      oneDay: bool,
      bucketType: str(bucket, true),
      itemType: str(undefined, true),
      priority: num(),
    },
  },
  purchase: {
    description:
      "The purchase considered or assigned (null when none is); `capUsed` / `capRemaining`: visits counted / left in the session's visit-cap period (null when the plan is uncapped)",
    nullable: true,
    fields: {
      id: str(),
      status: str(['active', 'on_hold', 'expired', 'voided']),
      total: num(),
      remaining: num(),
      held: num(),
      used: num(),
      purchasedAt: num(),
      expiresAt: num(true),
      locationId: str(),
      source: str(['pos', 'recurring']),
      priority: num(),
      capUsed: {
        ...num(true),
        description: "Visits already counted in the session's cap period (null: the plan is uncapped)",
      },
      capRemaining: {
        ...num(true),
        description: "Visits left in the session's cap period, rollover included (null: uncapped)",
      },
      frozen: { ...bool, description: 'A freeze covers the instant of the decision' },
      frozenDays: { ...num(), description: 'Days its freezes added to the expiry' },
    },
  },
  session: {
    description: 'The scheduled session (null for a product line)',
    nullable: true,
    fields: { id: str(), startsAt: num(), endsAt: num(), price: num(true), units: num(), locationId: str() },
  },
  reservation: {
    description: 'The reservation (null for a product line)',
    nullable: true,
    fields: {
      id: str(),
      status: str(['booked', 'checked_in', 'no_show', 'canceled']),
      channel: str(['in_store', 'online']),
      creditState: str(['none', 'assigned', 'held', 'used', 'released']),
      units: num(),
      manualPurchase: bool,
      checkedOutManually: bool,
    },
  },
  ticket: {
    description: 'The ticket the line is on (null when there is none)',
    nullable: true,
    fields: {
      id: str(),
      status: str(['open', 'saved', 'closed', 'voided', 'refunded']),
      manual: bool,
      lineCount: num(),
    },
  },
  client: { description: 'The client', fields: { id: str() } },
  settings: {
    description: "The rule set's settings",
    fields: { zeroPriceUsesCredits: bool, unlimitedLabelThreshold: num() },
  },
  trigger: {
    description: 'The lifecycle moment being decided',
    type: str(triggers),
  },
  channel: {
    description: 'Where the booking was made (a ticket line: in_store)',
    type: str(['in_store', 'online']),
  },
  price: {
    description: 'The price that counts: line override, else session, else item (minor units)',
    type: num(),
  },
  sessionStarted: { description: 'The session has started (as of the decision)', type: bool },
  sessionEnded: { description: 'The session has ended (as of the decision)', type: bool },
  hoursUntilStart: { description: 'Hours until the session starts; negative once started', type: num() },
  purchaseExpiredAtSession: { description: 'The purchase expires before the session starts', type: bool },
  penalty: {
    description:
      "The late-cancel and no-show pack at this trigger (settings `lateCancel`, `noShow`, `forgiveness`, `excludedPlans`): the window the trigger falls in, that window's outcome and fee, whether the purchase's plan is excluded, the late cancels forgiven so far in the session's period and how many more may be, and the penalty the reservation already has",
    fields: {
      window: str(['late_cancel', 'no_show'], true),
      outcome: str(penaltyOutcomes),
      fee: num(),
      excludedPlan: bool,
      forgiven: num(),
      forgivenessLeft: num(),
      recorded: str(['late_cancel', 'no_show_forfeit', 'forgiven'], true),
    },
  },
});

/** Which facts each decision is given. */
export const decisionFacts: Readonly<Record<Decision, readonly string[]>> = table({
  eligibility: [
    'item',
    'plan',
    'purchase',
    'session',
    'reservation',
    'client',
    'channel',
    'settings',
    'price',
    'sessionStarted',
    'sessionEnded',
    'hoursUntilStart',
    'purchaseExpiredAtSession',
  ],
  assignment: ['item', 'session', 'reservation', 'client', 'channel', 'settings', 'price', 'hoursUntilStart'],
  allocation: ['ticket', 'client', 'settings'],
  usage: [
    'trigger',
    'item',
    'plan',
    'purchase',
    'session',
    'reservation',
    'ticket',
    'client',
    'channel',
    'settings',
    'price',
    'sessionStarted',
    'sessionEnded',
    'hoursUntilStart',
    'penalty',
  ],
});

export const eventTypes: Readonly<Record<Decision, readonly string[]>> = table({
  eligibility: ['allow', 'deny'],
  assignment: ['order'],
  allocation: ['order'],
  usage: ['hold', 'use', 'release', 'keep', 'forfeit', 'forgive'],
});

export const orderKeys: Record<'assignment' | 'allocation', readonly string[]> = {
  assignment: ['purchasedAt', 'expiresAt', 'priority', 'remaining'],
  allocation: ['price', 'startsAt', 'line'],
};

/** What a decision answers when no rule matches (SPEC §3). */
export const defaultEvents: Record<Decision, { type: string; params: Record<string, unknown> }> = {
  eligibility: { type: 'allow', params: {} },
  assignment: { type: 'order', params: { by: [{ key: 'purchasedAt', direction: 'asc' }] } },
  allocation: { type: 'order', params: { by: [{ key: 'line', direction: 'asc' }] } },
  usage: { type: 'keep', params: {} },
};

const t0 = Date.UTC(2026, 2, 2, 15);
const neutral: Record<string, unknown> = {
  item: { id: 'item', kind: 'class', price: 2500, itemType: null, bucketType: 'standard' },
  plan: {
    id: 'plan',
    kind: 'package',
    credits: 10,
    unlimited: false,
    price: 20000,
    daysToExpire: 0,
    oneDay: false,
    bucketType: null,
    itemType: null,
    priority: 100,
  },
  purchase: {
    id: 'purchase',
    status: 'active',
    total: 10,
    remaining: 10,
    held: 0,
    used: 0,
    purchasedAt: t0 - 86_400_000,
    expiresAt: null,
    locationId: 'loc',
    source: 'pos',
    priority: 100,
    capUsed: null,
    capRemaining: null,
    frozen: false,
    frozenDays: 0,
  },
  session: {
    id: 'session',
    startsAt: t0 + 86_400_000,
    endsAt: t0 + 90_000_000,
    price: null,
    units: 1,
    locationId: 'loc',
  },
  reservation: {
    id: 'reservation',
    status: 'booked',
    channel: 'in_store',
    creditState: 'assigned',
    units: 1,
    manualPurchase: false,
    checkedOutManually: false,
  },
  ticket: null,
  client: { id: 'client' },
  settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
  trigger: 'booked',
  channel: 'in_store',
  price: 2500,
  sessionStarted: false,
  sessionEnded: false,
  hoursUntilStart: 24,
  purchaseExpiredAtSession: false,
  penalty: {
    window: null,
    outcome: 'keep',
    fee: 0,
    excludedPlan: false,
    forgiven: 0,
    forgivenessLeft: 0,
    recorded: null,
  },
};

/** A neutral, complete fact set for a decision: rule-set tests give only what differs. */
export function defaultFacts(decision: Decision): Record<string, unknown> {
  return Object.fromEntries(decisionFacts[decision].map((f) => [f, structuredClone(neutral[f])]));
}

/** Deep-merges partial test facts over the defaults (objects merge, anything else replaces). */
export function withDefaults(decision: Decision, partial: Record<string, unknown>): Record<string, unknown> {
  const facts = defaultFacts(decision);
  for (const [key, value] of Object.entries(partial)) {
    const base = Object.hasOwn(facts, key) ? facts[key] : undefined;
    // Defined, not assigned: a key named `__proto__` stays a fact, never a prototype.
    Object.defineProperty(facts, key, {
      value:
        value && typeof value === 'object' && !Array.isArray(value) && base && typeof base === 'object'
          ? { ...(base as object), ...(value as object) }
          : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return facts;
}

/** The catalogue as a Markdown table, for the README. */
export function catalogueMarkdown(): string {
  const typeText = (t: FieldType) =>
    (t.kind === 'string' && t.values ? t.values.map((v) => `\`${v}\``).join(' \\| ') : t.kind) +
    ('nullable' in t && t.nullable ? ' or null' : '');
  const lines = ['| fact | type / fields | decisions | meaning |', '|---|---|---|---|'];
  for (const [name, spec] of Object.entries(factCatalogue)) {
    const used = (Object.keys(decisionFacts) as Decision[])
      .filter((d) => decisionFacts[d].includes(name))
      .join(', ');
    const shape = spec.fields
      ? Object.entries(spec.fields)
          .map(([f, t]) => `\`${f}\`: ${typeText(t)}`)
          .join('; ')
      : typeText(spec.type as FieldType);
    lines.push(
      `| \`${name}\` | ${shape}${spec.nullable ? ' (the fact may be null)' : ''} | ${used} | ${spec.description} |`,
    );
  }
  return lines.join('\n');
}
