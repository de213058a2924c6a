import { type ChildProcess, spawn } from 'node:child_process';

/** A service process and everything it has printed so far. */
export type ServerProcess = ChildProcess & { output: () => string };

function spawnServer(env: Record<string, string>) {
  let output = '';
  const child = spawn(process.execPath, ['src/server.ts'], {
    env: { ...process.env, PUNCHCARD_DEMO: '0', PUNCHCARD_SWEEP_SECONDS: '3600', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return Object.assign(child, { output: () => output });
}

/** The standalone service in its own process, as it is deployed; resolves once it listens. */
export function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnServer(env);
    const timer = setTimeout(
      () => reject(new Error(`the service did not start:\n${child.output()}`)),
      timeoutMs,
    );
    const watch = () => {
      if (child.output().includes('listening on')) {
        clearTimeout(timer);
        // The banner is printed in one go right after this line; let it arrive.
        setTimeout(() => resolve(child), 200);
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code}:\n${child.output()}`));
    });
  });
}

/** Starts the service expecting it to refuse to start: resolves with its exit code and output. */
export function serverProcessRefused(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnServer(env);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit:\n${child.output()}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: child.output() });
    });
  });
}
