/**
 * Plain words generated from a rule set and from a decision's explanation, for
 * people who have never seen the JSON format. Everything here reads the rules
 * themselves; nothing is written per preset.
 */
import type { Condition, Rule, Ruleset } from '../../src/policy/ruleset-schema.ts';
import type { Counts, Explanation, UsageStep } from './shapes.ts';

const triggerWords: Record<string, string> = {
  booked: 'a booking is made',
  checked_in: 'the client checks in',
  no_show: 'the client is marked a no-show',
  canceled: 'the booking is canceled',
  ticket_generated: 'a ticket is generated for it',
  ticket_saved: 'its ticket is saved',
  ticket_closed: 'its ticket is closed',
  ticket_voided: 'its ticket is voided',
  ticket_refunded: 'its ticket is refunded',
  session_started: "the session's start time passes",
  session_ended: 'the session ends',
  session_canceled: 'the studio cancels the session',
};

const statusWords: Record<string, string> = {
  booked: 'still booked',
  checked_in: 'checked in',
  no_show: 'a no-show',
  canceled: 'canceled',
};

const stateWords: Record<string, string> = {
  none: 'no credit',
  assigned: 'assigned (balance untouched)',
  held: 'held',
  used: 'used',
  released: 'given back',
};

const orderWords: Record<string, [string, string]> = {
  purchasedAt: ['oldest purchase first', 'most recent purchase first'],
  expiresAt: ['soonest to expire first', 'latest to expire first'],
  priority: ['lowest plan priority first', 'highest plan priority first'],
  remaining: ['fewest credits left first', 'most credits left first'],
  price: ['cheapest line first', 'dearest line first'],
  startsAt: ['earliest session first', 'latest session first'],
  line: ["in the ticket's line order", 'in reverse line order'],
};

const operatorWords: Record<string, string> = {
  equal: 'is',
  notEqual: 'is not',
  in: 'is',
  notIn: 'is neither',
  lessThan: 'is less than',
  lessThanInclusive: 'is at most',
  greaterThan: 'is more than',
  greaterThanInclusive: 'is at least',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

const words = (camel: string) =>
  camel
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const list = (items: string[], joiner: 'or' | 'and' | 'nor' = 'or') =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${joiner} ${items[items.length - 1]}`;

const isMoney = (fact: string, path?: string) => fact === 'price' || path === 'price';

function valueText(
  fact: string,
  path: string | undefined,
  value: unknown,
  joiner: 'or' | 'nor' = 'or',
): string {
  const one = (v: unknown): string => {
    // json-rules-engine compares with another fact when the value is {fact, path}.
    if (v && typeof v === 'object' && !Array.isArray(v) && 'fact' in v) {
      const ref = v as { fact: string; path?: string };
      const refPath = ref.path?.replace(/^\$\./, '');
      return refPath ? `the ${ref.fact}'s ${words(refPath)}` : `the ${words(ref.fact)}`;
    }
    if (typeof v === 'number' && isMoney(fact, path)) return money(v);
    if (fact === 'reservation' && path === 'status' && typeof v === 'string') return statusWords[v] ?? v;
    if (typeof v === 'string') return words(v);
    return JSON.stringify(v);
  };
  return Array.isArray(value) ? list(value.map(one), joiner) : one(value);
}

function leafText(c: { fact: string; path?: string; operator: string; value: unknown }): string {
  const path = c.path?.replace(/^\$\./, '');
  const negative = c.operator === 'notEqual' || c.operator === 'notIn';
  if (c.fact === 'trigger' && (c.operator === 'equal' || c.operator === 'in')) {
    const values = Array.isArray(c.value) ? c.value : [c.value];
    return list(values.map((v) => triggerWords[String(v)] ?? String(v)));
  }
  if (typeof c.value === 'boolean' && (c.operator === 'equal' || c.operator === 'notEqual')) {
    const yes = c.value !== negative;
    const subject = path ? `the ${c.fact} is ${words(path)}` : `${words(c.fact)}`;
    if (c.fact === 'sessionStarted')
      return yes ? 'the session has started' : 'the session has not started yet';
    if (c.fact === 'sessionEnded') return yes ? 'the session has ended' : 'the session has not ended yet';
    if (c.fact === 'reservation' && path === 'checkedOutManually')
      return yes
        ? 'the client was checked out on a manual ticket'
        : 'the client was not checked out on a manual ticket';
    if (c.fact === 'settings' && path === 'zeroPriceUsesCredits')
      return yes ? '$0 items use credits' : '$0 items use no credits';
    return yes ? subject : `not (${subject})`;
  }
  if (c.fact === 'channel')
    return `the booking was made ${negative ? 'other than ' : ''}${valueText('channel', undefined, c.value)}`;
  if (c.fact === 'hoursUntilStart')
    return `the session starts in ${operatorWords[c.operator]?.replace('is ', '') ?? c.operator} ${String(c.value)} hours`;
  const subject = path ? `the ${c.fact}'s ${words(path)}` : `the ${words(c.fact)}`;
  return `${subject} ${operatorWords[c.operator] ?? c.operator} ${valueText(c.fact, path, c.value, c.operator === 'notIn' ? 'nor' : 'or')}`;
}

