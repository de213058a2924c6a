import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { PunchcardError } from '../errors.ts';
import { compilePolicy } from '../policy/index.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import { type Batch, emptySimulation, replayBatch } from './replay.ts';

/**
 * The replay of one simulate, off the request thread (see simulate.ts). It is sent
 * batches (structured clones: Dates and all), acknowledges each, and answers the simulation after 'end'.
 * It runs at a lower priority than the request thread, so on a busy machine the
 * requests of other tenants go first.
 */
export interface ReplaySetup {
  ruleset: Ruleset;
  hash: string;
  tenantId: string;
  actor: string;
  now: string;
}

export type FromReplay =
  | { ack: number }
  | { done: ReturnType<typeof emptySimulation> }
  | {
      failed: {
        category: PunchcardError['category'] | null;
        message: string;
        errors: PunchcardError['errors'];
      };
    };

try {
  // Nice 10 for this thread only (Linux gives each thread its own nice value).
  setPriority(10);
} catch {
  // Not permitted or not supported: the replay runs at the usual priority.
}

const setup = workerData as ReplaySetup;
const port = parentPort;
if (!port) throw new Error('simulate-worker runs as a worker thread');
const policy = compilePolicy(setup.ruleset, setup.hash);
const clock = { tenantId: setup.tenantId, actor: setup.actor, now: new Date(setup.now) };
const simulation = emptySimulation();
let batches = 0;
const answer = (message: FromReplay) => port.postMessage(message);

port.on('message', (message: Batch | { end: true }) => {
  try {
    if (!('end' in message)) {
      replayBatch(simulation, clock, policy, message);
      answer({ ack: ++batches });
    } else {
      answer({ done: simulation });
    }
  } catch (error) {
    const known = error instanceof PunchcardError;
    answer({
      failed: {
        category: known ? error.category : null,
        message: error instanceof Error ? error.message : String(error),
        errors: known ? error.errors : [],
      },
    });
  }
});
