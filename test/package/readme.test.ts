import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

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
});
