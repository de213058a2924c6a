import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { request } from '../support/api.ts';

const root = join(import.meta.dirname, '..', '..');

describe('Redocly', () => {
  it('the live document passes the recommended ruleset with no error and no warning', async () => {
    const doc = await request('GET', '/openapi.json');
    const dir = mkdtempSync(join(tmpdir(), 'punchcard-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc.body));
      const { stdout } = await promisify(execFile)(
        join(root, 'node_modules', '.bin', 'redocly'),
        ['lint', file, '--config', join(root, 'redocly.yaml'), '--format=json'],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      );
      const report = JSON.parse(stdout) as { totals: object; problems: unknown[] };
      expect(report.problems).toEqual([]);
      expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
