import { describe, expect, it } from 'vitest';
import { createHorizon } from '../../src/outbox/horizon.ts';

const o = (last: number, xmin: number, next: number) => ({
  last: BigInt(last),
  xmin: BigInt(xmin),
  next: BigInt(next),
});

describe('the outbox horizon', () => {
  it('with nothing running, two observations in a row make the last number final', () => {
    const h = createHorizon();
    expect(h.observe(o(5, 100, 100))).toBe(-1n);
    expect(h.unsettled).toBe(true);
    expect(h.observe(o(5, 100, 100))).toBe(5n);
    expect(h.unsettled).toBe(false);
  });

  it('a number is final only once every transaction that could hold it has ended', () => {
    const h = createHorizon();
    // Transaction 90 is open; 10 was the last number when first looked.
    expect(h.observe(o(10, 90, 100))).toBe(-1n);
    // Everything up to 10 was drawn by transactions below 101 …
    expect(h.observe(o(11, 90, 101))).toBe(-1n);
    // … and 90 still runs (xmin 100 < 101 means some transaction below 101 still may).
    expect(h.observe(o(11, 100, 102))).toBe(-1n);
    // Below 101 all ended: 10 is final; 11 waits for everything below 102.
    expect(h.observe(o(11, 101, 102))).toBe(10n);
    expect(h.unsettled).toBe(true);
    expect(h.observe(o(11, 102, 102))).toBe(11n);
    expect(h.unsettled).toBe(false);
  });

  it('never moves back, and a snapshot xmin alone (a newer transaction running above it) is not enough', () => {
    const h = createHorizon();
    h.observe(o(20, 50, 50));
    expect(h.observe(o(20, 50, 50))).toBe(20n);
    // A transaction got id 50 and drew 21. Nothing newer has finished, so the snapshot's
    // xmax — and xmin — stay at 50 while it runs: only `next` (51) shows it may exist.
    expect(h.observe(o(21, 50, 51))).toBe(20n);
    expect(h.observe(o(21, 50, 51))).toBe(20n);
    expect(h.observe(o(21, 51, 51))).toBe(21n);
    expect(h.observe(o(21, 40, 51))).toBe(21n);
  });
});
