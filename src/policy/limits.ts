import type { Fault } from './fault.ts';
import { segment } from './own.ts';

/**
 * Bounds that keep a rule set reviewable and its evaluation cheap for every tenant
 * on the machine. `cost` is the worst case of one decision, in comparisons: each
 * rule 1, each condition 1, and an `in`/`notIn` condition 1 per list entry (it may
 * compare against all of them). See README "Limits of a rule set".
 */
export const limits = {
  rules: 500,
  conditionsPerRule: 100,
  /** Nesting of all/any/not inside one rule's conditions. */
  depth: 8,
  /** Entries in one `in`/`notIn` list. */
  listLength: 200,
  tests: 200,
  /** Nesting of any JSON value in the document (conditions, event params, test facts). */
  jsonDepth: 32,
  /** The document as JSON text, in characters. */
  size: 512 * 1024,
  /** Worst-case comparisons one decision may make. */
  cost: 2_000,
  unlimitedLabelThreshold: 1_000_000,
} as const;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The document's nesting, size and scalars, walked without recursion so that no
 * input can overflow the stack: runs before the schema validator, hashing and
 * anything else that recurses. Numbers must be finite (1e400 parses to Infinity,
 * which JSON cannot store), strings well-formed Unicode without NUL (the database
 * cannot store either). Stops at the first bound crossed.
 */
export function documentFaults(input: unknown): Fault[] {
  const faults: Fault[] = [];
  let size = 0;
  const stack: { value: unknown; at: string; depth: number }[] = [{ value: input, at: '', depth: 0 }];
  const text = (s: string, at: string) => {
    size += s.length + 3;
    if (s.includes('\u0000') || loneSurrogate.test(s))
      faults.push({ path: at, message: 'must be well-formed text without the NUL character' });
  };
  while (stack.length > 0 && faults.length < 20) {
    const { value, at, depth } = stack.pop() as { value: unknown; at: string; depth: number };
    if (typeof value === 'string') text(value, at);
    else if (typeof value === 'number') {
      size += 8;
      if (!Number.isFinite(value)) faults.push({ path: at, message: 'must be a finite number' });
    } else if (value !== null && typeof value === 'object') {
      if (depth >= limits.jsonDepth)
        return [{ path: at, message: `nests deeper than ${limits.jsonDepth} levels` }];
      size += 2;
      const children = Array.isArray(value)
        ? value.map((v, i) => ({ value: v, at: `${at}/${i}`, depth: depth + 1 }))
        : Object.keys(value).map((key) => {
            const child = `${at}/${segment(key)}`;
            text(key, child);
            return { value: (value as Record<string, unknown>)[key], at: child, depth: depth + 1 };
          });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    } else size += 5;
    if (size > limits.size)
      return [{ path: '', message: `is larger than ${limits.size} characters of JSON` }];
  }
  return faults;
}
