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
    expect(out.stdout).toMatch(/^rules\/mytime\.json: valid \(13 rules, sha256 [0-9a-f]{12}\)/);
  });

  it('test: each embedded test on a line, with the count', () => {
    const out = run('test', 'rules/gymgo.json');
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('21 passed, 0 failed');
  });

  it('a faulty file: pointers on stderr, exit 1; bad usage exits 2', () => {
    const file = badFile();
    const out = run('validate', file);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`${file}#/rules/0/conditions/all/0/value: 'in' needs a list value`);
    expect(run('frobnicate').status).toBe(2);
  });

  it('validate checks every file given, and the exit code reflects all of them', () => {
    const bad = badFile();
    const both = run('validate', bad, 'rules/mytime.json');
    expect(both.status).toBe(1);
    expect(both.stderr).toContain(`${bad}#/rules/0/conditions/all/0/value`);
    expect(both.stdout).toMatch(/^rules\/mytime\.json: valid \(13 rules/);
    const good = run('validate', 'rules/mytime.json', 'rules/gymgo.json');
    expect(good.status).toBe(0);
    expect(good.stdout.trim().split('\n')).toHaveLength(2);
    expect(run('test', 'rules/gymgo.json', bad).status).toBe(1);
  }, 90_000); // three processes, each starting Node twice (bin/punchcard.mjs re-runs itself)

  it('--help prints the usage and exits 0; no file is bad usage (2)', () => {
    for (const args of [['--help'], ['validate', '-h']]) {
      const out = run(...args);
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('usage: punchcard validate FILE...');
    }
    const none = run('validate');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage:');
  }, 90_000);
});

/** A rule set whose only fault is `in` with a string value. */
function badFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'punchcard-')), 'bad.json');
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
  return file;
}
