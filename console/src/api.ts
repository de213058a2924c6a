import createClient, { type FetchResponse } from 'openapi-fetch';
import type { components, paths } from '../generated/api.d.ts';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];
/** A rule set as a request body: the generated type, whose conditions are left open (see ruleset.ts). */
export type RulesetBody = components['schemas']['Ruleset'];

const keyName = 'punchcard.key';

/**
 * The API lives where the console does: `<base>/admin` → `<base>`. A host that
 * mounts punchcard under a prefix therefore needs no setting.
 */
export const apiBase = window.location.origin + window.location.pathname.replace(/\/admin\/?$/, '');

/** The key lives in this tab only (sessionStorage), never in a URL or a cookie. */
export const session = {
  /** True while sign-in tries a key: its 401 is a wrong key, not one that stopped working. */
  probing: false,
  get key() {
    return sessionStorage.getItem(keyName);
  },
  get role(): 'admin' | 'staff' | null {
    return (sessionStorage.getItem(`${keyName}.role`) as 'admin' | 'staff' | null) ?? null;
  },
  signIn(key: string, role: 'admin' | 'staff') {
    sessionStorage.setItem(keyName, key);
    sessionStorage.setItem(`${keyName}.role`, role);
  },
  signOut() {
    sessionStorage.removeItem(keyName);
    sessionStorage.removeItem(`${keyName}.role`);
  },
};

export const api = createClient<paths>({ baseUrl: apiBase });
/** Fired when the service stops accepting the key this tab signed in with (revoked or replaced). */
export const keyRejected = 'punchcard:key-rejected';

api.use({
  onRequest({ request }) {
    const key = session.key;
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
  onResponse({ response }) {
    // A 401 after sign-in means the key stopped working mid-session: the page says so
    // once, wherever the person is, and offers to sign in again (main.ts).
    if (response.status === 401 && session.key && !session.probing)
      window.dispatchEvent(new Event(keyRejected));
    return response;
  },
});

export type Outcome<T> =
  | { ok: true; data: T; status: number }
  | { ok: false; status: number; problem: Problem };

/** openapi-fetch's `MediaType` (it comes from openapi-typescript-helpers, not a dependency here). */
type Media = `${string}/${string}`;

/**
 * The answer's type for a call: what openapi-fetch gives `data` on success, from the
 * operation's 2xx `content` in generated/api.d.ts (as its own `MethodResponse` does).
 */
export type Answer<Operation extends Record<string | number, unknown>, Init, M extends Media> = NonNullable<
  FetchResponse<Operation, Init, M>['data']
>;

/**
 * An error body is whatever came back: the service answers problem+json, but a proxy
 * in front of it may send an HTML page or nothing, so it is checked, not assumed.
 */
function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    typeof value.type === 'string' &&
    'title' in value &&
    typeof value.title === 'string' &&
    'status' in value &&
    typeof value.status === 'number' &&
    'detail' in value &&
    typeof value.detail === 'string' &&
    (!('errors' in value) || value.errors === undefined || Array.isArray(value.errors))
  );
}

/**
 * Every call goes through here: a problem+json answer becomes `{ok: false}` with its
 * pointers, so screens show errors instead of throwing. The answer's type is the one
 * the OpenAPI document declares for the call's route, inferred from the openapi-fetch
 * call itself: `outcome(api.GET('/v1/policy'))` reads a `PolicyVersion`.
 */
export async function outcome<Operation extends Record<string | number, unknown>, Init, M extends Media>(
  call: Promise<FetchResponse<Operation, Init, M>>,
): Promise<Outcome<Answer<Operation, Init, M>>> {
  try {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined && data !== null)
      return { ok: true, data, status: response.status };
    const problem: Problem = isProblem(error)
      ? error
      : {
          type: 'about:blank',
          title: response.ok ? 'The service sent an empty answer' : response.statusText,
          status: response.status,
          detail: response.ok ? 'The service sent an empty answer' : response.statusText,
        };
    return { ok: false, status: response.status, problem };
  } catch (cause) {
    const detail = `The service did not answer: ${String(cause)}`;
    return { ok: false, status: 0, problem: { type: 'about:blank', title: detail, status: 0, detail } };
  }
}

/** A problem in one line for a message box. */
export const problemText = (p: Problem) => p.detail ?? p.title ?? 'Something went wrong';
