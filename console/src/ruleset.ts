/**
 * The rule set as the screens read it. The generated `components['schemas']['Ruleset']`
 * keeps a rule's `conditions` open (`unknown`): openapi-typescript cannot follow the
 * schema's if/then/else, so console/scripts/generate.ts drops those keywords from the
 * copy it reads. Where the conditions matter (plain words, the editor's lint) the
 * console uses the server's own `Ruleset` instead, which is derived from the TypeBox
 * schema (src/policy/ruleset-schema.ts), not written by hand, and gets there by
 * checking the value against that same schema, precompiled: an answer or a draft
 * becomes a `Ruleset` only when it is one.
 */
import type { Ruleset } from '../../src/policy/ruleset-schema.ts';
import validateShape from '../generated/validate-ruleset.js';

export type { Ruleset };

/** True when `value` passes the rule-set schema; its faults are then in `validateShape.errors`. */
export const isRuleset = (value: unknown): value is Ruleset => validateShape(value);

export { validateShape };
