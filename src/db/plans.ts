import type { Client, Pool, PoolClient } from 'pg';

/**
 * PostgreSQL plans an unnamed statement on every call, and the engine's locking read
 * and commit statement cost more to plan than to run. Naming a statement makes `pg`
 * prepare it once per connection and reuse its plan. Names go to the first few hundred
 * distinct texts: the engine's statements are fixed texts with bound parameters, and
 * the bound keeps an unexpected stream of one-off texts from growing every connection.
 */
const names = new Map<string, string>();
const mostNames = 500;

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < mostNames) {
    name = `punchcard_${names.size}`;
    names.set(text, name);
  }
  return name;
}

/** Has a client send its statements with parameters as named ones. */
export function namePlans(client: PoolClient | Client): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name =
      typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined
        ? nameOf(text)
        : undefined;
    return name ? send({ name, text, values }) : send(text, values, callback);
  }) as PoolClient['query'];
}

/** Every client the pool hands out sends statements with parameters as named ones. */
export function reusePlans(pool: Pool): void {
  const patched = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    namePlans(client);
  });
}
