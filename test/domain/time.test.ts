import { describe, expect, it } from 'vitest';
import { coversSessionTime, expiresAt, localDate, validAt } from '../../src/domain/time.ts';

const at = (iso: string) => new Date(iso);
const session = (startsAt: string, minutes = 60) => ({
  startsAt: at(startsAt),
  endsAt: new Date(at(startsAt).getTime() + minutes * 60_000),
});

describe('B6 expiry at 23:59:59.999 local on purchase date + daysToExpire', () => {
  it('New York, with the spring DST change inside the window', () => {
    // Bought Sun 1 Mar 2026 10:00 EST; clocks go forward on 8 Mar; expiry day 11 Mar is EDT (UTC-4).
    const expiry = expiresAt(at('2026-03-01T15:00:00Z'), 'America/New_York', {
      daysToExpire: 10,
      oneDay: false,
    });
    expect(expiry?.toISOString()).toBe('2026-03-12T03:59:59.999Z');
    const window = { purchasedAt: at('2026-03-01T15:00:00Z'), expiresAt: expiry };
    expect(coversSessionTime(window, session('2026-03-12T03:59:59.999Z'))).toBe(true);
    expect(coversSessionTime(window, session('2026-03-12T04:00:00.000Z'))).toBe(false);
  });

  it('New York, with the autumn DST change inside the window', () => {
    // Bought 30 Oct 2026 12:00 EDT; clocks go back on 1 Nov; expiry day 6 Nov is EST (UTC-5).
    const expiry = expiresAt(at('2026-10-30T16:00:00Z'), 'America/New_York', {
      daysToExpire: 7,
      oneDay: false,
    });
    expect(expiry?.toISOString()).toBe('2026-11-07T04:59:59.999Z');
  });

  it('Tokyo (east of UTC): the local date, not the UTC date, counts', () => {
    // 1 Mar 20:00 UTC is already 2 Mar 05:00 in Tokyo.
    const bought = at('2026-03-01T20:00:00Z');
    expect(localDate(bought, 'Asia/Tokyo')).toBe('2026-03-02');
    const expiry = expiresAt(bought, 'Asia/Tokyo', { daysToExpire: 1, oneDay: false });
    expect(expiry?.toISOString()).toBe('2026-03-03T14:59:59.999Z');
    const window = { purchasedAt: bought, expiresAt: expiry };
    expect(coversSessionTime(window, session('2026-03-03T14:59:59.999Z'))).toBe(true);
    expect(coversSessionTime(window, session('2026-03-03T15:00:00.000Z'))).toBe(false);
  });

  it('Sydney, where DST ends inside the window (east of UTC, southern hemisphere)', () => {
    // Bought 3 Apr 2026 09:00 AEDT (UTC+11); DST ends 5 Apr; 6 Apr is AEST (UTC+10).
    const expiry = expiresAt(at('2026-04-02T22:00:00Z'), 'Australia/Sydney', {
      daysToExpire: 3,
      oneDay: false,
    });
    expect(expiry?.toISOString()).toBe('2026-04-06T13:59:59.999Z');
  });

  it('daysToExpire 0 never expires', () => {
    const expiry = expiresAt(at('2026-03-01T15:00:00Z'), 'America/New_York', {
      daysToExpire: 0,
      oneDay: false,
    });
    expect(expiry).toBeNull();
    expect(
      coversSessionTime(
        { purchasedAt: at('2026-03-01T15:00:00Z'), expiresAt: null },
        session('2099-01-01T00:00:00Z'),
      ),
    ).toBe(true);
  });

  it('oneDay expires at the end of the local purchase date (B8)', () => {
    // 10 Nov 2026 18:00 in Los Angeles is 11 Nov 02:00 UTC: still the 10th locally.
    const bought = at('2026-11-11T02:00:00Z');
    const expiry = expiresAt(bought, 'America/Los_Angeles', { daysToExpire: 0, oneDay: true });
    expect(expiry?.toISOString()).toBe('2026-11-11T07:59:59.999Z');
    const window = { purchasedAt: bought, expiresAt: expiry };
    expect(validAt(window, at('2026-11-11T07:59:59.999Z'))).toBe(true);
    expect(validAt(window, at('2026-11-11T08:00:00.000Z'))).toBe(false);
  });

  it('a purchase bought after the session ended cannot pay for it; one bought during it can', () => {
    const window = { purchasedAt: at('2026-03-05T10:30:00Z'), expiresAt: null };
    expect(coversSessionTime(window, session('2026-03-05T10:00:00Z', 30))).toBe(true);
    expect(coversSessionTime(window, session('2026-03-05T09:00:00Z', 30))).toBe(false);
  });
});
