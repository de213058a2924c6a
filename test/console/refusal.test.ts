import { describe, expect, it } from 'vitest';
import { fieldText, grouped, refusalText } from '../../console/src/refusal.ts';
import { explainText } from '../../console/src/words.ts';

const problem = (status: number, detail: string, errors?: { path: string; message: string }[]) => ({
  status,
  problem: { type: 'about:blank', title: 'x', status, detail, ...(errors ? { errors } : {}) },
});

describe('console: refusals and reasons in words', () => {
  it('says what a 413 refused, with the size sent and the limit', () => {
    expect(refusalText(problem(413, 'the body is larger than 1048576 bytes'), 'Not saved', 1_750_000)).toBe(
      'Not saved: it is too large for the service (it is 1.7 MB, the limit is 1 MB). Nothing was saved; make it smaller.',
    );
    expect(refusalText(problem(413, 'too big'), 'Not saved')).toBe(
      'Not saved: it is too large for the service. Nothing was saved; make it smaller.',
    );
  });

  it("names a form field and its range from the server's pointer", () => {
    const threshold = { path: '/unlimitedLabelThreshold', message: 'must be <= 1000000' };
    expect(fieldText(threshold)).toBe(
      'UNLIMITED label threshold must be a whole number between 1 and 1 000 000.',
    );
    expect(
      refusalText(problem(422, 'the request body does not match the schema', [threshold]), 'Not saved'),
    ).toBe('Not saved: UNLIMITED label threshold must be a whole number between 1 and 1 000 000.');
    expect(fieldText({ path: '/other', message: 'is required' })).toBe('/other: is required');
    expect(grouped(1234567)).toBe('1 234 567');
  });

  it('tells a network failure and a revoked key from a refusal', () => {
    expect(refusalText(problem(0, 'TypeError: Failed to fetch'), 'Not moved')).toMatch(
      /^Not moved: the service could not be reached/,
    );
    expect(refusalText(problem(401, 'unknown key'), 'Not saved')).toBe(
      'Not saved: your key no longer works (it may have been revoked or replaced). Sign in again to go on.',
    );
  });

  it("reads a purchase staff chose by hand as staff's choice, not the policy's order", () => {
    const explain = {
      assignment: {
        considered: [{ purchaseId: 'p-old', eligible: true, reason: 'eligible', rule: null }],
        order: [{ key: 'purchasedAt', direction: 'desc' }],
        orderRule: 'most-recent-purchase',
        chosen: 'p-old',
        summary: 'p-old pays',
      },
      usage: [],
      policyVersion: 1,
      policyHash: 'h',
    };
    expect(explainText(explain, (id) => `purchase ${id}`, true)[0]).toBe(
      'Paid by purchase p-old: chosen by staff by hand; the policy allows it to pay for this item.',
    );
    expect(explainText(explain, (id) => `purchase ${id}`)[0]).toMatch(
      /^Paid by purchase p-old: of the purchases/,
    );
  });
});
