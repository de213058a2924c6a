import { describe, expect, it } from 'vitest';
import { limits } from '../../src/policy/index.ts';
import { expectRefused, sendRaw } from '../policy/ruleset-helpers.ts';
import { newStudio } from '../support/fixtures.ts';

describe('the unlimited-label threshold is a finite integer within its bound', () => {
  it('1e400 (Infinity once parsed), a fraction or a number over the bound is a 422 at its pointer; the bound itself saves', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const raw of ['1e400', '-1e400', '2.5', '0', String(limits.unlimitedLabelThreshold + 1)]) {
      await expectRefused(
        admin,
        () => sendRaw('PATCH', '/v1/policy/settings', t.admin, `{"unlimitedLabelThreshold": ${raw}}`),
        '/unlimitedLabelThreshold',
      );
    }
    // The same value inside a whole rule set.
    const ruleset = (await admin.get('/v1/policy')).body.ruleset;
    const text = JSON.stringify({ ruleset }).replace(
      '"unlimitedLabelThreshold":100',
      '"unlimitedLabelThreshold":1e400',
    );
    expect(text).toContain('1e400');
    await expectRefused(
      admin,
      () => sendRaw('PUT', '/v1/policy', t.admin, text),
      '/ruleset/settings/unlimitedLabelThreshold',
      /must be a finite number/,
    );
    const saved = await admin.patch('/v1/policy/settings', {
      unlimitedLabelThreshold: limits.unlimitedLabelThreshold,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.ruleset.settings.unlimitedLabelThreshold).toBe(1_000_000);
    expect((await admin.post('/v1/policy/rollback', { version: 1 })).status).toBe(200);
  });
});
