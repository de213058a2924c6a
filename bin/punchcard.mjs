#!/usr/bin/env node
// The `punchcard` command. In a checkout it runs the TypeScript sources (Node strips
// the types); installed from the package, where src/ is not shipped, it runs the
// build in dist/. npx may start it on an older Node than the project needs
// (MikroORM 7 and the TypeScript sources want Node >= 22.17), so it re-runs itself
// on the Node 22 that the `node` dev dependency installs, when it has to.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'policy', 'cli.ts');
const cli = existsSync(source) ? source : join(root, 'dist', 'src', 'policy', 'cli.js');
const [major, minor] = process.versions.node.split('.').map(Number);
let node = process.execPath;
if (major < 22 || (major === 22 && minor < 17)) {
  try {
    const require = createRequire(join(root, 'package.json'));
    const candidate = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
    if (existsSync(candidate)) node = candidate;
  } catch {
    console.error('punchcard needs Node >= 22.17 (in a checkout, `npm ci` installs it)');
    process.exit(2);
  }
}
const result = spawnSync(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 2);
