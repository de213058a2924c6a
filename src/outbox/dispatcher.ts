import type { MikroORM } from '@mikro-orm/core';
import type { EventName } from '../events.ts';
import { newId } from '../ids.ts';
import { type RetrySchedule, retryDelayMs } from './backoff.ts';
import { createHorizon } from './horizon.ts';
import { type ClaimedPair, type OutboxEvent, outboxStore } from './store.ts';

/**
 * Something that receives outbox events. Its name is its identity in the database:
 * processes that register the same name share one cursor per tenant, so each event
 * reaches the name once however many processes dispatch, and a restart resumes it.
 */
export interface Subscriber {
  name: string;
  events: ReadonlySet<EventName>;
  /**
   * Only tenants with saved settings for the integration of this name are routed to
   * it (an integration nobody configured costs no delivery work per event).
   */
  configuredOnly?: boolean;
  /**
   * Delivers one event. Resolves true when delivered, false when this event needs no
   * delivery (nothing is recorded); throws to be retried later with back-off. `turn`
   * lives for one claimed run of one tenant's events: a place to keep what every
   * event of the run needs (such as the tenant's settings).
   */
  deliver(event: OutboxEvent, attempt: number, turn: Map<string, unknown>): Promise<boolean>;
}

export interface DispatcherOptions extends RetrySchedule {
  /** The idle poll (one tiny statement); commits in this process also poke the dispatcher directly. */
  pollMs: number;
  /**
   * How long a claimed (tenant, subscriber) pair stays with one process without a
   * heartbeat: the owner renews it every third of this while it works, so after a
   * crash another process takes the pair over within this time.
   */
  leaseMs: number;
  /** A subscriber that takes longer fails this attempt (and is retried). */
  timeoutMs: number;
  /** Pairs claimed per pass, and events read per claim. */
  batch: number;
  /** Passes started by commits are at least this far apart, so a busy service batches its deliveries. */
  passGapMs: number;
  /** Delivered events older than this are deleted (0 keeps them forever). */
  retentionMs: number;
  /** How often this process prunes the outbox. */
  pruneEveryMs: number;
  onError: (error: unknown) => void;
}

const fromEnv = (raw: string | undefined, fallback: number) => (Number(raw) > 0 ? Number(raw) : fallback);
const DAY_MS = 24 * 3600_000;

/**
 * Defaults, with the environment's PUNCHCARD_RETRY_BASE_MS / _CAP_MS,
 * PUNCHCARD_DELIVERY_TIMEOUT_MS and PUNCHCARD_OUTBOX_RETENTION_DAYS (default 7).
 */
