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
  // Pointers are built only for a fault: each entry remembers its parent and key.
  type Entry = { value: unknown; parent: Entry | null; key: string | number; depth: number };
  const pointer = (entry: Entry): string => {
    const keys: string[] = [];
    for (let e: Entry | null = entry; e?.parent; e = e.parent) keys.push(segment(e.key));
    return keys
      .reverse()
      .map((k) => `/${k}`)
      .join('');
  };
  const faults: Fault[] = [];
  const badText = (s: string) => s.includes('\u0000') || loneSurrogate.test(s);
  let size = 0;
  const stack: Entry[] = [{ value: input, parent: null, key: '', depth: 0 }];
  while (stack.length > 0 && faults.length < 20) {
    const entry = stack.pop() as Entry;
    const { value, depth } = entry;
    if (typeof value === 'string') {
      size += value.length + 3;
      if (badText(value))
        faults.push({ path: pointer(entry), message: 'must be well-formed text without the NUL character' });
    } else if (typeof value === 'number') {
      size += 8;
      if (!Number.isFinite(value)) faults.push({ path: pointer(entry), message: 'must be a finite number' });
    } else if (value !== null && typeof value === 'object') {
      if (depth >= limits.jsonDepth)
        return [{ path: pointer(entry), message: `nests deeper than ${limits.jsonDepth} levels` }];
      size += 2;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--)
          stack.push({ value: value[i], parent: entry, key: i, depth: depth + 1 });
      } else {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i];
          const child = {
            value: (value as Record<string, unknown>)[key],
            parent: entry,
            key,
            depth: depth + 1,
          };
          size += key.length + 4;
          if (badText(key))
            faults.push({
              path: pointer(child),
              message: 'must be well-formed text without the NUL character',
            });
          stack.push(child);
        }
      }
    } else size += 5;
    if (size > limits.size)
      return [{ path: '', message: `is larger than ${limits.size} characters of JSON` }];
  }
  return faults;
}
