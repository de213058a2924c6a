import fc from 'fast-check';

type Schema = Record<string, unknown>;

/** Values a schema-shaped body draws its ids and instants from, so some requests succeed. */
export interface Vocabulary {
  ids: string[];
}

const awkwardStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '💥',
  '../../etc',
  "'; drop table clients; --",
  'x'.repeat(300),
];
const awkwardInstants = [
  '2026-03-03T10:00:00Z',
  '2026-03-03T10:00:00-05:00',
  '2016-12-31T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30T10:00:00Z',
  '2026-03-03T10:00:00',
  '1900-01-01T00:00:00Z',
];
const awkwardIntegers = [-1, 0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e10, 1e10 + 1, -(2 ** 31) - 1, 1.5, 1e308];

/**
 * Bodies shaped like a JSON Schema (the OpenAPI document's request bodies), with
 * edges and junk mixed in at every level: bounds ±1, NUL, unknown fields, missing
 * required ones, wrong types.
 */
export function shapedBy(
  schema: unknown,
  resolve: (ref: string) => unknown,
  words: Vocabulary,
  depth = 0,
): fc.Arbitrary<unknown> {
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom<unknown>(null, [], {}, 'x', 0, true));
  if (!schema || typeof schema !== 'object' || depth > 6) return junk;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') return shapedBy(resolve(s.$ref), resolve, words, depth + 1);
  const shaped = shapedExactly(s, resolve, words, depth);
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: junk });
}

function shapedExactly(
  s: Schema,
  resolve: (ref: string) => unknown,
  words: Vocabulary,
  depth: number,
): fc.Arbitrary<unknown> {
  const options = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (options) return fc.oneof(...options.map((o) => shapedBy(o, resolve, words, depth + 1)));
  if (Array.isArray(s.enum))
    return fc.oneof(fc.constantFrom(...(s.enum as unknown[])), fc.string({ maxLength: 8 }));
  if ('const' in s) return fc.constant(s.const);
  switch (s.type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required ?? []) as string[]);
      const fields = Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, shapedBy(v, resolve, words, depth + 1)]),
      );
      const record = fc.record(fields, { requiredKeys: Object.keys(fields).filter((k) => required.has(k)) });
      const dropped = fc.record(fields, { requiredKeys: [] });
      const extra = fc.dictionary(
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'x\u0000')),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 2 },
      );
      return fc.oneof(
        { weight: 5, arbitrary: record },
        { weight: 1, arbitrary: dropped },
        { weight: 1, arbitrary: fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a })) },
      );
    }
    case 'array': {
      const item = shapedBy(s.items, resolve, words, depth + 1);
      return fc.array(item, {
        maxLength: (s.maxItems as number) > 3 ? 3 : ((s.maxItems as number) ?? 3) + 1,
      });
    }
    case 'string':
      if (s.format === 'date-time')
        return fc.oneof(
          fc.constantFrom(...awkwardInstants),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        );
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...words.ids) },
        { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom(...awkwardStrings) },
      );
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1000;
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) }) },
        { weight: 2, arbitrary: fc.constantFrom(min - 1, min, max, max + 1, ...awkwardIntegers) },
      );
    }
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom<unknown>('true', 0, null));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
