import { readFileSync } from 'node:fs';
import { lintRuleset } from './lint.ts';
import { runRulesetTests, validateRuleset } from './validate.ts';

const usage = `usage: punchcard validate FILE...   check each rule set: schema and lint
       punchcard test FILE...       the same, then each rule set's own tests, one line each
Faults print as FILE#/pointer. Exit 0 when every file is valid (and its tests pass),
1 when any is not, 2 for bad usage.`;

/**
 * `punchcard validate FILE...` — schema and lint; `punchcard test FILE...` — the same,
 * then the rule set's own tests. Every file is checked; the exit code covers them all.
 */
function main(argv: string[]): number {
  const [command, ...files] = argv;
  if (command === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  if ((command !== 'validate' && command !== 'test') || files.length === 0) {
    console.error(usage);
    return 2;
  }
  // Every file is checked even after one fails, so one run lists every fault.
  return files.map((file) => checkFile(command, file)).reduce((worst, code) => Math.max(worst, code), 0);
}

function checkFile(command: 'validate' | 'test', file: string): number {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${(error as Error).message}`);
    return 1;
  }
  const result = validateRuleset(input);
  if (command === 'test' && (result.ok || result.errors.every((e) => e.path.startsWith('/tests/')))) {
    // Lint passed: show every test, passing or not.
    const ruleset = input as Parameters<typeof runRulesetTests>[0];
    if (lintRuleset(ruleset).length === 0) {
      const failures = new Map(runRulesetTests(ruleset).map((f) => [f.index, f]));
      (ruleset.tests ?? []).forEach((t, i) => {
        const failure = failures.get(i);
        console.log(
          failure
            ? `✗ ${t.name}: expected ${failure.expected.type}, got ${failure.actual.type}${failure.actual.rule ? ` (rule '${failure.actual.rule}')` : ''}`
            : `✓ ${t.name}`,
        );
      });
      console.log(`${(ruleset.tests ?? []).length - failures.size} passed, ${failures.size} failed`);
      return failures.size === 0 ? 0 : 1;
    }
  }
  if (!result.ok) {
    for (const e of result.errors) console.error(`${file}#${e.path}: ${e.message}`);
    return 1;
  }
  console.log(`${file}: valid (${result.ruleset.rules.length} rules, sha256 ${result.hash.slice(0, 12)})`);
  return 0;
}

process.exit(main(process.argv.slice(2)));
