import {
  compileRuleset,
  type Decision,
  decideWithJsonRulesEngine,
  decisionCosts,
  limits,
  loadPreset,
  type Ruleset,
  rulesetHash,
  triggers,
  validateRuleset,
  withDefaults,
} from '../src/policy/index.ts';

/**
 * Decisions per second for preset decisions, three ways in one run: the compiled
 * evaluator production uses, json-rules-engine (a new Engine per evaluation, as it
 * must be), and a hand-written TypeScript function of the same policy (the baseline).
 */
type Facts = Record<string, any>;
type Hand = (f: Facts) => string;

const statuses = ['booked', 'checked_in', 'no_show', 'canceled'];

function usageFacts(n: number): Facts[] {
  return Array.from({ length: n }, (_, i) =>
    withDefaults('usage', {
      trigger: triggers[i % triggers.length],
      channel: i % 3 === 0 ? 'online' : 'in_store',
      reservation: { status: statuses[(i >> 2) % statuses.length], checkedOutManually: i % 7 === 0 },
      item: { kind: i % 5 === 0 ? 'product' : 'class' },
    }),
  );
}

const myTimeUsage: Hand = (f) => {
  const t = f.trigger;
  const status = f.reservation?.status;
  if (t === 'canceled' || t === 'no_show' || t === 'ticket_refunded' || t === 'ticket_voided')
    return 'release';
  if (status === 'no_show' || status === 'canceled') return 'keep';
  if ((t === 'session_started' || t === 'session_ended') && f.reservation?.checkedOutManually === true)
    return 'keep';
  if (t === 'booked') return 'hold';
  if (t === 'ticket_generated' && f.channel === 'in_store' && f.item.kind !== 'product') return 'use';
  if (t === 'ticket_saved' || t === 'ticket_closed' || t === 'session_started' || t === 'session_ended')
    return 'use';
  return 'keep';
};

const gymGoUsage: Hand = (f) => {
  const t = f.trigger;
  if (t === 'canceled' || f.reservation?.status === 'canceled') return 'release';
  if (t === 'ticket_refunded' || t === 'ticket_voided') return 'release';
  if (t === 'checked_in' || t === 'no_show') return 'use';
  if (t === 'session_ended' && f.reservation?.status === 'booked') return 'use';
  if ((t === 'ticket_saved' || t === 'ticket_closed') && f.item.kind === 'product') return 'use';
  return 'keep';
};

const myTimeAssignment: Hand = () => 'order';

interface Case {
  name: string;
  preset: string;
  decision: Decision;
  facts: Facts[];
  hand: Hand;
}

function timeSync(fn: () => void, seconds: number): number {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) fn();
    count += 1000;
  }
  return count / seconds;
}

async function timeAsync(fn: () => Promise<unknown>, seconds: number): Promise<number> {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    count += 1;
  }
  return count / seconds;
}

/**
 * The worst a tenant may save: usage rules costing exactly the budget, each of 100
 * conditions of which all but the last hold, so every comparison is made.
 */
function atTheBudget(): Ruleset {
  const holds = { fact: 'price', operator: 'greaterThanInclusive', value: 0 };
  const fails = { fact: 'trigger', operator: 'equal', value: 'session_ended' };
  const rules = Array.from({ length: 19 }, (_, i) => ({
    name: `long-${i}`,
    decision: 'usage' as const,
    priority: 10,
    conditions: { all: [...Array.from({ length: 99 }, () => holds), fails] },
    event: { type: 'use' },
  }));
  const ids = Array.from({ length: 80 }, (_, i) => `item-${i}`);
  const list = {
    name: 'list',
    decision: 'usage' as const,
    priority: 1,
    conditions: { all: [{ fact: 'item', path: 'id', operator: 'in', value: ids }] },
    event: { type: 'use' },
  };
  const ruleset = {
    id: 'budget',
    name: 'At the budget',
    settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
    rules: [...rules, list],
  } as Ruleset;
  if (decisionCosts(ruleset).usage !== limits.cost || !validateRuleset(ruleset).ok)
    throw new Error('the budget rule set must be valid and cost exactly the budget');
  return ruleset;
}

export async function benchPolicy(seconds = 1) {
  const facts = usageFacts(512);
  const cases: Case[] = [
    { name: 'mytime usage', preset: 'mytime', decision: 'usage', facts, hand: myTimeUsage },
    {
      name: 'mytime assignment',
      preset: 'mytime',
      decision: 'assignment',
      facts: [withDefaults('assignment', {})],
      hand: myTimeAssignment,
    },
    { name: 'gymgo usage', preset: 'gymgo', decision: 'usage', facts, hand: gymGoUsage },
    {
      name: `usage at the cost budget (${limits.cost}, nothing matches)`,
      preset: 'budget',
      decision: 'usage',
      facts: [withDefaults('usage', { trigger: 'booked' })],
      hand: () => 'keep',
    },
  ];
  const rows = [];
  for (const c of cases) {
    const ruleset: Ruleset = c.preset === 'budget' ? atTheBudget() : loadPreset(c.preset);
    const compiled = compileRuleset(ruleset, rulesetHash(ruleset));
    // The three must agree before their speed means anything.
    for (const f of c.facts) {
      const a = compiled.decide(c.decision, f).type;
      const b = (await decideWithJsonRulesEngine(ruleset, c.decision, f)).type;
      if (a !== b || a !== c.hand(f))
        throw new Error(`${c.name}: compiled ${a}, json-rules-engine ${b}, hand ${c.hand(f)}`);
    }
    let i = 0;
    const next = () => c.facts[i++ % c.facts.length];
    // Steady state: V8 optimizes a generated function after some thousands of calls.
    // Production runs both, so both kinds of call are warmed before either is timed.
    for (let round = 0; round < 3; round++) {
      timeSync(() => compiled.decide(c.decision, next()), 0.2);
      timeSync(() => compiled.explain(c.decision, next()), 0.2);
    }
    const compiledRate = timeSync(() => compiled.decide(c.decision, next()), seconds);
    const explainRate = timeSync(() => compiled.explain(c.decision, next()), seconds);
    const handRate = timeSync(() => c.hand(next()), seconds);
    const jreRate = await timeAsync(() => decideWithJsonRulesEngine(ruleset, c.decision, next()), seconds);
    rows.push({
      decision: c.name,
      compiledPerSecond: Math.round(compiledRate),
      explainPerSecond: Math.round(explainRate),
      microsecondsPerExplain: Number((1e6 / explainRate).toFixed(2)),
      jsonRulesEnginePerSecond: Math.round(jreRate),
      handWrittenPerSecond: Math.round(handRate),
      compiledVsJsonRulesEngine: compiledRate / jreRate,
      compiledVsHandWritten: compiledRate / handRate,
    });
  }
  return rows;
}
