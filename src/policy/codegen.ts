import { operatorTable } from './operators.ts';
import { has } from './own.ts';
import { parsePath } from './path.ts';
import type { Condition, LeafCondition } from './ruleset-schema.ts';

/**
 * Compiles one decision's rules, already in evaluation order, into a single
 * JavaScript function: json-rules-engine's semantics at the speed of a
 * hand-written function. The same function decides and explains, so the two
 * cannot disagree: without a trace it returns the index of the first rule that
 * matches (or -1); with one it evaluates every rule and records, per rule, whether
 * it matched or the pointer of the first condition that failed.
 *
 * Nothing from a rule set is spliced into the source as code: fact names and path
 * segments appear only as JSON string literals, and rule values are passed in as
 * constants. Reads look at own properties only, as json-rules-engine does (its
 * facts live in a Map; its path resolver here is `resolvePath`), so a name like
 * `constructor` or `toString` never reaches a prototype.
 */
export interface Trace {
  /** matched[i]: rule i (in evaluation order) holds. */
  matched: boolean[];
  /** failedAt[i]: for a rule that does not hold, the pointer of the first condition that failed. */
  failedAt: (string | undefined)[];
}
export type RuleIndexFn = (facts: Record<string, unknown>, trace: Trace | null) => number;

export interface RuleSource {
  conditions: Condition;
  /** The JSON pointer of the rule's conditions, for the trace. */
  at: string;
}

// json-rules-engine's numeric check, Number.parseFloat(v).toString() !== 'NaN'.
const numberLike = (v: unknown) =>
  typeof v === 'number' ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== 'NaN';
// json-rules-engine with allowUndefinedFacts: false.
const undefinedFact = (name: string): never => {
  throw new Error(`Undefined fact: ${name}`);
};

const literal = (name: string) => JSON.stringify(name);
/** Comparisons per generated chunk function (see below). */
const chunkBudget = 64;
const ruleCost = (c: Condition): number => {
  if (has(c, 'all')) return (c as { all: Condition[] }).all.reduce((n, x) => n + ruleCost(x), 1);
  if (has(c, 'any')) return (c as { any: Condition[] }).any.reduce((n, x) => n + ruleCost(x), 1);
  if (has(c, 'not')) return 1 + ruleCost((c as { not: Condition }).not);
  return 1;
};

// Facts are plain data: objects and arrays built by the service or parsed from
// JSON. On those a name no prototype of theirs holds is own or absent, so a plain
// read is exact and costs no own-property check; any other name gets the check.
const inherited = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
]);

