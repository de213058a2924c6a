import Type, { type Static } from 'typebox';

/**
 * The late-cancel and no-show pack's settings (issue 20 item 2): what each window's
 * outcome is, the fee recorded for the host to charge (minor units, never charged by
 * punchcard), how many late cancels a period forgives, and the plans left out of it
 * (intro offers). The rule set's rules read them through the `penalty` fact.
 */
export const penaltyOutcomes = ['keep', 'forfeit', 'forfeit_fee'] as const;
export type PenaltyOutcome = (typeof penaltyOutcomes)[number];
export const forgivenessPeriods = ['week', 'month'] as const;

const outcome = Type.Enum([...penaltyOutcomes], {
  description:
    'keep: no penalty (the ordinary rules decide); forfeit: the credit counts; forfeit_fee: and a fee',
});
const fee = Type.Integer({
  minimum: 0,
  maximum: 10_000_000_000,
  description: 'Minor units, recorded on the reservation for the host to charge (forfeit_fee only)',
});

export const penaltySettings = {
  lateCancel: Type.Optional(
    Type.Object(
      {
        windowHours: Type.Number({
          exclusiveMinimum: 0,
          maximum: 720,
          description: 'A cancel less than this many hours before the start is late',
        }),
        outcome,
        fee,
      },
      { additionalProperties: false },
    ),
  ),
  noShow: Type.Optional(Type.Object({ outcome, fee }, { additionalProperties: false })),
  forgiveness: Type.Optional(
    Type.Object(
      {
        count: Type.Integer({ minimum: 0, maximum: 100, description: 'Late cancels forgiven per period' }),
        period: Type.Enum([...forgivenessPeriods], {
          description: "The calendar week (Monday first) or month of the session's start, in UTC",
        }),
      },
      { additionalProperties: false },
    ),
  ),
  excludedPlans: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: 1000,
      uniqueItems: true,
      description: 'Plans whose purchases get no late-cancel or no-show penalty (intro offers)',
    }),
  ),
};

const settings = Type.Object(penaltySettings);
export type PenaltySettings = Static<typeof settings>;
