import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCategory, PunchcardError } from '../errors.ts';

const statusOf: Record<ErrorCategory, ContentfulStatusCode> = {
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid: 422,
  too_large: 413,
  unsupported_media_type: 415,
  busy: 503,
};

const titleOf: Record<ErrorCategory, string> = {
  malformed: 'Malformed request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid: 'Unprocessable content',
  too_large: 'Content too large',
  unsupported_media_type: 'Unsupported media type',
  busy: 'Busy, try again',
};

/**
 * PostgreSQL error codes a caller can cause, mapped to what they mean for the caller.
 * The database's own detail (constraint names, key values) never reaches the answer:
 * it names internals and, for a unique key, echoes values. These are backstops; the
 * request schemas and the routes' own checks answer first, with pointers.
 */
function fromDatabase(error: unknown): PunchcardError | undefined {
  switch ((error as { code?: unknown })?.code) {
    case '23505':
      return new PunchcardError('conflict', 'this conflicts with something that already exists');
    case '23503':
      return new PunchcardError('invalid', 'refers to something that does not exist');
    case '23514':
      return new PunchcardError('invalid', 'breaks a rule of the data');
    case '22003':
      return new PunchcardError('invalid', 'a number is out of the range that can be stored');
    case '22P05':
    case '22021':
      return new PunchcardError('invalid', 'a text contains a character that cannot be stored');
    case '22007':
    case '22008':
      return new PunchcardError('invalid', 'an instant is out of the range that can be stored');
    case '40001':
    case '40P01':
    case '55P03':
      return new PunchcardError('busy', 'the database was busy with a conflicting change; retry');
    default:
      return undefined;
  }
}

/** The error after unwrapping the ORM's wrappers (they keep the driver error as `cause`). */
export function asPunchcardError(error: unknown): PunchcardError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof PunchcardError) return current;
    const mapped = fromDatabase(current);
    if (mapped) return mapped;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** RFC 9457 problem+json, the only error shape the API answers with. */
export function problemResponse(c: Context, error: unknown): Response {
  const known = asPunchcardError(error);
  if (!known) {
    console.error('punchcard: unexpected error', error);
    return c.body(
      JSON.stringify({
        type: 'about:blank',
        title: 'Internal error',
        status: 500,
        detail: 'unexpected error',
      }),
      500,
      { 'content-type': 'application/problem+json' },
    );
  }
  const status = statusOf[known.category];
  const body = {
    type: 'about:blank',
    title: titleOf[known.category],
    status,
    detail: known.message,
    ...(known.errors.length > 0 ? { errors: known.errors } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (status === 503) headers['retry-after'] = String(known.retryAfter ?? 1);
  return c.body(JSON.stringify(body), status, headers);
}
