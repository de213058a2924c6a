import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { listPresets, loadPreset } from '../policy/index.ts';
import type { AppEnv } from './env.ts';
import { describeOperation, ok } from './openapi.ts';
import { PresetList, Ruleset } from './responses/policy.ts';

describeOperation({
  method: 'get',
  path: '/v1/presets',
  operationId: 'listPresets',
  tag: 'Presets',
  summary: 'The policy presets a tenant can choose',
  access: 'public',
  success: ok(PresetList),
});
describeOperation({
  method: 'get',
  path: '/v1/presets/{id}',
  operationId: 'getPreset',
  tag: 'Presets',
  summary: "One preset's rule set",
  access: 'public',
  success: ok(Ruleset, 'The rule set'),
});

export const presetRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.json({ presets: listPresets() }))
  .get('/:id', (c) => {
    const id = c.req.param('id');
    if (!listPresets().some((p) => p.id === id)) throw notFound('preset', id);
    return c.json(loadPreset(id));
  });
