export interface RetrySchedule {
  /** The first retry waits about this long (PUNCHCARD_RETRY_BASE_MS, default 1000). */
  baseMs: number;
  /** No wait grows beyond this. */
  capMs: number;
}

/**
 * The wait before retrying after the `attempt`-th failure: exponential (base, 2×base,
 * 4×base, … up to the cap) with "equal jitter": half the step fixed, half random, so
 * retries from many deliveries spread out but never come back immediately.
 */
export function retryDelayMs(attempt: number, schedule: RetrySchedule, random = Math.random): number {
  const step = Math.min(schedule.capMs, schedule.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
