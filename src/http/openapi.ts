import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TObject, TSchema } from 'typebox';
import { packageRoot } from '../package-root.ts';
import { rulesetComponents } from './openapi-ruleset.ts';

/** Who may call an operation: anyone, the platform key, staff (and admin), or admin only. */
export type Access = 'public' | 'platform' | 'staff' | 'admin';

/** A success answer: its status and one schema per content type it can come in. */
export interface Success {
  status: 200 | 201 | 202;
  description: string;
  content: Record<string, TSchema>;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/v1/purchases/{id}`. */
  path: string;
  /** Stable camelCase name a generated client calls the operation by. */
  operationId: string;
  /** The resource, one tag each. */
  tag: string;
  summary: string;
  access: Access;
  body?: TSchema;
  /** The body may be left out (an empty body reads as `{}`). */
  bodyOptional?: boolean;
  query?: TObject;
  success: Success;
  /**
   * Errors this operation answers beyond those its shape implies (see impliedErrors),
   * e.g. 409 for a taken id or a forbidden transition.
   */
  errors?: number[];
}

const operations: Operation[] = [];

// Version and licence come from package.json (read at run time: it sits outside the
// compiled tree, above both src/ and dist/src/).
const pkg = createRequire(import.meta.url)(join(packageRoot, 'package.json')) as {
  version: string;
  license: string;
};

/**
 * Declares an operation for the OpenAPI document. Resource files call it next to
 * the handler with the same schema objects the handler validates with and the
 * presenters' types come from, so the document cannot drift from what is served.
 */
export function describeOperation<O extends Operation>(op: O): O {
  operations.push(op);
  return op;
}

export const describedOperations = (): readonly Operation[] => operations;

// Schemas that appear in the document as `$ref: #/components/schemas/<name>`. The
// mark is an enumerable symbol: JSON and ajv never see it, TypeBox's modifiers copy it.
const componentOf = Symbol('punchcard.openapi.component');
const definitions = new Map<string, unknown>();
type Marked = { [componentOf]?: string };

/** Names a schema: it becomes a component and every use of it a `$ref`. */
export function component<S extends TSchema>(name: string, schema: S): S {
  (schema as Marked)[componentOf] = name;
  definitions.set(name, schema);
  return schema;
}

/**
 * A stand-in that the document shows as a `$ref` to a component defined elsewhere:
 * a request's rule set is checked in full by validateRuleset, not by the body schema.
 */
export function documentedAs<S extends TSchema>(name: string, schema: S): S {
  (schema as Marked)[componentOf] = name;
  return schema;
}

/** Plain JSON of a schema, with every named schema below the root turned into a `$ref`. */
function toDocument(schema: unknown, root = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toDocument(s));
  if (schema === null || typeof schema !== 'object') return schema;
  const name = (schema as Marked)[componentOf];
  if (name && !root) return { $ref: `#/components/schemas/${name}` };
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) =>
      // TypeBox writes Record<string, X> as patternProperties `^.*$`: the same, as generators read it.
      k === 'patternProperties' && Object.keys(v).join() === anyKey
        ? ['additionalProperties', toDocument(v[anyKey])]
        : [k, toDocument(v)],
    ),
  );
}
const anyKey = '^.*$';

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const errorDescriptions: Record<number, string> = {
  400: 'Malformed: the body is not JSON (or names a field twice), or the URL holds a NUL',
  401: 'No key, or an unknown one',
  403: 'The key may not do this',
  404: 'Nothing with that id (in this tenant)',
  409: 'Conflicts with the current state, a taken id, or an Idempotency-Key used with another request',
  413: 'The body is larger than the limit',
  415: 'The body is not application/json',
  422: 'The request breaks the schema or names something the tenant does not have',
  503: 'The database was busy with a conflicting change; retry after Retry-After seconds',
};

const writes = new Set(['post', 'put', 'patch', 'delete']);

