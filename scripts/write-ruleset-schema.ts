import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RulesetSchema } from '../src/policy/ruleset-schema.ts';

/** Writes rules/schema/ruleset.schema.json from the TypeBox definition (npm run schema). */
export const schemaFile = fileURLToPath(new URL('../rules/schema/ruleset.schema.json', import.meta.url));
export const schemaText = () =>
  `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...RulesetSchema }, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, schemaText());
  console.log(`wrote ${schemaFile}`);
}