export function conditionText(c: Condition): string {
  if ('all' in c) return c.all.length === 0 ? 'always' : c.all.map(conditionText).join(' and ');
  if ('any' in c) return c.any.length === 0 ? 'never' : `either ${c.any.map(conditionText).join(', or ')}`;
  if ('not' in c) return `not (${conditionText(c.not)})`;
  if ('fact' in c) return leafText(c as { fact: string; path?: string; operator: string; value: unknown });
  return 'a named condition holds';
}

function orderText(by: unknown): string {
  if (!Array.isArray(by) || by.length === 0) return 'in no particular order';
  return by
    .map(
      (b: { key?: string; direction?: string }) =>
        orderWords[b.key ?? '']?.[b.direction === 'desc' ? 1 : 0] ?? `${b.key} ${b.direction}`,
    )
    .join(', then ');
}

function eventText(rule: Pick<Rule, 'decision' | 'event'>): string {
  const { type, params } = rule.event;
  const reason = params?.reason ? ` (${String(params.reason)})` : '';
  if (rule.decision === 'usage') {
    const act: Record<string, string> = {
      hold: 'a credit is held: taken from the balance but not yet used',
      use: 'the credit counts as used',
      release: 'the credit is given back',
      keep: 'the credit is left as it is',
      forfeit:
        'the credit is forfeited (a late cancel or no-show), with the fee recorded when the settings set one',
      forgive: 'the late cancel is forgiven: the credit is given back and counts against the allowance',
    };
    return (act[type] ?? type) + reason;
  }
  if (rule.decision === 'eligibility')
    return type === 'deny' ? `the purchase may not pay${reason}` : 'the purchase may pay';
  if (rule.decision === 'assignment') return `purchases are tried ${orderText(params?.by)}`;
  return `ticket lines get credits ${orderText(params?.by)}`;
}

/** One rule as a sentence: "When the client checks in: the credit counts as used." */
export function ruleText(rule: Rule): string {
  const when = conditionText(rule.conditions);
  const then = eventText(rule);
  return when === 'always' ? `${then[0].toUpperCase()}${then.slice(1)}.` : `When ${when}: ${then}.`;
}

const mentions = (
  c: Condition,
  test: (leaf: { fact: string; path?: string; value: unknown }) => boolean,
): boolean => {
  if ('all' in c) return c.all.some((x) => mentions(x, test));
  if ('any' in c) return c.any.some((x) => mentions(x, test));
  if ('not' in c) return mentions(c.not, test);
  return 'fact' in c && test(c as { fact: string; path?: string; value: unknown });
};
const hasValue = (v: unknown, wanted: string) => (Array.isArray(v) ? v.includes(wanted) : v === wanted);

export interface Section {
  title: string;
  sentences: string[];
}

/** The topics describeRuleset writes, in its order (preset cards give each one a row). */
export const sectionTitles = [
  'Which purchase pays',
  'When a credit is held',
  'When a credit counts as used',
  'When a credit is given back',
  'Late cancels and no-show penalties',
  'No-shows',
  'What is free',
  'Tickets and labels',
];

/** What a rule set does, by topic; within a topic the rules read in the order they are tried. */
export function describeRuleset(ruleset: Ruleset): Section[] {
  const rules = [...ruleset.rules]
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map((x) => x.rule);
  const of = (decision: string, type?: string) =>
    rules.filter((r) => r.decision === decision && (!type || r.event.type === type));
  const assignment = of('assignment');
  const allocation = of('allocation');
  const noShow = rules.filter(
    (r) =>
      r.decision === 'usage' &&
      mentions(
        r.conditions,
        (l) =>
          (l.fact === 'trigger' && hasValue(l.value, 'no_show')) ||
          (l.fact === 'reservation' &&
            l.path?.replace(/^\$\./, '') === 'status' &&
            hasValue(l.value, 'no_show')),
      ),
  );
  const { zeroPriceUsesCredits, unlimitedLabelThreshold } = ruleset.settings;
  return [
    {
      title: 'Which purchase pays',
      sentences: [
        ...(assignment.length
          ? assignment.map(ruleText)
          : ['Purchases are tried oldest purchase first (the default).']),
        ...of('eligibility').map(ruleText),
        'On hold, expired and voided purchases never pay.',
      ],
    },
    { title: 'When a credit is held', sentences: of('usage', 'hold').map(ruleText) },
    { title: 'When a credit counts as used', sentences: of('usage', 'use').map(ruleText) },
    { title: 'When a credit is given back', sentences: of('usage', 'release').map(ruleText) },
    {
      title: 'Late cancels and no-show penalties',
      sentences: [
        ...penaltySettingsText(ruleset.settings),
        ...[...of('usage', 'forgive'), ...of('usage', 'forfeit')].map(ruleText),
      ],
    },
    {
      title: 'No-shows',
      sentences: noShow.length
        ? noShow.map(ruleText)
        : ['No rule mentions no-shows: a no-show leaves the credit as it is.'],
    },
    {
      title: 'What is free',
      sentences: [
        'Items no plan covers use no credit.',
        zeroPriceUsesCredits
          ? 'Items priced $0 use credits like any other item.'
          : 'Items priced $0 never use credits.',
        ...of('usage', 'keep').map(ruleText),
      ],
    },
    {
      title: 'Tickets and labels',
      sentences: [
        ...(allocation.length
          ? allocation.map(ruleText)
          : ["Ticket lines get credits in the ticket's line order (the default)."]),
        `A purchase of more than ${unlimitedLabelThreshold} credits is labelled UNLIMITED.`,
      ],
    },
  ].filter((s) => s.sentences.length > 0);
}

