import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeInstallCommand } from './tarball.ts';

describe('the README for host engineers', () => {
  it('shows the Hono host exactly as the host test runs it', () => {
    const host = readFileSync('test/hosts/hono-host/src/host.ts', 'utf8');
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`ts\n${host}\`\`\``);
  });

  it('mounts Express the way the Express host does', () => {
    const host = readFileSync('test/hosts/express-host/src/host.ts', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    for (const line of [
      "const mounted = new Hono().route('/api/credits', credits.app);",
      "app.all('/api/credits/{*rest}', getRequestListener(mounted.fetch));",
    ]) {
      expect(host).toContain(line);
      expect(readme).toContain(line);
    }
  });

  it('shows the new host main.js the install test runs', () => {
    const main = readFileSync('test/hosts/readme-host/main.js', 'utf8');
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`js\n${main}\`\`\``);
  });

  it('installs MikroORM at the one version the repo pins, exactly, with the tarball of this version', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const pinned = Object.entries(manifest.devDependencies as Record<string, string>).filter(([name]) =>
      name.startsWith('@mikro-orm/'),
    );
    const version = pinned[0]?.[1];
    expect(pinned.map(([, v]) => v)).toEqual(pinned.map(() => version));
    expect(readmeInstallCommand()).toEqual([
      'npm',
      'install',
      '--save-exact',
      `./punchcard-${manifest.version}.tgz`,
      'hono',
      '@hono/node-server',
      ...['core', 'migrations', 'postgresql', 'pglite'].map((name) => `@mikro-orm/${name}@${version}`),
    ]);
    // punchcard's peer ranges start at that version.
    for (const name of ['core', 'migrations', 'pglite', 'postgresql', 'sql']) {
      expect(manifest.peerDependencies[`@mikro-orm/${name}`]).toBe(`^${version}`);
    }
  });
});
