import { operatorTable } from './operators.ts';
import { parsePath } from './path.ts';
import type { Condition, LeafCondition } from './ruleset-schema.ts';

/**
 * Compiles one decision's rules, already in evaluation order, into a single
 * JavaScript function that returns the index of the first rule that matches (or
 * -1). Generated code is how json-rules-engine's semantics run at the speed of a
 * hand-written function. Only validated identifiers (fact names and dot-path
 * segments, checked against the catalogue at save) reach the source text; every
 * rule value is passed in as a constant, never spliced into code.
 */
export type RuleIndexFn = (facts: Record<string, unknown>) => number;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

// json-rules-engine's numeric check, Number.parseFloat(v).toString() !== 'NaN'.
const numberLike = (v: unknown) =>
  typeof v === 'number' ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== 'NaN';

export function generateDecision(conditions: Condition[]): RuleIndexFn {
  const constants: unknown[] = [];
  const constant = (value: unknown) => {
    constants.push(value);
    return `k[${constants.length - 1}]`;
  };
  let temp = 0;

  // A fact's value at a path, as json-rules-engine reads it: a non-object ignores the path.
  const read = (fact: string, path: string | undefined): string => {
    if (!identifier.test(fact)) throw new Error(`invalid fact name '${fact}'`);
    const parts = path ? parsePath(path) : [];
    if (!parts) throw new Error(`invalid path '${path}'`);
    let expr = `f.${fact}`;
    for (const part of parts) {
      const v = `t${temp++}`;
      // Catalogue fields are never Object.prototype names, so a plain read is exact.
      expr = `((${v} = ${expr}) !== null && typeof ${v} === 'object' ? ${v}.${part} : ${v})`;
      if (parts.length > 1) throw new Error('nested paths are not in the catalogue');
    }
    return expr;
  };

  const leaf = (c: LeafCondition): string => {
    if (!(c.operator in operatorTable)) throw new Error(`unknown operator '${c.operator}'`);
    const isRef =
      c.value !== null &&
      typeof c.value === 'object' &&
      !Array.isArray(c.value) &&
      Object.hasOwn(c.value, 'fact');
    const ref = c.value as { fact: string; path?: string };
    const right = isRef ? read(ref.fact, ref.path) : constant(c.value);
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
    if ('all' in c) return c.all.length === 0 ? 'true' : `(${c.all.map(expression).join(' && ')})`;
    if ('any' in c) return c.any.length === 0 ? 'true' : `(${c.any.map(expression).join(' || ')})`;
    if ('not' in c) return `!${expression(c.not)}`;
    if ('condition' in c) throw new Error('shared condition references are not supported');
    return leaf(c);
  };

  const body = conditions.map((c, i) => `if (${expression(c)}) return ${i};`).join('\n');
  const temps = Array.from({ length: temp }, (_, i) => `t${i}`).join(', ');
  const source = `${temps ? `let ${temps};\n` : ''}${body}\nreturn -1;`;
  // Generated from validated rules only; rule values are passed as constants.
  const factory = new Function('k', 'n', `return function firstMatchingRule(f) {\n${source}\n};`) as (
    k: unknown[],
    n: typeof numberLike,
  ) => RuleIndexFn;
  return factory(constants, numberLike);
}
