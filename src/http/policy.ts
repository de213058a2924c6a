import { type Context, Hono } from 'hono';
import Type, { type Static } from 'typebox';
import { simulate } from '../credits/simulate.ts';
import { RulesetVersion } from '../domain/ruleset-version.ts';
import { PunchcardError } from '../errors.ts';
import { listPresets, loadPreset, RulesetSettingsSchema, validateRuleset } from '../policy/index.ts';
import type { Ruleset } from '../policy/ruleset-schema.ts';
import { activePolicy, saveVersion } from '../tenants/policy-versions.ts';
import { requireRole } from './auth.ts';
import { creditContext } from './credit-context.ts';
import { type AppEnv, tenantOf } from './env.ts';
import { describeOperation, documentedAs, ok } from './openapi.ts';
import { PolicyVersion, PolicyVersions, Simulation } from './responses/policy.ts';
import { instant, instantOf } from './schemas.ts';
import { check, readJson } from './validate.ts';

/**
 * A rule set in a request: any object here, then checked in full (schema, lint, its own
 * tests) by validateRuleset, so its faults carry pointers under /ruleset. The document
 * shows it as the Ruleset component, the same JSON Schema validateRuleset uses.
 */
const rulesetBody = documentedAs('Ruleset', Type.Object({}));

/** Exactly one of the two (checked after the schema, so an unknown field is named first). */
export const PutPolicy = Type.Object(
  {
    preset: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ruleset: Type.Optional(rulesetBody),
  },
  { additionalProperties: false },
);
const settings = RulesetSettingsSchema.properties;
export const PatchSettings = Type.Object(
  {
    zeroPriceUsesCredits: Type.Optional(settings.zeroPriceUsesCredits),
    unlimitedLabelThreshold: Type.Optional(settings.unlimitedLabelThreshold),
    staffMayWaive: settings.staffMayWaive,
    lateCancel: settings.lateCancel,
    noShow: settings.noShow,
    forgiveness: settings.forgiveness,
    excludedPlans: settings.excludedPlans,
    waitlistHoldsCredit: settings.waitlistHoldsCredit,
  },
  { additionalProperties: false },
);
export const Simulate = Type.Object(
  { ruleset: rulesetBody, from: instant, to: instant },
  { additionalProperties: false },
);
export const Rollback = Type.Object(
  // Versions are 32-bit integers in the database.
  { version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);

describeOperation({
  method: 'get',
  path: '/v1/policy',
  operationId: 'getPolicy',
  tag: 'Policy',
  summary: "The tenant's active rule set",
  access: 'admin',
  success: ok(PolicyVersion, 'The active version'),
});
describeOperation({
  method: 'put',
  path: '/v1/policy',
  operationId: 'putPolicy',
  tag: 'Policy',
  summary: 'Replace the rule set with a preset or an edited rule set',
  access: 'admin',
  body: PutPolicy,
  success: ok(PolicyVersion, 'The new active version'),
});
describeOperation({
  method: 'patch',
  path: '/v1/policy/settings',
  operationId: 'updatePolicySettings',
  tag: 'Policy',
  summary: 'Change settings (new version)',
  access: 'admin',
  body: PatchSettings,
  success: ok(PolicyVersion, 'The new active version'),
});
describeOperation({
  method: 'get',
  path: '/v1/policy/versions',
  operationId: 'listPolicyVersions',
  tag: 'Policy',
  summary: 'Version history',
  access: 'admin',
  success: ok(PolicyVersions, 'Every version, oldest first, and which is active'),
});
describeOperation({
  method: 'post',
  path: '/v1/policy/simulate',
  operationId: 'simulatePolicy',
  tag: 'Policy',
  summary: 'What a draft rule set would decide differently, changing nothing',
  access: 'admin',
  body: Simulate,
  success: ok(Simulation, 'The reservations whose credit would differ, with totals'),
});
describeOperation({
  method: 'post',
  path: '/v1/policy/rollback',
  operationId: 'rollbackPolicy',
  tag: 'Policy',
  summary: 'Make an old version active again, as a new version',
  access: 'admin',
  body: Rollback,
  success: ok(PolicyVersion, 'The new active version'),
});

const present = (v: { version: number; hash: string; ruleset: Ruleset }): Static<typeof PolicyVersion> => ({
  version: v.version,
  hash: v.hash,
  ruleset: v.ruleset,
});

/** Validates a rule set (schema, lint, its own tests) with pointers under `prefix`. */
function checked(ruleset: unknown, prefix: string) {
  const result = validateRuleset(ruleset);
  if (!result.ok) {
    throw new PunchcardError(
      'invalid',
      'the rule set is not valid',
      result.errors.map((e: { path: string; message: string }) => ({
        path: `${prefix}${e.path}`,
        message: e.message,
      })),
    );
  }
  return result;
}

async function save(c: Context<AppEnv>, ruleset: unknown, prefix: string, note: string) {
  const result = checked(ruleset, prefix);
  const saved = await saveVersion(
    c.var.em,
    tenantOf(c),
    result.ruleset,
    result.hash,
    c.var.caller.role,
    note,
    c.var.deps.clock(),
  );
  c.var.pending.push({
    name: 'policy.changed',
    payload: { tenantId: tenantOf(c), version: saved.version, hash: saved.hash, reason: note },
  });
  return c.json(present({ version: saved.version, hash: saved.hash, ruleset: result.ruleset }));
}

export const policyRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/', async (c) => c.json(present(await activePolicy(c.var.em, tenantOf(c)))))
  .put('/', async (c) => {
    const body = check(PutPolicy, await readJson(c));
    const { preset, ruleset } = body;
    if ((preset === undefined) === (ruleset === undefined)) {
      throw new PunchcardError('invalid', 'send {"preset": id} or {"ruleset": {...}}', [
        { path: '', message: 'must have exactly one of preset, ruleset' },
      ]);
    }
    if (preset !== undefined) {
      if (!listPresets().some((p: { id: string }) => p.id === preset)) {
        throw new PunchcardError('invalid', `unknown preset '${preset}'`, [
          { path: '/preset', message: `unknown preset '${preset}'` },
        ]);
      }
      return save(c, loadPreset(preset), '', `preset ${preset}`);
    }
    return save(c, ruleset, '/ruleset', 'edited');
  })
  .patch('/settings', async (c) => {
    const body = (await readJson(c)) as Record<string, unknown>;
    const changes = check(PatchSettings, body);
    if (Object.keys(changes).length === 0)
      throw new PunchcardError('invalid', 'no setting to change', [
        { path: '', message: 'name at least one setting' },
      ]);
    const active = await activePolicy(c.var.em, tenantOf(c));
    const next = { ...active.ruleset, settings: { ...active.ruleset.settings, ...changes } };
    return save(c, next, '', `settings ${Object.keys(changes).join(', ')}`);
  })
  .get('/versions', async (c) => {
    const versions = await c.var.em.find(RulesetVersion, {}, { orderBy: { version: 'asc' } });
    const active = await activePolicy(c.var.em, tenantOf(c));
    return c.json({
      active: active.version,
      versions: versions.map((v) => ({
        version: v.version,
        hash: v.hash,
        actor: v.actor,
        note: v.note ?? null,
        createdAt: v.createdAt.toISOString(),
      })),
    });
  })
  .post('/simulate', async (c) => {
    const body = check(Simulate, await readJson(c));
    const draft = checked(body.ruleset, '/ruleset');
    const from = instantOf(body.from);
    const to = instantOf(body.to);
    if (to <= from)
      throw new PunchcardError('invalid', 'to must be after from', [
        { path: '/to', message: 'must be after from' },
      ]);
    const ctx = await creditContext(c);
    return c.json(await simulate(ctx, draft, from, to));
  })
  .post('/rollback', async (c) => {
    const body = check(Rollback, await readJson(c));
    const old = await c.var.em.findOne(RulesetVersion, { version: body.version });
    if (!old)
      throw new PunchcardError('invalid', `no version ${body.version}`, [
        { path: '/version', message: `no version ${body.version}` },
      ]);
    return save(c, old.ruleset, '', `rollback to ${body.version}`);
  });
