import { DateTime } from 'luxon';
import { addDays, daysBetween, expiresAt, localDate, localDays } from '../domain/time.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import type { FreezeWindow, PurchaseSnap } from './types.ts';

/** One freeze as stored (purchase_freezes): local dates, both ends frozen. */
export interface FreezeRecord {
  id: string;
  purchaseId: string;
  from: string;
  to: string;
  startsAt: Date;
  endsAt: Date;
  /** Days it adds to the expiry: 0 once undone before it began. */
  days: number;
  reason: string;
  actor: string;
  createdAt: Date;
  unfrozenAt: Date | null;
  unfreezeReason: string | null;
}

/** What a freeze decision reads: plain data from the one locking read. */
export interface FreezeScene {
  purchase: PurchaseSnap;
  /** The zone of the purchase's location (B6). */
  timeZone: string;
  now: Date;
  actor: string;
  /** Every freeze of the purchase, undone ones included. */
  freezes: FreezeRecord[];
  /** Starts of the sessions the purchase pays for (credits assigned, held or used). */
  claimedSessionStarts: Date[];
}

/** The purchase after a freeze decision, and the freeze row to write. */
export interface FreezeOutcome {
  freeze: FreezeRecord;
  frozenDays: number;
  expiresAt: Date | null;
  windows: FreezeWindow[];
}

export const mostDaysPerFreeze = 366;

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;

const counting = (freezes: FreezeRecord[]) => freezes.filter((f) => f.days > 0);

/** The expiry with every counting freeze's days added, by local days (B6; DST moves nothing). */
function outcome(scene: FreezeScene, freeze: FreezeRecord, freezes: FreezeRecord[]): FreezeOutcome {
  const all = counting(freezes).sort((a, b) => a.from.localeCompare(b.from));
  const frozenDays = all.reduce((sum, f) => sum + f.days, 0);
  const { purchase } = scene;
  return {
    freeze,
    frozenDays,
    expiresAt: expiresAt(purchase.purchasedAt, scene.timeZone, purchase.plan, frozenDays),
    windows: all.map((f) => ({ id: f.id, startsAt: f.startsAt, endsAt: f.endsAt, to: f.to })),
  };
}

/**
 * Issue 20 item 3, pure: freeze a purchase from one local date to another (both
 * frozen). Refused: a purchase that is expired or voided or a one-day package
 * (409); dates that are not dates, end before they start, start in the past or
 * after the expiry, or span more than 366 days (422); a stretch overlapping another
 * freeze (409); more days in all than the plan's `maxFreezeDays` (422 at /to); a
 * stretch holding credits for booked sessions (409: move or cancel them first, so
 * a frozen purchase never pays).
 */
export function decideFreeze(
  scene: FreezeScene,
  request: { id: string; from: string; to: string; reason: string },
): FreezeOutcome {
  const { purchase, timeZone } = scene;
  if (purchase.status === 'expired' || purchase.status === 'voided')
    throw conflict(`cannot freeze a purchase that is ${purchase.status}`);
  if (purchase.plan.oneDay) throw conflict('a one-day package cannot be frozen');
  if (!isDate(request.from)) throw invalid('/from', 'must be a date (yyyy-mm-dd)');
  if (!isDate(request.to)) throw invalid('/to', 'must be a date (yyyy-mm-dd)');
  const days = daysBetween(request.from, request.to) + 1;
  if (days < 1) throw invalid('/to', 'must not be before from');
  if (days > mostDaysPerFreeze) throw invalid('/to', `one freeze lasts at most ${mostDaysPerFreeze} days`);
  const today = localDate(scene.now, timeZone);
  if (request.from < today)
    throw invalid('/from', `must not be in the past (today is ${today} at the location)`);
  if (purchase.expiresAt && request.from > localDate(purchase.expiresAt, timeZone))
    throw invalid('/from', `the purchase expires on ${localDate(purchase.expiresAt, timeZone)}`);
  const overlap = counting(scene.freezes).find((f) => f.from <= request.to && request.from <= f.to);
  if (overlap) throw conflict(`overlaps freeze '${overlap.id}' (${overlap.from} to ${overlap.to})`);
  const before = counting(scene.freezes).reduce((sum, f) => sum + f.days, 0);
  const most = purchase.plan.maxFreezeDays;
  if (most != null && before + days > most)
    throw invalid('/to', `the plan allows ${most} frozen days in all; ${before} used, ${days} asked`);
  const window = localDays(request.from, request.to, timeZone);
  const claimed = scene.claimedSessionStarts.filter(
    (s) => s.getTime() >= window.startsAt.getTime() && s.getTime() <= window.endsAt.getTime(),
  );
  if (claimed.length > 0)
    throw conflict(
      `the purchase pays for ${claimed.length} booked session(s) in that time: move or cancel them first`,
    );
  const freeze: FreezeRecord = {
    id: request.id,
    purchaseId: purchase.id,
    from: request.from,
    to: request.to,
    ...window,
    days,
    reason: request.reason,
    actor: scene.actor,
    createdAt: scene.now,
    unfrozenAt: null,
    unfreezeReason: null,
  };
  return outcome(scene, freeze, [...scene.freezes, freeze]);
}

/**
 * Ends a freeze early: the days from today on are no longer frozen, so the expiry
 * keeps only the days actually frozen; one undone before it began adds nothing.
 * Without an id, the freeze in force now, else the next one.
 */
export function decideUnfreeze(
  scene: FreezeScene,
  request: { freezeId?: string; reason?: string },
): FreezeOutcome {
  const today = localDate(scene.now, scene.timeZone);
  const live = counting(scene.freezes)
    .filter((f) => f.to >= today)
    .sort((a, b) => a.from.localeCompare(b.from));
  let found: FreezeRecord | undefined;
  if (request.freezeId !== undefined) {
    found = scene.freezes.find((f) => f.id === request.freezeId);
    if (!found) throw notFound('freeze', request.freezeId);
    if (found.days === 0) throw conflict(`freeze '${found.id}' was already undone`);
    if (found.to < today) throw conflict(`freeze '${found.id}' ended on ${found.to}`);
  } else {
    found = live[0];
    if (!found) throw conflict(`purchase '${scene.purchase.id}' has no freeze in force or to come`);
  }
  const ended: FreezeRecord = { ...found, unfrozenAt: scene.now, unfreezeReason: request.reason ?? null };
  if (found.from >= today) {
    ended.days = 0;
  } else {
    ended.to = addDays(today, -1);
    ended.days = daysBetween(found.from, ended.to) + 1;
    ended.endsAt = localDays(found.from, ended.to, scene.timeZone).endsAt;
  }
  return outcome(
    scene,
    ended,
    scene.freezes.map((f) => (f.id === ended.id ? ended : f)),
  );
}
