import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { ApiKey } from '../domain/api-key.ts';
import type { Role } from '../domain/enums.ts';
import { PunchcardError } from '../errors.ts';
import type { AppEnv, Caller } from './env.ts';
import { hashKey, sameSecret } from './keys.ts';

const publicPaths = [/^\/healthz$/, /^\/openapi\.json$/, /^\/docs$/, /^\/v1\/presets(\/.*)?$/];

/** Routes anyone may call, without a key. */
export const isPublicPath = (path: string) => publicPaths.some((re) => re.test(path));

/**
 * Resolves the caller: the host's own resolver when given, else bearer keys
 * (the platform key, or a tenant key looked up by its hash).
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  // Key hash → caller, kept briefly: a cache keyed by content that any process may
  // drop, which spares every request a lookup. Keys are never changed in place.
  const known = new Map<string, { tenantId: string; role: Role; until: number }>();
  const ttlMs = 30_000;
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const deps = c.get('deps');
    if (deps.auth) {
      const resolved = await deps.auth(c);
      if (!resolved) throw new PunchcardError('unauthorized', 'not authenticated');
      c.set('caller', resolved);
      return next();
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new PunchcardError('unauthorized', 'send Authorization: Bearer <key>');
    const key = match[1];
    if (deps.platformKey && sameSecret(key, deps.platformKey)) {
      c.set('caller', { tenantId: null, role: 'platform' });
      return next();
    }
    // The lookup is by the key's hash, so timing reveals nothing about the key.
    const keyHash = hashKey(key);
    let hit = known.get(keyHash);
    if (!hit || hit.until < Date.now()) {
      const found = await deps.orm.em.fork().findOne(ApiKey, { keyHash });
      if (!found) throw new PunchcardError('unauthorized', 'unknown key');
      hit = { tenantId: found.tenantId, role: found.role, until: Date.now() + ttlMs };
      if (known.size > 10_000) known.clear();
      known.set(keyHash, hit);
    }
    c.set('caller', { tenantId: hit.tenantId, role: hit.role });
    return next();
  };
}

const rank: Record<Role | 'platform', number> = { staff: 1, admin: 2, platform: 0 };

const allows = (caller: Caller, role: Role | 'platform') =>
  role === 'platform'
    ? caller.role === 'platform'
    : caller.role !== 'platform' && rank[caller.role] >= rank[role];

/** Each `requireRole` middleware → the role it demands, so a route's demands can be read before it runs. */
const demanded = new WeakMap<object, Role | 'platform'>();

/** Admin may do all that staff may; the platform key only manages tenants. */
export function requireRole(role: Role | 'platform'): MiddlewareHandler<AppEnv> {
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!allows(c.get('caller'), role)) throw new PunchcardError('forbidden', `this needs the ${role} role`);
    return next();
  };
  demanded.set(check, role);
  return check;
}

/**
 * Every `requireRole` the request will pass through, checked now: the request
 * pipeline calls it before it looks up an Idempotency-Key, so no stored answer is
 * ever replayed to a caller the route itself would refuse. The matched handlers are
 * walked in the order they run, up to the endpoint (the first handler bound to a
 * method that is not a role check: it answers, so nothing after it runs). A host
 * mounting the app wraps the handlers; the wrapper keeps the original under
 * `__COMPOSED_HANDLER`.
 */
export function checkRouteRoles(c: Context<AppEnv>): void {
  for (const route of matchedRoutes(c)) {
    let handler: unknown = route.handler;
    let role: Role | 'platform' | undefined;
    while (typeof handler === 'function' && !role) {
      role = demanded.get(handler);
      handler = (handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER;
    }
    if (role && !allows(c.get('caller'), role))
      throw new PunchcardError('forbidden', `this needs the ${role} role`);
    if (!role && route.method !== 'ALL') return;
  }
}
