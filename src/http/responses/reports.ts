import Type from 'typebox';
import { component } from '../openapi.ts';
import { at, closed, count, nullable } from './common.ts';

export const ReportRow = component(
  'ReportRow',
  Type.Object(
    {
      clientId: Type.String(),
      clientName: Type.String(),
      purchaseId: Type.String(),
      planName: Type.String(),
      entry: Type.String({
        description:
          '`purchase` for the balance row, else `use`, `refund` (a use given back) or `waive` (a no-show waived by staff)',
      }),
      units: nullable(
        Type.Integer({ description: 'Credits used (negative when given back); null on a balance row' }),
      ),
      reservationId: nullable(Type.String()),
      ticketId: nullable(Type.String()),
      occurredAt: at,
      status: Type.String(),
      total: count,
      used: count,
      held: count,
      deducted: count,
      expired: count,
      remaining: Type.Integer(),
    },
    closed,
  ),
);

export const CreditReport = component('CreditReport', Type.Object({ rows: Type.Array(ReportRow) }, closed));

export const SweepTotals = component(
  'SweepTotals',
  Type.Object({ sessions: count, used: count, released: count, skipped: count }, closed),
);
