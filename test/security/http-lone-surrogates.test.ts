import { beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';
import { addPlan, buy, newStudio } from '../support/fixtures.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

type Schema = Record<string, any>;
const lone = 'a\ud800b';
const message = 'must not contain a lone UTF-16 surrogate (\\ud800–\\udfff without its pair)';
const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * A body with every property the schema names (required or not) and a string at every
 * place one can go, with the pointer of each string. Validity does not matter: the
 * character check runs before any schema.
 */
function skeleton(
  schema: Schema | undefined,
  resolve: (ref: string) => Schema,
  pointer: string,
  strings: string[],
  depth = 0,
): unknown {
  if (!schema || depth > 8) return null;
  if (schema.$ref) return skeleton(resolve(schema.$ref), resolve, pointer, strings, depth + 1);
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options) {
    const withString =
      options.find((o: Schema) => o.type === 'string' || o.properties || o.$ref) ?? options[0];
    return skeleton(withString, resolve, pointer, strings, depth + 1);
  }
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(schema.properties ?? {}))
      out[key] = skeleton(child as Schema, resolve, `${pointer}/${escapeToken(key)}`, strings, depth + 1);
    return out;
  }
  if (schema.type === 'array') return [skeleton(schema.items, resolve, `${pointer}/0`, strings, depth + 1)];
  if (schema.type === 'string' || schema.enum || schema.const !== undefined) {
    strings.push(pointer);
    return 'x';
  }
  if (schema.type === 'integer' || schema.type === 'number') return 1;
  if (schema.type === 'boolean') return true;
  return null;
}

function replaceAt(body: unknown, pointer: string, value: string): unknown {
  const copy = structuredClone(body) as Record<string, any>;
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node = copy;
  for (const token of tokens.slice(0, -1)) node = node[token];
  node[tokens[tokens.length - 1]] = value;
  return copy;
}

describe('a lone UTF-16 surrogate in any string or field name', () => {
  it('fuzz: in every string field of every write route, 422 at its pointer before anything runs', async () => {
    const t = await newStudio();
    const purchase = await buy(t, await addPlan(t, { name: 'Ten', credits: 10 }));
    const doc = (await request('GET', '/openapi.json')).body;
    const resolve = (ref: string) =>
      ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((node: any, key) => node?.[key], doc) as Schema;
    let tried = 0;
    const routesWithStrings = new Set<string>();
    for (const [path, operations] of Object.entries<Record<string, Schema>>(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const url = path.replace(/\{[^}]+\}/g, purchase.id);
        const key = path === '/v1/tenants' ? platformKey : t.admin;
        const strings: string[] = [];
        const body = skeleton(schema, resolve, '', strings);
        // A field name with one, at the top level of every body.
        const named = { ...(body as object), [`n${lone}`]: 1 };
        const cases: [unknown, string][] = [
          ...strings.map((pointer): [unknown, string] => [replaceAt(body, pointer, lone), pointer]),
          [named, `/n${lone}`],
        ];
        for (const [sent, pointer] of cases) {
          const res = await request(method.toUpperCase(), url, { key, body: sent });
          const what = `${method.toUpperCase()} ${path} at ${pointer}`;
          expect(res.status, what).toBe(422);
          expect(res.headers.get('content-type'), what).toBe('application/problem+json');
          expect(res.body.errors, what).toEqual([
            { path: pointer, message: pointer.startsWith(`/n${lone}`) ? `a field name ${message}` : message },
          ]);
          tried++;
        }
        if (strings.length > 0) routesWithStrings.add(`${method} ${path}`);
      }
    }
    // The routes the issue found answering 500, among every other.
    for (const route of [
      'post /v1/purchases',
      'post /v1/purchases/{id}/adjustments',
      'post /v1/purchases/{id}/hold',
      'post /v1/purchases/{id}/expire',
      'post /v1/purchases/{id}/void',
      'put /v1/integrations/{name}',
      'post /v1/clients',
    ])
      expect(routesWithStrings, route).toContain(route);
    expect(tried).toBeGreaterThan(100);
    // Nothing was written: the purchase is as sold.
    expect((await t.as('staff').get(`/v1/purchases/${purchase.id}`)).body).toMatchObject({
      status: 'active',
      remaining: 10,
    });
  }, 120_000);

  it('a surrogate pair (an emoji) is fine; the name is stored and echoed the same', async () => {
    const t = await newStudio();
    const res = await t.as('admin').post('/v1/clients', { id: 'emoji', name: 'Sam \ud83d\ude00' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Sam \ud83d\ude00');
    const lonely = await request('POST', '/v1/clients', {
      key: t.admin,
      raw: '{"id":"lonely","name":"Sam \\udc00"}',
    });
    expect(lonely.status).toBe(422);
    expect(lonely.body.errors).toEqual([{ path: '/name', message }]);
  });
});
