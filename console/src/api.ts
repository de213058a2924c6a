import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];
/** A rule set as a request body: the document types it as an open object. */
export type RulesetBody = components['schemas']['Ruleset'];

const keyName = 'punchcard.key';

/**
 * The API lives where the console does: `<base>/admin` → `<base>`. A host that
 * mounts punchcard under a prefix therefore needs no setting.
 */
export const apiBase = window.location.origin + window.location.pathname.replace(/\/admin\/?$/, '');

/** The key lives in this tab only (sessionStorage), never in a URL or a cookie. */
export const session = {
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
api.use({
  onRequest({ request }) {
    const key = session.key;
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
});

export type Outcome<T> =
  | { ok: true; data: T; status: number }
  | { ok: false; status: number; problem: Problem };

/**
 * Every call goes through here: a problem+json answer becomes `{ok: false}` with its
 * pointers, so screens show errors instead of throwing. `T` is the answer's shape
 * (see shapes.ts) until the OpenAPI document declares response schemas.
 */
export async function outcome<T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T, status: response.status };
    const problem = (
      error && typeof error === 'object'
        ? error
        : {
            type: 'about:blank',
            title: response.statusText,
            status: response.status,
            detail: response.statusText,
          }
    ) as Problem;
    return { ok: false, status: response.status, problem };
  } catch (cause) {
    const detail = `The service did not answer: ${String(cause)}`;
    return { ok: false, status: 0, problem: { type: 'about:blank', title: detail, status: 0, detail } };
  }
}

/** A problem in one line for a message box. */
export const problemText = (p: Problem) => p.detail ?? p.title ?? 'Something went wrong';
