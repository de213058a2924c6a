/**
 * Build-time inputs of the console, generated from the service's own sources so
 * nothing is written twice: the API types from the live OpenAPI document
 * (openapi-typescript), and the rule-set schema check as a precompiled ajv module
 * (the page then needs no `eval`, so its CSP can forbid it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import openapiTS, { astToString } from 'openapi-typescript';
import { createApp } from '../../src/http/app.ts';
import { openApiDocument } from '../../src/http/openapi.ts';
import { RulesetSchema } from '../../src/policy/ruleset-schema.ts';

void createApp; // importing the app registers every route's operation
const out = new URL('../generated/', import.meta.url);
await mkdir(out, { recursive: true });

const document = openApiDocument();
await writeFile(new URL('openapi.json', out), `${JSON.stringify(document, null, 2)}\n`);
// openapi-typescript cannot follow $refs inside if/then/else (the rule-set conditions use
// them) and gives them no type anyway: drop those keywords from the copy it reads.
// Nor $refs that point inside a component (`#/components/schemas/Ruleset/properties/…`):
// those become open schemas in the copy (the console checks rule sets with the real schema).
function forTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forTypes);
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && (!ref.startsWith('#/components/') || ref.split('/').length > 4)) return {};
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'if' && key !== 'then' && key !== 'else')
      .map(([key, v]) => [key, forTypes(v)]),
  );
}
const types = astToString(await openapiTS(forTypes(document) as Parameters<typeof openapiTS>[0]));
await writeFile(
  new URL('api.d.ts', out),
  `// Generated from /openapi.json by console/scripts/generate.ts\n${types}`,
);

const ajv = new Ajv2020({ allErrors: true, strict: false, code: { source: true, esm: true } });
const validate = ajv.compile(RulesetSchema);
// ajv's one runtime helper here (string length in code points) is a CommonJS require; inline it.
const code = standaloneCode(ajv, validate).replaceAll(
  'require("ajv/dist/runtime/ucs2length").default',
  '((text) => [...text].length)',
);
if (code.includes('require(')) throw new Error('validate-ruleset.js still requires a module');
await writeFile(new URL('validate-ruleset.js', out), code);
await writeFile(
  new URL('validate-ruleset.d.ts', out),
  `import type { ErrorObject } from 'ajv';
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
`,
);
console.log('console: generated api.d.ts and validate-ruleset.js');
