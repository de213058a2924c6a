// biome-ignore-all lint/suspicious/noExplicitAny: the operators take any JSON value, as json-rules-engine does
/**
 * json-rules-engine's built-in operators, reproduced exactly (its
 * engine-default-operators.js): a fact-value check first, then the comparison.
 */
import { table } from './own.ts';

const numberLike = (v: unknown) => Number.parseFloat(v as string).toString() !== 'NaN';
const always = () => true;

type Comparison = (a: any, b: any) => boolean;

/** A table with no prototype: an operator named `toString` or `constructor` is simply unknown. */
export const operatorTable: Readonly<Record<string, { accepts: (v: unknown) => boolean; test: Comparison }>> =
  table({
    equal: { accepts: always, test: (a, b) => a === b },
    notEqual: { accepts: always, test: (a, b) => a !== b },
    in: { accepts: always, test: (a, b) => b.indexOf(a) > -1 },
    notIn: { accepts: always, test: (a, b) => b.indexOf(a) === -1 },
    contains: { accepts: Array.isArray, test: (a, b) => a.indexOf(b) > -1 },
    doesNotContain: { accepts: Array.isArray, test: (a, b) => a.indexOf(b) === -1 },
    lessThan: { accepts: numberLike, test: (a, b) => a < b },
    lessThanInclusive: { accepts: numberLike, test: (a, b) => a <= b },
    greaterThan: { accepts: numberLike, test: (a, b) => a > b },
    greaterThanInclusive: { accepts: numberLike, test: (a, b) => a >= b },
  });

export const numericOperators = new Set([
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
]);
export const listOperators = new Set(['in', 'notIn']);
export const containsOperators = new Set(['contains', 'doesNotContain']);
