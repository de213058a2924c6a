import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Context } from 'hono';
import type { Static, TSchema } from 'typebox';
import { type FieldError, PunchcardError } from '../errors.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv, ['date-time']);
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
      path += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not a known field';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${path}\u0000${message}`;
    if (!seen.has(key) && error.keyword !== 'anyOf' && error.keyword !== 'oneOf') {
      seen.add(key);
      out.push({ path, message });
    }
  }
  return out;
}

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

/** The parsed JSON body: malformed JSON is a 400; an empty body reads as {}. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PunchcardError('malformed', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readBody<S extends TSchema>(c: Context, schema: S): Promise<Static<S>> {
  return check(schema, await readJson(c));
}
