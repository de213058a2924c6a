import Type from 'typebox';
import type { VisitCap } from '../domain/plan.ts';
import type { FieldError } from '../errors.ts';
import { stringEnum } from './schemas.ts';

/** Issue 20: a plan's visit cap as a request gives it (anchor and mode have defaults). */
export const PlanCapInput = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1000, description: 'Visits allowed per period' }),
    period: stringEnum(['day', 'week', 'month'] as const),
    anchor: Type.Optional(
      Type.Enum(['calendar', 'purchase'], {
        description:
          "calendar: days, ISO weeks from Monday, calendar months; purchase: periods from the purchase's start date. Default calendar",
      }),
    ),
    mode: Type.Optional(
      Type.Enum(['refuse', 'no_credit'], {
        description:
          'Over the cap, with no other purchase to pay: refuse the booking (409) or book it without a credit. Default refuse',
      }),
    ),
    rollover: Type.Optional(
      Type.Object(
        {
          max: Type.Integer({
            minimum: 1,
            maximum: 1000,
            description: "At most this many of the previous period's unused visits carry over",
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "At most `count` visits per period, counted by the session's local date in its location's zone",
  },
);

export type PlanCapBody = Type.Static<typeof PlanCapInput>;

/** Faults across the cap's fields, with their pointers under `at` (`/cap`). */
export function capFaults(cap: PlanCapBody | null | undefined, at = '/cap'): FieldError[] {
  if (!cap?.rollover) return [];
  return cap.rollover.max > cap.count
    ? [
        {
          path: `${at}/rollover/max`,
          message: `cannot exceed count (${cap.count}): a period leaves at most count unused`,
        },
      ]
    : [];
}

/** The cap as stored: defaults filled in. */
export const storedCap = (cap: PlanCapBody): VisitCap => ({
  count: cap.count,
  period: cap.period,
  anchor: cap.anchor ?? 'calendar',
  mode: cap.mode ?? 'refuse',
  ...(cap.rollover ? { rollover: { max: cap.rollover.max } } : {}),
});
