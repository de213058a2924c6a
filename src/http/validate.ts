import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Context } from 'hono';
import type { Static, TSchema } from 'typebox';
import { type FieldError, PunchcardError } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { instantMessage, parseInstant } from './instant.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
// `date-time` is the one instant parser, so what passes the schema is a valid Date.
ajv.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== null });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** ajv's errors as JSON pointers at the offending field, one per fault, anyOf noise folded. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    let path = prefix + error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      path += `/${(error.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      path += `/${escapeToken((error.params as { additionalProperty: string }).additionalProperty)}`;
      message = 'is not a known field';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (error.keyword === 'format' && (error.params as { format: string }).format === 'date-time') {
      message = instantMessage;
    }
    const key = `${path}\u0000${message}`;
    if (!seen.has(key) && error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      seen.add(key);
      out.push({ path, message });
    }
  }
  return out;
}

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Checks a value against a schema; throws a 422 with a pointer per fault. `where` names
 * what was checked, so a bad query parameter is not reported as a bad body.
 */
export function check<S extends TSchema>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' = 'body',
): Static<S> {
  const validate = validatorFor(schema);
  if (!validate(value)) {
    const errors = toFieldErrors(validate.errors);
    const what = where === 'query' ? 'the query string' : 'the request body';
    throw new PunchcardError('invalid', `${what} does not match the schema`, errors);
  }
  return value as Static<S>;
}

/**
 * The request's body, already read and checked by the `jsonBody` middleware (JSON,
 * an object, no duplicate keys, no NUL, bounded depth; `{}` when empty). Reading it
 * marks it as taken: a body no handler reads must be empty (see `refuseUnreadBody`).
 */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const ctx = c as Context<AppEnv>;
  ctx.set('bodyRead', true);
  return ctx.var.body ?? {};
}

export async function readBody<S extends TSchema>(c: Context, schema: S): Promise<Static<S>> {
  return check(schema, await readJson(c));
}
