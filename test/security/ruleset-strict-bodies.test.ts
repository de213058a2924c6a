import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/policy/index.ts';
import { expectRefused, sendRaw } from '../policy/ruleset-helpers.ts';
import { newStudio } from '../support/fixtures.ts';

describe('policy routes take strict bodies', () => {
  it('PUT /v1/policy: an unknown field, a preset that is not text, both or neither is a 422 at its pointer', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    const put = (body: string) => () => sendRaw('PUT', '/v1/policy', t.admin, body);
    await expectRefused(admin, put('{"preset": "gymgo", "extra": 1}'), '/extra', /is not a known field/);
    await expectRefused(admin, put('{"ruleset": {}, "note": "x"}'), '/note', /is not a known field/);
    await expectRefused(admin, put('{"preset": 5}'), '/preset', /must be string/);
    await expectRefused(admin, put('{"preset": {"toString": 1}}'), '/preset', /must be string/);
    await expectRefused(admin, put('{"preset": ""}'), '/preset');
    await expectRefused(admin, put('{"ruleset": []}'), '/ruleset', /must be (a JSON )?object/);
    await expectRefused(admin, put(JSON.stringify({ preset: 'gymgo', ruleset: loadPreset('gymgo') })), '');
    await expectRefused(admin, put('{}'), '', /exactly one of preset, ruleset/);
    await expectRefused(admin, put('[]'), '', /must be (a JSON )?object/);
    expect((await admin.put('/v1/policy', { preset: 'gymgo' })).body.version).toBe(2);
  });

  it('settings, rollback and simulate: an unknown field is a 422 at its pointer', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    await expectRefused(
      admin,
      () => sendRaw('PATCH', '/v1/policy/settings', t.admin, '{"zeroPriceUsesCredits": true, "colour": 1}'),
      '/colour',
      /is not a known field/,
    );
    await expectRefused(
      admin,
      () => sendRaw('POST', '/v1/policy/rollback', t.admin, '{"version": 1, "force": true}'),
      '/force',
      /is not a known field/,
    );
    await expectRefused(
      admin,
      () =>
        sendRaw(
          'POST',
          '/v1/policy/simulate',
          t.admin,
          JSON.stringify({
            ruleset: loadPreset('gymgo'),
            from: '2026-03-01T00:00:00Z',
            to: '2026-04-01T00:00:00Z',
            dry: 1,
          }),
        ),
      '/dry',
      /is not a known field/,
    );
  });
});
