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
  let temp = 0;
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

  // A fact's value at a path: a fact that is not an object ignores the path; below
  // it, each segment must be an own property or the value is undefined.
  const read = (name: string, path: string | undefined): string => {
    const parts = path === undefined ? [] : parsePath(path);
    if (!parts) throw new Error(`invalid path '${path}'`);
    let expr = fact(name);
    parts.forEach((part, i) => {
      const t = `t${temp++}`;
      const key = literal(part);
      const own = inherited.has(part) ? `h(${t}, ${key}) ? ${t}[${key}] : undefined` : `${t}[${key}]`;
      expr =
        i === 0
          ? `((${t} = ${expr}) !== null && typeof ${t} === 'object' ? (${own}) : ${t})`
          : `((${t} = ${expr}) !== null && typeof ${t} === 'object' ? ${own} : undefined)`;
    });
    return expr;
  };

  const isFactReference = (v: unknown): v is { fact: string; path?: string } =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && has(v, 'fact');

  const leaf = (c: LeafCondition): string => {
    if (typeof c.operator !== 'string' || !has(operatorTable, c.operator))
      throw new Error(`unknown operator '${String(c.operator)}'`);
    const right = isFactReference(c.value) ? read(c.value.fact, c.value.path) : constant(c.value);
    const a = `t${temp++}`;
    const left = `(${a} = ${read(c.fact, c.path)})`;
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
        return `(Array.isArray(${left}) && ${a}.indexOf(${right}) > -1)`;
      case 'doesNotContain':
        return `(Array.isArray(${left}) && ${a}.indexOf(${right}) === -1)`;
      case 'lessThan':
        return `(n(${left}) && ${a} < ${right})`;
      case 'lessThanInclusive':
        return `(n(${left}) && ${a} <= ${right})`;
      case 'greaterThan':
        return `(n(${left}) && ${a} > ${right})`;
      default:
        return `(n(${left}) && ${a} >= ${right})`;
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

  const body = rules
    .map(
      (rule, i) =>
        `if (${traced(rule.conditions, rule.at, i)}) { if (r === null) return ${i}; r.matched[${i}] = true; }`,
    )
    .join('\n');
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
  const temps = Array.from({ length: temp }, (_, i) => `t${i}`).join(', ');
  const source = `${reads}\n${temps ? `let ${temps};\n` : ''}${body}\nreturn -1;`;
  const factory = new Function(
    'k',
    'n',
    'h',
    'u',
    `return function firstMatchingRule(f, r) {\n${source}\n};`,
  ) as (k: unknown[], n: typeof numberLike, h: typeof has, u: typeof undefinedFact) => RuleIndexFn;
  return factory(constants, numberLike, has, undefinedFact);
}
