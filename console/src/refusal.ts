/**
 * What a refused call means, in words for the person who clicked: every status the
 * service (or the network) can answer with gets a sentence that says what happened
 * and what was not done, never a bare title or an empty fault list (issue 18).
 */
import { limits } from '../../src/policy/limits.ts';
import type { FieldError, Problem } from './api.ts';

/** 1000000 → "1 000 000", as the console writes numbers people read. */
export const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
    : `${Math.ceil(bytes / 1024)} KB`;

/**
 * The form fields a pointer of the server's 422 can name, with the label the form
 * shows and the range the rule-set schema allows (read from the same limits).
 */
const fields: Record<string, { label: string; range?: [number, number] }> = {
  '/zeroPriceUsesCredits': { label: 'Items priced $0 use credits' },
  '/unlimitedLabelThreshold': {
    label: 'UNLIMITED label threshold',
    range: [1, limits.unlimitedLabelThreshold],
  },
  '/purchaseId': { label: 'Purchase' },
  '/q': { label: 'Name or email' },
  '/cap/count': { label: 'Visits per period', range: [1, 1000] },
  '/cap/rollover/max': { label: 'Unused visits carried over', range: [1, 1000] },
  '/maxFreezeDays': { label: 'Most frozen days in all', range: [1, 3660] },
  '/lowBalanceAt': { label: 'Low-balance alert at', range: [0, 1_000_000] },
  '/expiringNoticeDays': { label: 'Expiry notice', range: [1, 365] },
  '/toClientId': { label: 'To client' },
  '/credits': { label: 'Credits to move', range: [1, 1_000_000] },
  '/reason': { label: 'Reason' },
};

/** One 422 fault as a sentence naming the field and, for a number, its range. */
export function fieldText(error: FieldError, prefix = ''): string {
  const path = (error.path ?? '').slice(prefix.length);
  const field = fields[path];
  const message = error.message ?? 'is not valid';
  if (!field) return `${path || 'The request'}: ${message}`;
  if (field.range && /must be (<=|>=|integer|number)/.test(message))
    return `${field.label} must be a whole number between ${grouped(field.range[0])} and ${grouped(field.range[1])}.`;
  return `${field.label}: ${message}.`;
}

/**
 * A refusal as one sentence, led by what did not happen (`Not saved`, `Not switched`…).
 * `bytes` is the size of what was sent, for a 413.
 */
export function refusalText(
  failed: { status: number; problem: Problem },
  what: string,
  bytes?: number,
): string {
  const { status, problem } = failed;
  const detail = problem.detail ?? problem.title ?? '';
  switch (status) {
    case 0:
      return `${what}: the service could not be reached (the network failed or the service is down). Nothing was changed; check the connection and try again.`;
    case 401:
      return `${what}: your key no longer works (it may have been revoked or replaced). Sign in again to go on.`;
    case 403:
      return `${what}: this needs an admin key, and this tab is signed in with a staff key.`;
    case 409:
      return `${what}: it conflicts with a change made at the same time (${detail}). Nothing was changed; reload to see the current state.`;
    case 413: {
      const limit = /(\d+) bytes/.exec(detail)?.[1];
      const sizes = [bytes ? `it is ${size(bytes)}` : '', limit ? `the limit is ${size(Number(limit))}` : '']
        .filter(Boolean)
        .join(', ');
      return `${what}: it is too large for the service${sizes ? ` (${sizes})` : ''}. Nothing was saved; make it smaller.`;
    }
    case 415:
      return `${what}: the service did not accept the request's format (${detail}). Nothing was changed.`;
    case 422:
      return problem.errors?.length
        ? `${what}: ${problem.errors.map((e) => fieldText(e)).join(' ')}`
        : `${what}: ${detail}.`;
    case 503:
      return `${what}: the service was busy with another change and saved nothing. Try again in a moment.`;
    default:
      return `${what}: the service answered ${status} ${problem.title ?? ''}${detail && detail !== problem.title ? ` (${detail})` : ''}.`;
  }
}

/**
 * A refused staff action on one thing (unfreeze, transfer, join a waitlist): a 409
 * there is the thing's own state (frozen, expired, full), not a race, so the
 * service's reason is said as it is; anything else as `refusalText` says it.
 */
export function actionRefusal(failed: { status: number; problem: Problem }, what: string): string {
  if (failed.status === 409 || failed.status === 404)
    return `${what}: ${failed.problem.detail ?? failed.problem.title}. Nothing was changed.`;
  return refusalText(failed, what);
}