const outcomeWords: Record<string, string> = {
  keep: 'no penalty',
  forfeit: 'the credit is forfeited',
  forfeit_fee: 'the credit is forfeited and a fee recorded',
};

/** The late-cancel and no-show pack's settings in words (none when the rule set has no pack). */
function penaltySettingsText(settings: Ruleset['settings']): string[] {
  const late = settings.lateCancel;
  if (!late) return [];
  const fee = (o: string, f: number) => (o === 'forfeit_fee' ? ` (${f} cents)` : '');
  const out = [
    `A cancel less than ${late.windowHours} hours before the start is late: ${outcomeWords[late.outcome]}${fee(late.outcome, late.fee)}.`,
  ];
  if (settings.noShow)
    out.push(
      `A no-show: ${outcomeWords[settings.noShow.outcome]}${fee(settings.noShow.outcome, settings.noShow.fee)}.`,
    );
  if (settings.forgiveness?.count)
    out.push(
      `The first ${settings.forgiveness.count} late cancels each ${settings.forgiveness.period} are forgiven.`,
    );
  if (settings.excludedPlans?.length)
    out.push(`Never penalized: plans ${settings.excludedPlans.join(', ')}.`);
  return out;
}

/** A reservation's decision, in plain words: who pays and why, then each lifecycle step. */
export function explainText(
  explain: Explanation | null,
  planOf: (purchaseId: string) => string,
  /** Staff chose the purchase by hand (B5): the policy only checked that it may pay. */
  manual = false,
): string[] {
  if (!explain) return ['No decision has been recorded for this reservation.'];
  const out: string[] = [];
  const a = explain.assignment;
  if (a) {
    if (a.chosen && manual) {
      out.push(
        `Paid by ${planOf(a.chosen)}: chosen by staff by hand; the policy allows it to pay for this item.`,
      );
    } else if (a.chosen) {
      const by = a.order.length ? orderText(a.order) : 'oldest purchase first';
      out.push(
        `Paid by ${planOf(a.chosen)}: of the purchases that may pay, it comes first when they are tried ${by}${a.orderRule ? ` (rule '${a.orderRule}')` : ' (the default order)'}.`,
      );
    } else if (a.summary.includes('$0')) {
      out.push('The price is $0 and $0 items use no credits under this policy, so no credit was taken.');
    } else if (a.considered.length === 0) {
      out.push('No purchase of this client covers this item, so no credit was taken.');
    } else {
      out.push('None of the purchases that cover this item may pay for it, so no credit was taken.');
    }
    for (const c of a.considered.filter((v) => !v.eligible)) {
      out.push(`${planOf(c.purchaseId)} could not pay: ${c.reason}${c.rule ? ` (rule '${c.rule}')` : ''}.`);
    }
  }
  for (const step of explain.usage) out.push(stepText(step));
  return out;
}

const pastEvent: Record<string, string> = {
  hold: 'a credit was held',
  use: 'the credit counted as used',
  release: 'the credit was given back',
  keep: 'the credit was left as it was',
  forfeit: 'the credit was forfeited',
  forgive: 'the late cancel was forgiven',
};

function stepText(step: UsageStep): string {
  const why = step.rule ? `rule '${step.rule}'` : 'no rule matched, so the default applied';
  const whenText = new Date(step.at).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  return `${whenText}: when ${triggerWords[step.trigger] ?? step.trigger}, ${pastEvent[step.event] ?? step.event} (${why}). Now: ${stateWords[step.state] ?? step.state}.`;
}

export const creditStateText = (state: string) => stateWords[state] ?? state;

/**
 * The seeds' package icon in words: the paying purchase's credits used and left,
 * e.g. "3 used · 7 left of 10"; an unlimited purchase has no count left.
 */
export const countsText = (c: Counts) =>
  c.remaining === null || c.total === null
    ? `${c.used} used · unlimited`
    : `${c.used} used · ${c.remaining} left of ${c.total}`;
