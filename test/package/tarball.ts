import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The package as a host gets it: `npm pack` (which runs `prepare`, the build), then
 * host projects from test/hosts/ that install that tarball, never the sources.
 * Each host is installed in a temporary folder kept between runs (one per checkout),
 * so npm fetches the host's own dependencies (from its cache or the registry) the
 * first time, and after that only swaps the tarball. Not under node_modules: Node
 * strips types only outside it, and the hosts are TypeScript.
 */
const root = resolve(import.meta.dirname, '../..');
const work = join(tmpdir(), `punchcard-hosts-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);
const run = promisify(execFile);

/** Child processes run on this Node (22, the repo's own), npm included. */
export const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
};

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: childEnv(),
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout;
}

/** Packs the repo; the file is named by its content so npm sees every change as a new package. */
export async function packPunchcard(): Promise<string> {
  const out = join(work, 'pack');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await npm(['pack', '--pack-destination', out], root);
  const file = join(out, readdirSync(out).find((f) => f.endsWith('.tgz')) ?? 'no tarball was packed');
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  const named = join(work, `punchcard-${hash}.tgz`);
  renameSync(file, named);
  return named;
}

/** The names of the files in a tarball, without the `package/` folder npm puts them in. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

/** Copies test/hosts/<name> to its working folder and installs the tarball there; returns the folder. */
export async function installHost(name: string, tarball: string): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (entry !== 'node_modules' && entry !== 'package-lock.json')
      rmSync(join(dir, entry), { recursive: true });
  }
  cpSync(join(root, 'test', 'hosts', name), dir, { recursive: true });
  await npm(['install', '--prefer-offline', tarball], dir);
  return dir;
}

/**
 * The install line of the README's host section, split into words: what a new host
 * types, so that the test below runs it as printed and the two cannot drift.
 */
export function readmeInstallCommand(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## For host engineers');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const line = /^npm install .*\.\/punchcard-\S+\.tgz.*$/m.exec(section)?.[0];
  if (!line) throw new Error('the README host section has no `npm install ./punchcard-….tgz` line');
  return line.trim().split(/\s+/);
}

/**
 * A new host as the README tells it: an empty ESM project (no lockfile, nothing pinned),
 * the tarball under the name the command uses, the README's install command run as
 * printed (the cache may answer: `--prefer-offline`), then test/hosts/readme-host/main.js.
 */
export async function installAsReadme(tarball: string): Promise<string> {
  const dir = join(work, 'readme-host');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'readme-host', type: 'module' })}\n`);
  const [command, ...args] = readmeInstallCommand();
  if (command !== 'npm') throw new Error(`the README's install command runs ${command}, not npm`);
  const file = args.find((arg) => arg.endsWith('.tgz')) ?? '';
  copyFileSync(tarball, join(dir, file));
  await npm([...args, '--prefer-offline'], dir);
  cpSync(join(root, 'test', 'hosts', 'readme-host', 'main.js'), join(dir, 'main.js'));
  return dir;
}

/** Every copy of a `@mikro-orm/*` package under node_modules, nested ones too, as `name@version`. */
export function mikroOrmCopies(nodeModules: string): string[] {
  const found: string[] = [];
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const packages = entry.startsWith('@')
      ? readdirSync(join(nodeModules, entry)).map((name) => `${entry}/${name}`)
      : [entry];
    for (const name of packages) {
      const dir = join(nodeModules, name);
      if (name.startsWith('@mikro-orm/')) {
        const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        found.push(`${name}@${version}`);
      }
      found.push(...mikroOrmCopies(join(dir, 'node_modules')));
    }
  }
  return found.sort();
}

/** `tsc --noEmit` in the host folder: its code against the published declarations. */
export async function typecheckHost(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [join(dir, 'node_modules/typescript/bin/tsc'), '--noEmit'],
      {
        cwd: dir,
      },
    );
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

export interface RunningHost {
  base: string;
  stop: () => Promise<void>;
}

/** Starts `node <entry>` in a host folder and waits for the port it prints. */
export function startHost(
  dir: string,
  env: Record<string, string>,
  entry = 'src/main.ts',
): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: dir,
    env: childEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`host in ${dir} did not start:\n${output}`));
    }, 180_000);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const port = /listening on (\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        ready({ base: `http://127.0.0.1:${port}`, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`host in ${dir} exited with ${code}:\n${output}`));
    });
  });
}