export function generateDecision(rules: RuleSource[]): RuleIndexFn {
  const constants: unknown[] = [];
  const constant = (value: unknown) => {
    constants.push(value);
    return `k[${constants.length - 1}]`;
  };
  const facts = new Map<string, string>();

  // A fact is read once, up front: json-rules-engine evaluates every condition of
  // every rule, so a missing fact anywhere is an error whichever rule decides.
  const fact = (name: string) => {
    let variable = facts.get(name);
    if (!variable) {
      variable = `v${facts.size}`;
      facts.set(name, variable);
    }
    return variable;
  };

  // A fact's value at a path, read once per evaluation: a fact that is not an object
  // ignores the path; below it, each segment must be an own property or the value is
  // undefined. Reading is side-effect free, so reading up front changes no result.
  const paths = new Map<string, { variable: string; expr: string }>();
  const read = (name: string, path: string | undefined): string => {
    if (path === undefined) return fact(name);
    const parts = parsePath(path);
    if (!parts) throw new Error(`invalid path '${path}'`);
    const id = JSON.stringify([name, parts]);
    const known = paths.get(id);
    if (known) return known.variable;
    let expr = fact(name);
    parts.forEach((part, i) => {
      const key = literal(part);
      const own = inherited.has(part) ? `h(t, ${key}) ? t[${key}] : undefined` : `t[${key}]`;
      expr =
        i === 0
          ? `((t = ${expr}) !== null && typeof t === 'object' ? (${own}) : t)`
          : `((t = ${expr}) !== null && typeof t === 'object' ? ${own} : undefined)`;
    });
    const variable = `p${paths.size}`;
    paths.set(id, { variable, expr });
    return variable;
  };

  const isFactReference = (v: unknown): v is { fact: string; path?: string } =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && has(v, 'fact');

  // json-rules-engine's numeric check, with the common case (a number) inline.
  const numeric = (v: string) => `(typeof ${v} === 'number' ? ${v} === ${v} : n(${v}))`;

  const leaf = (c: LeafCondition): string => {
    if (typeof c.operator !== 'string' || !has(operatorTable, c.operator))
      throw new Error(`unknown operator '${String(c.operator)}'`);
    const right = isFactReference(c.value) ? read(c.value.fact, c.value.path) : constant(c.value);
    const left = read(c.fact, c.path);
    switch (c.operator) {
      case 'equal':
        return `(${left} === ${right})`;
      case 'notEqual':
        return `(${left} !== ${right})`;
      case 'in':
        return `(${right}.indexOf(${left}) > -1)`;
      case 'notIn':
        return `(${right}.indexOf(${left}) === -1)`;
      case 'contains':
        return `(Array.isArray(${left}) && ${left}.indexOf(${right}) > -1)`;
      case 'doesNotContain':
        return `(Array.isArray(${left}) && ${left}.indexOf(${right}) === -1)`;
      case 'lessThan':
        return `(${numeric(left)} && ${left} < ${right})`;
      case 'lessThanInclusive':
        return `(${numeric(left)} && ${left} <= ${right})`;
      case 'greaterThan':
        return `(${numeric(left)} && ${left} > ${right})`;
      default:
        return `(${numeric(left)} && ${left} >= ${right})`;
    }
  };

  const expression = (c: Condition): string => {
    if (has(c, 'all')) {
      const list = (c as { all: Condition[] }).all;
      return list.length === 0 ? 'true' : `(${list.map(expression).join(' && ')})`;
    }
    if (has(c, 'any')) {
      const list = (c as { any: Condition[] }).any;
      return list.length === 0 ? 'true' : `(${list.map(expression).join(' || ')})`;
    }
    if (has(c, 'not')) return `!${expression((c as { not: Condition }).not)}`;
    if (has(c, 'condition')) throw new Error('shared condition references are not supported');
    return leaf(c as LeafCondition);
  };

  // The conditions an `all` chain runs through in turn; the first that fails is
  // the one a trace names. Recording costs a null check on the failing path only.
  const traced = (c: Condition, at: string, rule: number): string => {
    if (has(c, 'all')) {
      const list = (c as { all: Condition[] }).all;
      if (list.length === 0) return 'true';
      return `(${list.map((x, i) => traced(x, `${at}/all/${i}`, rule)).join(' && ')})`;
    }
    const pointer = constant(has(c, 'any') ? `${at}/any` : at);
    return `(${expression(c)} || (r !== null && ((r.failedAt[${rule}] = ${pointer}), false)))`;
  };

  // Rules go into chunk functions of bounded size: V8 optimizes a small function
  // and leaves a huge one to the interpreter, which at the cost budget is ~50× slower.
  const chunks: string[][] = [[]];
  let chunkCost = 0;
  rules.forEach((rule, i) => {
    if (chunkCost >= chunkBudget) {
      chunks.push([]);
      chunkCost = 0;
    }
    chunkCost += ruleCost(rule.conditions);
    chunks[chunks.length - 1].push(
      `if (${traced(rule.conditions, rule.at, i)}) { if (r === null) return ${i}; r.matched[${i}] = true; }`,
    );
  });
  // One branch in the common case; only a fact that reads as undefined is looked at again.
  const plain = [...facts].filter(([name]) => !inherited.has(name));
  const reads = [
    ...[...facts].map(([name, v]) => {
      const key = literal(name);
      return inherited.has(name)
        ? `const ${v} = h(f, ${key}) ? f[${key}] : u(${key});`
        : `const ${v} = f[${key}];`;
    }),
    plain.length === 0
      ? ''
      : `if (${plain.map(([, v]) => `${v} === undefined`).join(' || ')}) {\n${plain
          .map(([name, v]) => `if (${v} === undefined && !h(f, ${literal(name)})) u(${literal(name)});`)
          .join('\n')}\n}`,
  ].join('\n');
  const pathReads = [...paths.values()].map((p) => `const ${p.variable} = ${p.expr};`).join('\n');
  const values = [...facts.values(), ...[...paths.values()].map((p) => p.variable), 'r'].join(', ');
  const chunkFunctions = chunks
    .map((body, c) => `function chunk${c}(${values}) {\n${body.join('\n')}\nreturn -1;\n}`)
    .join('\n');
  const calls = chunks.map((_, c) => `if ((i = chunk${c}(${values})) >= 0) return i;`).join('\n');
  const source = `let t, i;\n${reads}\n${pathReads}\n${calls}\nreturn -1;`;
  const factory = new Function(
    'k',
    'n',
    'h',
    'u',
    `${chunkFunctions}\nreturn function firstMatchingRule(f, r) {\n${source}\n};`,
  ) as (k: unknown[], n: typeof numberLike, h: typeof has, u: typeof undefinedFact) => RuleIndexFn;
  return factory(constants, numberLike, has, undefinedFact);
}
