import Type from 'typebox';
import { channels, creditStates, reservationStatuses } from '../../domain/enums.ts';
import { triggers } from '../../policy/ruleset-schema.ts';
import { component } from '../openapi.ts';
import { at, ClaimShare, Counts, closed, count, enumOf, nullable } from './common.ts';

const usageEvents = ['hold', 'use', 'release', 'keep', 'forfeit', 'forgive'] as const;

export const AssignmentTrace = component(
  'AssignmentTrace',
  Type.Object(
    {
      considered: Type.Array(
        Type.Object(
          {
            purchaseId: Type.String(),
            eligible: Type.Boolean(),
            reason: Type.String(),
            rule: nullable(Type.String()),
          },
          closed,
        ),
      ),
      order: Type.Array(Type.Object({ key: Type.String(), direction: Type.String() }, closed)),
      orderRule: nullable(Type.String()),
      chosen: nullable(Type.String()),
      summary: Type.String(),
    },
    { ...closed, description: 'Each candidate purchase, eligible or why not, and the order used' },
  ),
);

export const UsageStep = component(
  'UsageStep',
  Type.Object(
    {
      trigger: enumOf(triggers),
      event: enumOf(usageEvents),
      rule: nullable(Type.String()),
      matched: Type.Optional(Type.Array(Type.String(), { description: 'Every rule that matched' })),
      reason: Type.String(),
      state: Type.String(),
      at,
    },
    closed,
  ),
);

export const Explanation = component(
  'Explanation',
  Type.Object(
    {
      assignment: nullable(AssignmentTrace),
      usage: Type.Array(UsageStep),
      policyVersion: count,
      policyHash: Type.String(),
    },
    { ...closed, description: 'Why the reservation has the credit it has' },
  ),
);

export const Penalty = component(
  'Penalty',
  Type.Object(
    {
      kind: enumOf(['late_cancel', 'no_show_forfeit', 'forgiven'] as const),
      fee: Type.Integer({
        minimum: 0,
        description: 'Minor units for the host to charge (punchcard never charges it); 0 when none or waived',
      }),
      at,
      rule: nullable(Type.String()),
      reason: Type.String(),
      waived: Type.Optional(
        Type.Object(
          {
            by: Type.String(),
            reason: Type.String(),
            at,
            fee: Type.Integer({ minimum: 0, description: 'The fee the waive cleared' }),
          },
          closed,
        ),
      ),
    },
    { ...closed, description: "The late cancel's or no-show's penalty (the late-cancel and no-show pack)" },
  ),
);

export const Reservation = component(
  'Reservation',
  Type.Object(
    {
      id: Type.String(),
      clientId: Type.String(),
      sessionId: Type.String(),
      channel: enumOf(channels),
      status: enumOf(reservationStatuses),
      purchaseId: nullable(Type.String()),
      manualPurchase: Type.Boolean(),
      credit: Type.Object({ state: enumOf(creditStates), units: count }, closed),
      label: nullable(Type.String()),
      counts: nullable(Counts),
      shares: Type.Array(ClaimShare, {
        description: "Each purchase's share, in the assignment order (empty when no credit is assigned)",
      }),
      explain: nullable(Explanation),
      penalty: nullable(Penalty),
    },
    closed,
  ),
);

export const Quote = component(
  'Quote',
  Type.Object(
    {
      clientId: Type.String(),
      sessionId: Type.String(),
      channel: enumOf(channels),
      purchaseId: nullable(Type.String({ description: 'The purchase that would pay; null when none would' })),
      credit: Type.Object({ state: enumOf(creditStates), units: count }, closed),
      label: nullable(Type.String()),
      counts: nullable(Counts),
      shares: Type.Array(ClaimShare, {
        description: "Each purchase's share, in the assignment order (empty when no credit is assigned)",
      }),
      explain: nullable(Explanation),
    },
    { ...closed, description: 'What a booking made now would decide; nothing is written' },
  ),
);

export const SessionCancel = component(
  'SessionCancel',
  Type.Object(
    {
      sessionId: Type.String(),
      canceledAt: at,
      reservations: Type.Array(Reservation, { description: 'Every reservation of the session, in id order' }),
    },
    { ...closed, description: 'A session the studio canceled and its reservations as the cancel left them' },
  ),
);