/** The errors an operation's shape makes possible: its URL, auth, its body, its path, its key, its transaction. */
function impliedErrors(op: Operation): number[] {
  // Every route refuses a URL holding a NUL (400).
  const codes = [...(op.errors ?? []), 400];
  if (op.body) codes.push(422);
  if (op.query) codes.push(422);
  if (op.path.includes('{')) codes.push(404);
  if (op.access !== 'public') {
    // Every authenticated route runs in a transaction (503 on a lock conflict).
    codes.push(401, 403, 503);
    // Every write reads a strict JSON body, even an action that takes none (400, 413,
    // 415, 422 for fields it does not know), and may carry an Idempotency-Key (409, 422).
    if (writes.has(op.method)) codes.push(409, 413, 415, 422);
  }
  return [...new Set(codes)].sort((a, b) => a - b);
}

function errorResponse(status: number) {
  return {
    description: errorDescriptions[status] ?? 'Problem',
    ...(status === 503 ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
    content: problemContent,
  };
}

function operationObject(op: Operation) {
  const parameters: unknown[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description: 'The id',
    schema: { type: 'string' },
  }));
  for (const [name, schema] of Object.entries(op.query?.properties ?? {})) {
    const { description, ...rest } = toDocument(schema) as { description?: string };
    parameters.push({
      name,
      in: 'query',
      required: op.query?.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    });
  }
  const idempotent = op.access !== 'public' && writes.has(op.method);
  if (idempotent) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  const success = {
    description: op.success.description,
    ...(idempotent ? { headers: { 'Idempotent-Replayed': { $ref: '#/components/headers/Replayed' } } } : {}),
    content: Object.fromEntries(
      Object.entries(op.success.content).map(([type, schema]) => [type, { schema: toDocument(schema) }]),
    ),
  };
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.access === 'public' ? { security: [] } : {}),
    'x-punchcard-access': op.access,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.bodyOptional,
            content: { 'application/json': { schema: toDocument(op.body) } },
          },
        }
      : {}),
    responses: {
      [String(op.success.status)]: success,
      ...Object.fromEntries(impliedErrors(op).map((s) => [String(s), errorResponse(s)])),
    },
  };
}

const tagDescriptions: Record<string, string> = {
  Service: 'Health, this document and its reference page',
  Presets: 'The policy presets a tenant can start from',
  Tenants: 'Businesses using punchcard (platform key)',
  Locations: 'Where sessions take place (time zone of validity)',
  Items: 'What is sold and booked: classes, appointments, events, products',
  Plans: 'Packages, memberships and session buckets that grant credits',
  Clients: 'The people who buy and book',
  Purchases: 'A plan sold to a client: its credits and ledger',
  Sessions: 'Scheduled occurrences of an item',
  Reservations: 'A client booked into a session, and the credit paying for it',
  Tickets: 'Point-of-sale tickets whose lines credits pay for',
  Sweeps: 'The after-session sweep',
  Reports: 'Credit uses and balances',
  Policy: "The tenant's rule set: versions, settings, simulation",
  Integrations: 'Outgoing integrations (webhooks, Club OS): settings and deliveries',
};

/**
 * The OpenAPI 3.1 document. `prefix` is where the app is mounted (the request path
 * of /openapi.json less its own route), so `servers` points at the right place.
 */
export function openApiDocument(prefix = ''): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path][op.method] = operationObject(op);
  }
  const used = [...new Set(operations.map((op) => op.tag))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'punchcard',
      version: pkg.version,
      description: 'Which prepaid credit pays for a booking, and when it counts as used.',
      license: { name: pkg.license, identifier: pkg.license },
    },
    servers: [{ url: prefix || '/', description: 'This service' }],
    tags: used.map((name) => ({ name, description: tagDescriptions[name] ?? name })),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The platform key, or a tenant admin or staff key',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A retry with the same key and body replays the stored answer and writes nothing (scoped to the tenant)',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
      },
      headers: {
        RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
        Replayed: {
          description: '`true` when this is the stored answer to an earlier request with the same key',
          schema: { type: 'string', enum: ['true'] },
        },
      },
      schemas: {
        ...Object.fromEntries(
          [...definitions].sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => [n, toDocument(s, true)]),
        ),
        ...(toDocument(rulesetComponents()) as object),
      },
    },
  };
}

/** A 200 (or 201) answer of one JSON schema. */
export const ok = (schema: TSchema, description = 'OK'): Success => ({
  status: 200,
  description,
  content: { 'application/json': schema },
});
export const created = (schema: TSchema, description = 'Created'): Success => ({
  status: 201,
  description,
  content: { 'application/json': schema },
});
