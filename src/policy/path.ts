/**
 * Plain dot paths into a fact (`plan.kind`); a leading `$.` means the same. Anything
 * else JSONPath can say (filters, wildcards, `..`, brackets) is refused: JSONPath is
 * slow, has had CVEs, and a policy never needs it.
 */
const segment = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parsePath(path: string): string[] | null {
  const plain = path.startsWith('$.') ? path.slice(2) : path;
  const parts = plain.split('.');
  return parts.every((p) => segment.test(p)) ? parts : null;
}

/** json-rules-engine's pathResolver contract: the value at the path, or undefined. */
export function resolvePath(value: unknown, parts: string[]): unknown {
  let current: unknown = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
