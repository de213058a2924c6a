import { describe, expect, it } from 'vitest';
import { expectRefused, sendRaw } from '../policy/ruleset-helpers.ts';
import { newStudio } from '../support/fixtures.ts';

describe('a rollback names a version the database can hold', () => {
  it('1e400, 2^31, a fraction or a string is a 422 at /version and writes nothing', async () => {
    const t = await newStudio('mytime');
    const admin = t.as('admin');
    for (const raw of ['1e400', '2147483648', '1.5', '"1"', '0']) {
      await expectRefused(
        admin,
        () => sendRaw('POST', '/v1/policy/rollback', t.admin, `{"version": ${raw}}`),
        '/version',
      );
    }
    expect((await admin.post('/v1/policy/rollback', { version: 2_147_483_647 })).body.errors).toEqual([
      { path: '/version', message: 'no version 2147483647' },
    ]);
    expect((await admin.post('/v1/policy/rollback', { version: 1 })).body.version).toBe(2);
  });
});
