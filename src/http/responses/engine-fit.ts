import type { Static } from 'typebox';
import type { ReportRow as EngineReportRow } from '../../credits/report.ts';
import type { simulate } from '../../credits/simulate.ts';
import type { SweepTotals as EngineSweepTotals } from '../../credits/sweep-runner.ts';
import type { ReservationExplain } from '../../credits/types.ts';
import type { listPresets } from '../../policy/presets.ts';
import type { createTenant } from '../../tenants/create-tenant.ts';
import type { CreatedTenant, PresetList, Simulation } from './policy.ts';
import type { ReportRow, SweepTotals } from './reports.ts';
import type { Explanation } from './reservations.ts';

/**
 * Compile-time proof that what the credit engine hands the routes fits the
 * documented schemas: the engine keeps its own types, and tsc fails if they drift.
 */
type Fits<T extends U, U> = T;
export type EngineFitsContract = [
  Fits<ReservationExplain, Static<typeof Explanation>>,
  Fits<Awaited<ReturnType<typeof simulate>>, Static<typeof Simulation>>,
  Fits<EngineSweepTotals, Static<typeof SweepTotals>>,
  Fits<EngineReportRow, Static<typeof ReportRow>>,
  Fits<{ presets: ReturnType<typeof listPresets> }, Static<typeof PresetList>>,
  Fits<Awaited<ReturnType<typeof createTenant>>, Static<typeof CreatedTenant>>,
];
