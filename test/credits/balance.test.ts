import { describe, expect, it } from 'vitest';
import { applyDelta, BalanceError, zeroCounters } from '../../src/credits/balance.ts';
import { creditsGranted } from '../../src/credits/grant.ts';

describe('balance arithmetic', () => {
  it('B19 seed: additions grow total and remaining; deductions and uses shrink only remaining', () => {
    let b = applyDelta(zeroCounters, 'grant', { total: 10 }, false);
    b = applyDelta(b, 'addition', { total: 5 }, false);
    expect([b.remaining, b.total]).toEqual([15, 15]);
    b = applyDelta(b, 'use', { used: 1 }, false);
    expect([b.remaining, b.total]).toEqual([14, 15]);
    let c = applyDelta(zeroCounters, 'grant', { total: 10 }, false);
    c = applyDelta(c, 'deduction', { deducted: 3 }, false);
    expect([c.remaining, c.total]).toEqual([7, 10]);
    c = applyDelta(c, 'use', { used: 2 }, false);
    expect([c.remaining, c.total]).toEqual([5, 10]);
  });

  it('a hold then its use moves the credit from held to used', () => {
    let b = applyDelta(zeroCounters, 'grant', { total: 4 }, false);
    b = applyDelta(b, 'hold', { held: 2 }, false);
    expect(b).toEqual({ total: 4, held: 2, used: 0, deducted: 0, expired: 0, remaining: 2 });
    b = applyDelta(b, 'use', { held: -2, used: 2 }, false);
    expect(b).toEqual({ total: 4, held: 0, used: 2, deducted: 0, expired: 0, remaining: 2 });
  });

  it('never below zero, and each kind moves only its own counters', () => {
    const b = applyDelta(zeroCounters, 'grant', { total: 2 }, false);
    expect(() => applyDelta(b, 'deduction', { deducted: 3 }, false)).toThrow(BalanceError);
    expect(() => applyDelta(b, 'release', { held: -1 }, false)).toThrow(/held below zero/);
    expect(() => applyDelta(b, 'grant', { used: 1 }, false)).toThrow(/may not change used/);
    expect(() => applyDelta(b, 'hold', { held: 1.5 }, false)).toThrow(/whole number/);
  });

  it('unlimited purchases count uses without a remaining to protect', () => {
    const b = applyDelta(zeroCounters, 'use', { used: 3 }, true);
    expect(b.used).toBe(3);
    expect(b.remaining).toBe(-3);
  });
});

describe('B7 session buckets grant credits only for Scheduler_Bucket item types', () => {
  it('grants the bucket quantity when the item type is Scheduler_Bucket', () => {
    expect(
      creditsGranted({ kind: 'session_bucket', credits: 6, unlimited: false, itemType: 'Scheduler_Bucket' }),
    ).toBe(6);
  });
  it('grants nothing for any other item type, or none', () => {
    expect(creditsGranted({ kind: 'session_bucket', credits: 6, unlimited: false, itemType: 'Retail' })).toBe(
      0,
    );
    expect(creditsGranted({ kind: 'session_bucket', credits: 6, unlimited: false, itemType: null })).toBe(0);
  });
  it('packages and memberships grant their credits regardless of item type', () => {
    expect(creditsGranted({ kind: 'package', credits: 10, unlimited: false, itemType: null })).toBe(10);
    expect(creditsGranted({ kind: 'membership', credits: null, unlimited: true, itemType: null })).toBe(0);
  });
});
