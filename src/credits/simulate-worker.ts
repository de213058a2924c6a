import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { PunchcardError } from '../errors.ts';
import { type CompiledPolicy, compilePolicy } from '../policy/index.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import {
  type Batch,
  emptySimulation,
  type PurchasesByClient,
  type ReplayClock,
  replayBatch,
  type Simulation,
} from './replay.ts';

/**
 * The replay thread of simulate (see simulate.ts and replay-thread.ts). Each run
 * starts with its setup, is sent batches (structured clones: Dates and all),
 * acknowledges each, and answers the simulation after `end`. The thread is kept
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

export type ToReplay = { run: number } & ({ start: ReplaySetup } | { batch: Batch } | { end: true });

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

port.on('message', (message: ToReplay) => {
  const { run } = message;
  try {
    if ('start' in message) {
      const setup = message.start;
      state = {
        policy: compilePolicy(setup.ruleset, setup.hash),
        clock: { tenantId: setup.tenantId, actor: setup.actor, now: new Date(setup.now) },
        simulation: emptySimulation(),
        purchases: new Map(),
        batches: 0,
      };
    } else if ('batch' in message) {
      replayBatch(state.simulation, state.clock, state.policy, message.batch, state.purchases);
      port.postMessage({ run, ack: ++state.batches } satisfies FromReplay);
    } else port.postMessage({ run, done: state.simulation } satisfies FromReplay);
  } catch (error) {
    const known = error instanceof PunchcardError;
    port.postMessage({
      run,
      failed: {
        category: known ? error.category : null,
        message: error instanceof Error ? error.message : String(error),
        errors: known ? error.errors : [],
      },
    } satisfies FromReplay);
  }
});
