import type { MikroORM } from '@mikro-orm/core';
import type { EventName } from '../events.ts';
import { newId } from '../ids.ts';
import { type RetrySchedule, retryDelayMs } from './backoff.ts';
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
   * Delivers one event. Resolves true when delivered, false when this event needs no
   * delivery (nothing is recorded); throws to be retried later with back-off. `turn`
   * lives for one claimed run of one tenant's events: a place to keep what every
   * event of the run needs (such as the tenant's settings).
   */
  deliver(event: OutboxEvent, attempt: number, turn: Map<string, unknown>): Promise<boolean>;
}

export interface DispatcherOptions extends RetrySchedule {
  /** The safety-net poll; commits also poke the dispatcher directly. */
  pollMs: number;
  /** How long a claimed (tenant, subscriber) pair stays with one process. */
  leaseMs: number;
  /** A subscriber that takes longer fails this attempt (and is retried). */
  timeoutMs: number;
  /** Pairs claimed per pass, and events read per claim. */
  batch: number;
  onError: (error: unknown) => void;
}

const fromEnv = (raw: string | undefined, fallback: number) => (Number(raw) > 0 ? Number(raw) : fallback);

/** Defaults, with the environment's PUNCHCARD_RETRY_BASE_MS / _CAP_MS and PUNCHCARD_DELIVERY_TIMEOUT_MS. */
export function defaultDispatcherOptions(env: NodeJS.ProcessEnv = process.env): DispatcherOptions {
  const timeoutMs = fromEnv(env.PUNCHCARD_DELIVERY_TIMEOUT_MS, 10_000);
  return {
    baseMs: fromEnv(env.PUNCHCARD_RETRY_BASE_MS, 1000),
    capMs: fromEnv(env.PUNCHCARD_RETRY_CAP_MS, 15 * 60_000),
    pollMs: 1000,
    // Renewed after each delivery; a process that dies holding one delays its pair by this much.
    leaseMs: Math.max(5000, 3 * timeoutMs),
    timeoutMs,
    batch: 32,
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
 * Delivers committed outbox events to subscribers: at least once, in commit order per
 * tenant and subscriber (a failing event holds back that subscriber's later events of
 * the same tenant, and nothing else), retried with back-off. Passes are cheap: they
 * claim work and start it without waiting, so one slow subscriber never delays others.
 */
export function createDispatcher(orm: MikroORM, options: DispatcherOptions) {
  const store = outboxStore(orm);
  const owner = newId('dispatcher');
  const subscribers = new Map<string, Subscriber>();
  const registrations = new Set<Promise<void>>();
  /** Pairs this process is delivering now, by `tenant/subscriber`: it never claims one twice at once. */
  const working = new Map<string, Promise<void>>();
  let passing: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let cursorsOpenedAt = 0;

  async function deliverPair(pair: ClaimedPair): Promise<void> {
    const subscriber = subscribers.get(pair.subscriber);
    let position = pair.lastSeq;
    try {
      if (!subscriber) return;
      const events = await store.eventsAfter(pair.tenantId, pair.lastSeq, options.batch);
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
            owner,
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
            owner,
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
      await store.release(pair, owner, position).catch(options.onError);
    }
  }

  async function pass(tenantId?: string): Promise<number> {
    await Promise.all(registrations);
    const names = [...subscribers.keys()];
    if (names.length === 0 || stopped) return 0;
    // New tenants and subscribers get their cursors at most once per poll interval.
    if (Date.now() - cursorsOpenedAt >= options.pollMs) {
      cursorsOpenedAt = Date.now();
      await store.openCursors(names);
    }
    const claimed = await store.claim(
      names,
      owner,
      options.leaseMs,
      options.batch,
      [...working.keys()],
      tenantId,
    );
    for (const pair of claimed) {
      const key = `${pair.tenantId}/${pair.subscriber}`;
      const work = deliverPair(pair)
        .catch(options.onError)
        .finally(() => {
          working.delete(key);
          poke();
        });
      working.set(key, work);
    }
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
        await pass().catch(options.onError);
      } while (again && !stopped);
    })().finally(() => {
      passing = null;
    });
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
    start(): void {
      timer ??= setInterval(poke, options.pollMs);
      timer.unref();
      poke();
    },
    /**
     * Delivers until every subscriber of this process has caught up (with one tenant,
     * or all), waiting out retries; throws if that takes longer than `timeoutMs`.
     * For tests and for a host's graceful shutdown.
     */
    async drain({
      tenantId,
      timeoutMs = 15_000,
    }: {
      tenantId?: string;
      timeoutMs?: number;
    } = {}): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      cursorsOpenedAt = 0;
      for (;;) {
        await pass(tenantId);
        // Only this tenant's work in flight: another tenant's slow endpoint is not waited for.
        await Promise.all(
          [...working].filter(([key]) => !tenantId || key.startsWith(`${tenantId}/`)).map(([, w]) => w),
        );
        const names = [...subscribers.keys()];
        if (names.length === 0) return;
        await store.openCursors(names);
        if ((await store.behind(names, tenantId)) === 0) return;
        if (Date.now() > deadline) throw new Error('outbox drain timed out: deliveries are still failing');
        await sleep(Math.min(50, options.baseMs));
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await passing;
      await Promise.all([...working.values()]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