export function defaultDispatcherOptions(env: NodeJS.ProcessEnv = process.env): DispatcherOptions {
  return {
    baseMs: fromEnv(env.PUNCHCARD_RETRY_BASE_MS, 1000),
    capMs: fromEnv(env.PUNCHCARD_RETRY_CAP_MS, 15 * 60_000),
    pollMs: 1000,
    leaseMs: 6000,
    timeoutMs: fromEnv(env.PUNCHCARD_DELIVERY_TIMEOUT_MS, 10_000),
    batch: 32,
    passGapMs: 25,
    retentionMs: fromEnv(env.PUNCHCARD_OUTBOX_RETENTION_DAYS, 7) * DAY_MS,
    pruneEveryMs: 15 * 60_000,
    onError: (error) => console.error('punchcard outbox:', error),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Delivers committed outbox events to subscribers: at least once, in `seq` order per
 * tenant and subscriber — which is commit order for each client's events — (a failing
 * event holds back that subscriber's later events of the same tenant, and nothing
 * else), retried with back-off. A pass observes the horizon (one statement), sorts
 * newly final events into (tenant, subscriber) cursors, claims owed pairs and starts
 * them without waiting, so one slow subscriber never delays others.
 */
export function createDispatcher(orm: MikroORM, options: DispatcherOptions) {
  const store = outboxStore(orm);
  const horizon = createHorizon();
  const owner = newId('dispatcher');
  const subscribers = new Map<string, Subscriber>();
  const registrations = new Set<Promise<void>>();
  /** Pairs this process is delivering now, by `tenant/subscriber`: it never works one twice at once. */
  const working = new Map<string, Promise<void>>();
  /** The lease token each of those works under, by the same key. */
  const leases = new Map<string, string>();
  let claims = 0;
  let passing: Promise<void> | null = null;
  let again = false;
  let lastPassAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let settleTimer: NodeJS.Timeout | undefined;
  let settleDelay = 0;
  let stopped = false;
  /** Observations go one after another (horizon.ts depends on it). */
  let observing: Promise<unknown> = Promise.resolve();

  function observe(names: readonly string[]) {
    const next = observing.then(async () => {
      const seen = await store.observe(names);
      horizon.observe(seen);
      return seen;
    });
    observing = next.catch(() => {});
    return next;
  }

  /** While numbers are drawn but not final (a transaction still open), look again soon, then less often. */
  function settleLater(): void {
    if (settleTimer || stopped) return;
    settleDelay = Math.min(options.pollMs, Math.max(options.passGapMs, settleDelay * 2));
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      poke();
    }, settleDelay);
    settleTimer.unref();
  }

  function keepLeases(): void {
    if (heartbeat || stopped) return;
    heartbeat = setInterval(
      () => {
        if (working.size === 0) {
          clearInterval(heartbeat);
          heartbeat = undefined;
          return;
        }
        store.heartbeat([...leases.values()], options.leaseMs).catch(options.onError);
      },
      Math.max(10, Math.floor(options.leaseMs / 3)),
    );
    heartbeat.unref();
  }

  async function deliverPair(pair: ClaimedPair): Promise<void> {
    const subscriber = subscribers.get(pair.subscriber);
    let position = pair.lastSeq;
    try {
      if (!subscriber) return;
      const events = await store.eventsAfter(pair, pair.lastSeq, options.batch);
      let retrying = pair.retrying;
      const turn = new Map<string, unknown>();
      for (const event of events) {
        if (stopped) return;
        if (!subscriber.events.has(event.name)) {
          position = event.seq;
          continue;
        }
        const attempt =
          (retrying ? await store.attemptsSoFar(pair.tenantId, pair.subscriber, event.seq) : 0) + 1;
        retrying = false;
        let delivered: boolean;
        try {
          delivered = await withTimeout(subscriber.deliver(event, attempt, turn), options.timeoutMs);
        } catch (error) {
          const retryInMs = retryDelayMs(attempt, options);
          await store.settle(
            pair,
            { seq: event.seq, attempts: attempt, ok: false, error: messageOf(error), retryInMs },
            position,
            options.leaseMs,
          );
          position = -1;
          return;
        }
        if (delivered) {
          const kept = await store.settle(
            pair,
            { seq: event.seq, attempts: attempt, ok: true },
            position,
            options.leaseMs,
          );
          if (!kept) return;
        }
        position = event.seq;
      }
      if (events.length === options.batch) again = true;
    } finally {
      // A failed attempt already ended the pair's turn with its retry time.
      await store.release(pair, position).catch(options.onError);
    }
  }

  async function pass(tenantId?: string): Promise<number> {
    await Promise.all(registrations);
    const names = [...subscribers.keys()];
    if (names.length === 0 || stopped) return 0;
    let seen = await observe(names);
    // Idle, a number drawn since the last look settles with one more look.
    if (horizon.unsettled) seen = await observe(names);
    if (horizon.unsettled) settleLater();
    else settleDelay = 0;
    let routed = 0;
    if (horizon.safe > seen.routed) {
      const targets = [...subscribers.values()].map((s) => ({
        name: s.name,
        configuredOnly: s.configuredOnly === true,
      }));
      routed = await store.route(targets, seen.routed, horizon.safe);
    }
    if (!seen.claimable && routed === 0) return 0;
    // A token per claim: a worker whose lease was taken over (it lapsed, or an admin
    // skipped its event) can no longer write, even when this process took it over.
    const claimed = await store.claim(
      names,
      `${owner}.${++claims}`,
      options.leaseMs,
      options.batch,
      tenantId,
    );
    for (const pair of claimed) {
      const key = `${pair.tenantId}/${pair.subscriber}`;
      if (working.has(key)) {
        // The old worker here stops at its next write; the pair is claimed again after it.
        await store.release(pair, pair.lastSeq);
        again = true;
        continue;
      }
      leases.set(key, pair.lease);
      const work = deliverPair(pair)
        .catch(options.onError)
        .finally(() => {
          working.delete(key);
          leases.delete(key);
          poke();
        });
      working.set(key, work);
    }
    if (working.size > 0) keepLeases();
    return claimed.length;
  }

  /** Runs a pass soon; pokes that arrive during a pass fold into one more pass. */
  function poke(): void {
    if (stopped) return;
    if (passing) {
      again = true;
      return;
    }
    passing = (async () => {
      do {
        again = false;
        const wait = lastPassAt + options.passGapMs - Date.now();
        if (wait > 0) await sleep(wait);
        lastPassAt = Date.now();
        await pass().catch(options.onError);
      } while (again && !stopped);
    })().finally(() => {
      passing = null;
    });
  }

  /**
   * Deletes delivered events older than the retention, in batches along the `seq`
   * index. Events still owed to a subscriber some process ran within the retention
   * stay; this process first says which subscribers it runs.
   */
  async function prune(now = new Date()): Promise<number> {
    if (options.retentionMs <= 0) return 0;
    await Promise.all(registrations);
    if (subscribers.size > 0) await store.seen([...subscribers.keys()], now);
    const before = new Date(now.getTime() - options.retentionMs);
    let after = -1n;
    let total = 0;
    for (let batch = 0; batch < 1000 && !stopped; batch++) {
      const { deleted, next } = await store.prune(before, after, 1000);
      total += deleted;
      if (next === null) break;
      after = next;
    }
    return total;
  }

  return {
    owner,
    subscribe(subscriber: Subscriber, registeredAt = new Date()): void {
      if (subscribers.has(subscriber.name))
        throw new Error(`outbox subscriber '${subscriber.name}' is already registered`);
      subscribers.set(subscriber.name, subscriber);
      const registration = store.register(subscriber.name, registeredAt).finally(() => {
        registrations.delete(registration);
      });
      registrations.add(registration);
    },
    /** Stops delivering to a subscriber; a process-local one is also forgotten by the database. */
    async unsubscribe(name: string, forget: boolean): Promise<void> {
      subscribers.delete(name);
      if (forget) await store.forget(name);
    },
    poke,
    prune,
    start(): void {
      timer ??= setInterval(poke, options.pollMs);
      timer.unref();
      if (options.retentionMs > 0 && !pruneTimer) {
        pruneTimer = setInterval(() => prune().catch(options.onError), options.pruneEveryMs);
        pruneTimer.unref();
      }
      poke();
    },
    /**
     * Delivers until every subscriber of this process has caught up with what was
     * committed before the call (with one tenant, or all), waiting out retries and
     * transactions still open; throws if that takes longer than `timeoutMs`. For
     * tests and for a host's graceful shutdown.
     */
    async drain({
      tenantId,
      timeoutMs = 15_000,
    }: {
      tenantId?: string;
      timeoutMs?: number;
    } = {}): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      await Promise.all(registrations);
      if (subscribers.size === 0) return;
      const upTo = (await observe([...subscribers.keys()])).last;
      for (;;) {
        await pass(tenantId);
        // Only this tenant's work in flight: another tenant's slow endpoint is not waited for.
        await Promise.all(
          [...working].filter(([key]) => !tenantId || key.startsWith(`${tenantId}/`)).map(([, w]) => w),
        );
        const names = [...subscribers.keys()];
        if (names.length === 0) return;
        if ((await store.behind(names, upTo, tenantId)) === 0) return;
        if (Date.now() > deadline)
          throw new Error('outbox drain timed out: deliveries are failing, or a transaction is still open');
        await sleep(Math.min(50, options.baseMs));
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const t of [timer, pruneTimer, heartbeat]) if (t) clearInterval(t);
      if (settleTimer) clearTimeout(settleTimer);
      await passing;
      await Promise.all([...working.values()]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
