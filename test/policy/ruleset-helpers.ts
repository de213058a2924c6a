import { expect } from 'vitest';
import { validateRuleset } from '../../src/policy/index.ts';
import { type Answer, type Client, request } from '../support/api.ts';

/** A minimal valid rule set to add rules and tests to. */
export const baseRuleset = () => ({
  id: 'custom',
  name: 'Custom',
  settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
  rules: [] as unknown[],
});

export const usageRule = (conditions: unknown, name = 'r', event: unknown = { type: 'use' }) => ({
  name,
  decision: 'usage',
  priority: 10,
  conditions,
  event,
});

export const leaf = { fact: 'trigger', operator: 'equal', value: 'booked' };

/** The faults validateRuleset finds ([] when the rule set is valid). */
export const faultsOf = (ruleset: unknown) => {
  const result = validateRuleset(ruleset);
  return result.ok ? [] : result.errors;
};

/** Sends a raw JSON text as the body: keys like `__proto__` and numbers like 1e400 survive. */
export const sendRaw = (method: string, path: string, key: string, raw: string) =>
  request(method, path, { key, raw, headers: { 'content-type': 'application/json' } });

/**
 * Asserts a refusal: 422 problem+json, a fault at the pointer (matching the
 * message, when given), and the policy version unchanged.
 */
export async function expectRefused(
  admin: Client,
  send: () => Promise<Answer>,
  pointer: string | RegExp,
  message?: RegExp,
): Promise<void> {
  const before = (await admin.get('/v1/policy')).body.version;
  const res = await send();
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(422);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body.errors).toEqual(
    expect.arrayContaining([
      {
        path: typeof pointer === 'string' ? pointer : expect.stringMatching(pointer),
        message: message ? expect.stringMatching(message) : expect.any(String),
      },
    ]),
  );
  expect((await admin.get('/v1/policy')).body.version).toBe(before);
}
