import Type from 'typebox';
import { creditStates, ticketStatuses } from '../../domain/enums.ts';
import { component } from '../openapi.ts';
import { amount, ClaimShare, Counts, closed, count, enumOf, nullable } from './common.ts';

export const TicketLine = component(
  'TicketLine',
  Type.Object(
    {
      lineNo: count,
      itemId: Type.String(),
      reservationId: nullable(Type.String()),
      unitPrice: amount,
      units: count,
      coveredUnits: count,
      purchaseId: nullable(Type.String()),
      credit: Type.Object({ state: enumOf(creditStates) }, closed),
      amountDue: amount,
      retail: amount,
      commissionBase: Type.Number({ description: 'Minor units (B21)' }),
      label: nullable(Type.String()),
      counts: nullable(Counts),
      shares: Type.Array(ClaimShare, {
        description: "Each purchase's share, in the assignment order (empty when no credit covers the line)",
      }),
    },
    closed,
  ),
);

export const Ticket = component(
  'Ticket',
  Type.Object(
    {
      id: Type.String(),
      clientId: Type.String(),
      locationId: Type.String(),
      manual: Type.Boolean(),
      status: enumOf(ticketStatuses),
      voidReason: nullable(Type.String()),
      lines: Type.Array(TicketLine),
      total: amount,
      retailTotal: amount,
      policyVersion: nullable(count),
    },
    closed,
  ),
);
