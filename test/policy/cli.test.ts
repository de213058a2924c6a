import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/punchcard.mjs', ...args], { encoding: 'utf8' });

describe('punchcard command line', () => {
  it('validate: a preset is valid (exit 0)', () => {
    const out = run('validate', 'rules/mytime.json');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^rules\/mytime\.json: valid \(12 rules, sha256 [0-9a-f]{12}\)/);
  });

  it('test: each embedded test on a line, with the count', () => {
    const out = run('test', 'rules/gymgo.json');
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('8 passed, 0 failed');
  });

  it('a faulty file: pointers on stderr, exit 1; bad usage exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'punchcard-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'bad',
        name: 'Bad',
        settings: { zeroPriceUsesCredits: false, unlimitedLabelThreshold: 100 },
        rules: [
          {
            name: 'r',
            decision: 'usage',
            priority: 1,
            conditions: { all: [{ fact: 'trigger', operator: 'in', value: 'booked' }] },
            event: { type: 'use' },
          },
        ],
      }),
    );
    const out = run('validate', file);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`${file}#/rules/0/conditions/all/0/value: 'in' needs a list value`);
    expect(run('frobnicate').status).toBe(2);
  });
});
