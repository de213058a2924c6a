import type { TSchema } from 'typebox';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch';
  /** OpenAPI path, e.g. `/v1/purchases/{id}`. */
  path: string;
  summary: string;
  /** Who may call it: public, platform, staff (and admin), or admin only. */
  access: 'public' | 'platform' | 'staff' | 'admin';
  body?: TSchema;
  success?: number;
}

const operations: Operation[] = [];

/**
 * Declares an operation for the OpenAPI document. Resource files call it next to
 * the handler with the same schema object the handler validates with, so the
 * document cannot drift from what is enforced.
 */
export function describeOperation<O extends Operation>(op: O): O {
  operations.push(op);
  return op;
}

const problem = {
  description: 'Problem (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      ...(op.access === 'public' ? { security: [] } : {}),
      'x-punchcard-access': op.access,
      ...(params.length ? { parameters: params } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } }
        : {}),
      responses: {
        [String(op.success ?? 200)]: { description: 'OK' },
        '400': problem,
        '401': problem,
        '403': problem,
        '404': problem,
        '409': problem,
        '422': problem,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'punchcard',
      version: '1.0.0',
      description: 'Which prepaid credit pays for a booking, and when it counts as used.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
