import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PunchcardError } from '../errors.ts';
import type { Batch, Simulation } from './replay.ts';
import type { FromReplay, ReplaySetup } from './simulate-worker.ts';

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
 * One simulate's replay thread. `send` posts a batch and waits while more than
 * `ahead` batches are unacknowledged (so memory holds a couple of windows, not the
 * range); `finish` waits for the answer. Every wait ends at the deadline, which
 * terminates the worker; `stop` always terminates it.
 */
export function startReplay(setup: ReplaySetup, deadline: number, seconds: number) {
  const worker = new Worker(workerFile, { workerData: setup, name: 'punchcard-simulate' });
  const inbox: FromReplay[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: FromReplay) => {
    inbox.push(m);
    notify();
  });
  worker.on('error', (e) => {
    failure ??= e;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the simulate worker exited (${code})`);
    notify();
  });

  /** The worker's next message, or the deadline's 503, or its failure. */
  async function next(): Promise<FromReplay> {
    for (;;) {
      const m = inbox.shift();
      if (m) {
        if ('failed' in m) {
          const { category, message, errors } = m.failed;
          throw category ? new PunchcardError(category, message, errors) : new Error(message);
        }
        return m;
      }
      if (failure) throw failure;
      const left = deadline - Date.now();
      if (left <= 0) throw tooLong(seconds);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
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
      worker.postMessage(batch);
      sent++;
      while (sent - acked > ahead) {
        const m = await next();
        if ('ack' in m) acked = m.ack;
      }
    },
    async finish(): Promise<Simulation> {
      worker.postMessage({ end: true });
      for (;;) {
        const m = await next();
        if ('done' in m) return m.done;
      }
    },
    stop: () => worker.terminate(),
  };
}
