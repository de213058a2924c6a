import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { openReader } from '../db/reader.ts';
import { PunchcardError } from '../errors.ts';
// The compiler alone, not the policy package (its validation and lint): less to load in a new thread.
import { type CompiledPolicy, compileRuleset } from '../policy/compile.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import {
  type Batch,
  emptySimulation,
  type PurchasesByClient,
  type ReplayClock,
  replayBatch,
  type Simulation,
} from './replay.ts';
import { readWindows } from './simulate-read.ts';

/**
 * The replay thread of simulate (see simulate.ts and replay-thread.ts). Each run
 * starts with its setup, then either is sent batches (structured clones: Dates and
 * all; PGlite), acknowledging each, or reads its windows itself on a connection of
 * its own (`read`; PostgreSQL), and answers the simulation after `end`. The thread is kept
 * between runs; it runs at a lower priority than the request thread, so on a busy
 * machine the requests of other tenants go first.
 */
export interface ReplaySetup {
  ruleset: Ruleset;
  hash: string;
  tenantId: string;
  actor: string;
  now: string;
}

/** Windows for the thread to read itself, on a connection of its own to the server at `url`. */
export interface ToRead {
  url: string;
  windows: [Date, Date][];
  /** Windows read ahead of the one replayed. */
  ahead: number;
}

export type ToReplay = { run: number } & (
  | { start: ReplaySetup }
  | { batch: Batch }
  | { read: ToRead }
  | { end: true }
);

export type FromReplay = { run: number } & (
  | { ack: number }
  | { done: Simulation }
  | {
      failed: {
        category: PunchcardError['category'] | null;
        message: string;
        errors: PunchcardError['errors'];
      };
    }
);

try {
  // Nice 10 for this thread only (Linux gives each thread its own nice value).
  setPriority(10);
} catch {
  // Not permitted or not supported: the replay runs at the usual priority.
}

const port = parentPort;
if (!port) throw new Error('simulate-worker runs as a worker thread');

/** The run under way (one at a time: simulate.ts lets one per process). */
let state: {
  policy: CompiledPolicy;
  clock: ReplayClock;
  simulation: Simulation;
  purchases: PurchasesByClient;
  batches: number;
};

/** Reservations replayed between two turns of this thread's event loop. */
const slice = 250;

/**
 * Reads the windows in order (the next ones while this one replays) and replays them,
 * a slice at a time. A run stopped at its deadline terminates the thread, and its
 * connection with it.
 */

async function readAndReplay({ url, windows, ahead }: ToRead): Promise<void> {
  const reader = await openReader(url);
  try {
    const ctx = { tx: reader.tx, tenantId: state.clock.tenantId };
    for await (const batch of readWindows(ctx, windows, ahead)) {
      const { reservations, purchases } = batch;
      for (let i = 0; i === 0 || i < reservations.length; i += slice) {
        const part = { reservations: reservations.slice(i, i + slice), purchases: i === 0 ? purchases : [] };
        replayBatch(state.simulation, state.clock, state.policy, part, state.purchases);
        // Between slices the reads ahead move on: their answers are taken, their next statements sent.
        await new Promise(setImmediate);
      }
    }
  } finally {
    await reader.close();
  }
}

async function handle(message: ToReplay): Promise<void> {
  const { run } = message;
  try {
    if ('start' in message) {
      const setup = message.start;
      state = {
        policy: compileRuleset(setup.ruleset, setup.hash),
        clock: { tenantId: setup.tenantId, actor: setup.actor, now: new Date(setup.now) },
        simulation: emptySimulation(),
        purchases: new Map(),
        batches: 0,
      };
    } else if ('batch' in message) {
      replayBatch(state.simulation, state.clock, state.policy, message.batch, state.purchases);
      port?.postMessage({ run, ack: ++state.batches } satisfies FromReplay);
    } else if ('read' in message) await readAndReplay(message.read);
    else port?.postMessage({ run, done: state.simulation } satisfies FromReplay);
  } catch (error) {
    const known = error instanceof PunchcardError;
    port?.postMessage({
      run,
      failed: {
        category: known ? error.category : null,
        message: error instanceof Error ? error.message : String(error),
        errors: known ? error.errors : [],
      },
    } satisfies FromReplay);
  }
}

/** Messages are handled one after the other: a run's `end` waits for its reads. */
let handled: Promise<void> = Promise.resolve();
port.on('message', (message: ToReplay) => {
  handled = handled.then(() => handle(message));
});
