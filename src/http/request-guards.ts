import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PunchcardError } from '../errors.ts';
import type { AppEnv } from './env.ts';
import { isJsonMediaType, parseBody } from './json-body.ts';
import { problemResponse } from './problem.ts';

/** 1 MB: a full rule set at its limits is a fraction of this. */
export const defaultBodyLimitBytes = 1024 * 1024;

export const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Bodies larger than the limit are refused while being read: 413, nothing parsed.
 * The answer says `Connection: close`: the client is likely still sending the rest,
 * so the socket cannot be reused; said this way, the server finishes writing the 413
 * (reading and dropping what still arrives) before it closes, and the client reads
 * the 413 instead of finding the socket reset under it.
 */
export const limitBodies = (maxBytes: number): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      const answer = problemResponse(
        c,
        new PunchcardError('too_large', `the body is larger than ${maxBytes} bytes`),
      );
      answer.headers.set('connection', 'close');
      return answer;
    },
  });

/** No id, path segment or query value can hold a NUL character (PostgreSQL text cannot). */
export const refuseNulInUrl = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (/%00/i.test(c.req.url) || c.req.url.includes('\u0000'))
    throw new PunchcardError('malformed', 'the URL contains a NUL character (%00)');
  return next();
};

/**
 * Every answer says `nosniff`; answers to a request that carried a key, or that
 * carry a key (tenant creation), are never stored by a cache.
 */
export const securityHeaders =
  (isPublic: (path: string) => boolean): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    if (c.req.header('authorization') !== undefined || !isPublic(c.req.path))
      c.res.headers.set('cache-control', 'no-store');
  };

/**
 * Reads a write's body once, before anything else looks at it: a non-empty body must
 * be `Content-Type: application/json` (415) and a strict JSON object (`parseBody`).
 * Handlers take it with `readJson`/`readBody`.
 */
export const jsonBody = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!writeMethods.has(c.req.method)) return next();
  const text = await c.req.text();
  if (text.length > 0 && !isJsonMediaType(c.req.header('content-type')))
    throw new PunchcardError('unsupported_media_type', 'send the body as Content-Type: application/json');
  c.set('body', parseBody(text));
  c.set('bodyRead', false);
  return next();
};

/**
 * A route that takes no body (an action such as /cancel) never reads it; whatever
 * it was sent must then be empty or `{}`, else each field is unknown (422).
 * Called before the request's transaction commits, so a refusal undoes the action.
 */
export function refuseUnreadBody(c: Context<AppEnv>): void {
  if (c.get('bodyRead') !== false) return;
  const fields = Object.keys(c.get('body') ?? {});
  if (fields.length === 0) return;
  throw new PunchcardError(
    'invalid',
    'this route takes no body',
    fields.map((field) => ({
      path: `/${field.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      message: 'is not a known field',
    })),
  );
}
