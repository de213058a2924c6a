import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { listPresets, loadPreset } from '../policy/index.ts';
import type { AppEnv } from './env.ts';
import { describeOperation } from './openapi.ts';

describeOperation({
  method: 'get',
  path: '/v1/presets',
  summary: 'The policy presets a tenant can choose',
  access: 'public',
});
describeOperation({
  method: 'get',
  path: '/v1/presets/{id}',
  summary: "One preset's rule set",
  access: 'public',
});

export const presetRoutes = new Hono<AppEnv>()
  .get('/', (c) => c.json({ presets: listPresets() }))
  .get('/:id', (c) => {
    const id = c.req.param('id');
    if (!listPresets().some((p) => p.id === id)) throw notFound('preset', id);
    return c.json(loadPreset(id));
  });
