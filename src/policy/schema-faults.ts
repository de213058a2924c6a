import type { ErrorObject } from 'ajv';
import type { Fault } from './fault.ts';

const rootOfConditions = /^\/rules\/\d+\/conditions$/;

/**
 * ajv's errors against the rule-set schema as one fault per place, with messages a
 * rule author can act on. Shared by the server's validation and the console's editor
 * (so it imports nothing of Node).
 */
export function schemaFaults(errors: ErrorObject[] | null | undefined): Fault[] {
  const seen = new Set<string>();
  const out: Fault[] = [];
  for (const e of errors ?? []) {
    // `if` only reports that its `then` failed; the failure itself is reported too.
    if (e.keyword === 'if') continue;
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path += `/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'not') {
      // The only `not` in the schema: the last else of the condition chain.
      message = rootOfConditions.test(path)
        ? 'must be {all: [...]}, {any: [...]} or {not: {...}}: a single condition goes inside one (json-rules-engine refuses a bare condition here)'
        : 'must be a condition: {fact, operator, value, path?}, {all: [...]}, {any: [...]} or {not: {...}}';
    }
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}
