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
      entry: Type.String(),
      units: count,
      reservationId: nullable(Type.String()),
      ticketId: nullable(Type.String()),
      occurredAt: at,
      total: count,
      used: count,
      held: count,
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
