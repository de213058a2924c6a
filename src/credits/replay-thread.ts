import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PunchcardError } from '../errors.ts';
import type { Batch, Simulation } from './replay.ts';
import type { FromReplay, ReplaySetup, ToRead, ToReplay } from './simulate-worker.ts';

/**
 * The worker's file next to this one, with this one's extension: `.ts` when the
 * sources run (Node strips their types), `.js` from the published build (dist/).
 */
export const workerFile = new URL(
  `./simulate-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/** Past the deadline: the worker is stopped and the call answers 503. */
export const tooLong = (seconds: number) =>
  new PunchcardError(
    'busy',
    `simulate stopped at its limit of ${seconds} s per call: narrow from/to (or try again when the service is less busy)`,
  );

/**
 * The process's one replay thread, started by the first simulate and kept for the
 * next (loading the engine in a new thread takes a while); it does not keep the
 * process alive. A run past its deadline or a thread that failed is dropped: the
 * next simulate starts a new one.
 */
interface ReplayThread {
  worker: Worker;
  inbox: FromReplay[];
  failure: Error | null;
  wake: (() => void) | null;
}
let current: ReplayThread | null = null;
let runs = 0;

function replayThread(): ReplayThread {
  if (current && !current.failure) return current;
  // A young generation larger than the default: the replay makes short-lived copies
  // by the hundred thousand, and fewer, larger scavenges cost it less.
  const worker = new Worker(workerFile, {
    name: 'punchcard-simulate',
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
  const thread: ReplayThread = { worker, inbox: [], failure: null, wake: null };
  const notify = () => {
    thread.wake?.();
    thread.wake = null;
  };
  worker.on('message', (m: FromReplay) => {
    thread.inbox.push(m);
    notify();
  });
  worker.on('error', (e) => {
    thread.failure ??= e;
    notify();
  });
  worker.on('exit', (code) => {
    thread.failure ??= new Error(`the simulate worker exited (${code})`);
    if (current === thread) current = null;
    notify();
  });
  // After the listeners: adding one refs the thread again.
  worker.unref();
  current = thread;
  return thread;
}

/**
 * One simulate's run on the replay thread. `read` has the thread read and replay the
 * windows itself; else `send` posts a batch and waits while more
 * than `ahead` batches are unacknowledged (memory holds a few windows, not the
 * range); `finish` waits for the answer. Every wait ends at the deadline, which
 * terminates the thread.
 */
export function startReplay(setup: ReplaySetup, deadline: number, seconds: number) {
  const thread = replayThread();
  const run = ++runs;
  thread.inbox.length = 0;
  const post = (m: ToReplay) => thread.worker.postMessage(m);
  post({ run, start: setup });

  /** This run's next message, or the deadline's 503, or the thread's failure. */
  async function next(): Promise<FromReplay> {
    for (;;) {
      const m = thread.inbox.shift();
      if (m?.run === run) {
        if ('failed' in m) {
          const { category, message, errors } = m.failed;
          throw category ? new PunchcardError(category, message, errors) : new Error(message);
        }
        return m;
      }
      if (m) continue;
      if (thread.failure) throw thread.failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        await thread.worker.terminate();
        throw tooLong(seconds);
      }
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        thread.wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  let sent = 0;
  let acked = 0;
  const ahead = 2;
  return {
    async send(batch: Batch) {
      post({ run, batch });
      sent++;
      while (sent - acked > ahead) {
        const m = await next();
        if ('ack' in m) acked = m.ack;
      }
    },
    /** Has the thread read the windows itself (PostgreSQL: a connection of its own) and replay them. */
    read(toRead: ToRead) {
      post({ run, read: toRead });
    },
    async finish(): Promise<Simulation> {
      post({ run, end: true });
      for (;;) {
        const m = await next();
        if ('done' in m) return m.done;
      }
    },
    /** A run left unfinished (its caller failed) leaves the thread to the next run, which ignores its messages. */
    stop: async () => {
      if (Date.now() >= deadline) await thread.worker.terminate();
    },
  };
}
