import type { RulesetSettings, Trigger } from '../policy/index.ts';
import type { PurchaseSnap, ReservationSnap } from './types.ts';

/**
 * The late-cancel and no-show pack's data (issue 20 item 2): which window a trigger
 * falls in, the `penalty` fact the rules read, the penalty a reservation keeps.
 * Pure: the instant is given.
 */

export type PenaltyKind = 'late_cancel' | 'no_show_forfeit' | 'forgiven';

/** What a reservation keeps of its penalty: the host charges `fee` (minor units); punchcard never does. */
export interface PenaltyRecord {
  kind: PenaltyKind;
  /** Minor units for the host to charge; 0 when none, or once waived. */
  fee: number;
  at: string;
  rule: string | null;
  reason: string;
  /** Staff gave the credit back and cleared the fee (`fee` is what was cleared). */
  waived?: { by: string; reason: string; at: string; fee: number };
}

/** A late cancel already forgiven: counted against the allowance of its session's period. */
export interface ForgivenCancel {
  reservationId: string;
  startsAt: Date;
}

export type PenaltyWindow = 'late_cancel' | 'no_show';

/** A forfeited credit stands until a waive: no later trigger gives it back or takes it again. */
export const forfeitStands = (r: ReservationSnap): boolean =>
  !!r.penalty && r.penalty.kind !== 'forgiven' && !r.penalty.waived;

/** The window a trigger falls in under the settings, or null. A no-show: marked, or still booked at the end. */
export function penaltyWindow(
  settings: RulesetSettings,
  trigger: Trigger,
  r: ReservationSnap,
  at: Date,
): PenaltyWindow | null {
  if (trigger === 'canceled' && settings.lateCancel) {
    const hours = (r.session.startsAt.getTime() - at.getTime()) / 3_600_000;
    return hours < settings.lateCancel.windowHours ? 'late_cancel' : null;
  }
  if (settings.noShow && (trigger === 'no_show' || (trigger === 'session_ended' && r.status === 'booked')))
    return 'no_show';
  return null;
}

/** The calendar period (UTC; weeks start on Monday) holding an instant. */
export function periodOf(at: Date, period: 'week' | 'month'): { start: Date; end: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (period === 'month') return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  const day = (at.getUTCDay() + 6) % 7;
  const start = new Date(Date.UTC(y, m, at.getUTCDate() - day));
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

/** Late cancels forgiven in the period of the reservation's session, itself left out. */
export function forgivenInPeriod(
  settings: RulesetSettings,
  r: ReservationSnap,
  forgiven: readonly ForgivenCancel[],
): number {
  if (!settings.forgiveness) return 0;
  const { start, end } = periodOf(r.session.startsAt, settings.forgiveness.period);
  return forgiven.filter((f) => f.reservationId !== r.id && f.startsAt >= start && f.startsAt < end).length;
}

export interface PenaltyFact {
  window: PenaltyWindow | null;
  outcome: 'keep' | 'forfeit' | 'forfeit_fee';
  fee: number;
  excludedPlan: boolean;
  forgiven: number;
  forgivenessLeft: number;
  recorded: PenaltyKind | null;
}

export const noPenalty: PenaltyFact = {
  window: null,
  outcome: 'keep',
  fee: 0,
  excludedPlan: false,
  forgiven: 0,
  forgivenessLeft: 0,
  recorded: null,
};

/** The `penalty` fact for a reservation at a trigger. */
export function penaltyFact(s: {
  settings: RulesetSettings;
  trigger: Trigger;
  at: Date;
  reservation: ReservationSnap | null;
  purchase: PurchaseSnap | null;
  forgiven?: readonly ForgivenCancel[];
}): PenaltyFact {
  const r = s.reservation;
  if (!r) return noPenalty;
  const window = penaltyWindow(s.settings, s.trigger, r, s.at);
  const setting =
    window === 'late_cancel' ? s.settings.lateCancel : window === 'no_show' ? s.settings.noShow : null;
  const outcome = setting?.outcome ?? 'keep';
  const forgiven = forgivenInPeriod(s.settings, r, s.forgiven ?? []);
  return {
    window,
    outcome,
    fee: outcome === 'forfeit_fee' ? (setting?.fee ?? 0) : 0,
    excludedPlan: s.purchase !== null && (s.settings.excludedPlans ?? []).includes(s.purchase.planId),
    forgiven,
    forgivenessLeft: Math.max(0, (s.settings.forgiveness?.count ?? 0) - forgiven),
    recorded: r.penalty?.kind ?? null,
  };
}
