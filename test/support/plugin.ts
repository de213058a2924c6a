import { type CreditsPlugin, createCreditsPlugin } from '../../src/plugin.ts';
import { clock } from './clock.ts';

export const platformKey = 'test-platform-key';
export const onPostgres = Boolean(process.env.DATABASE_URL);

let shared: Promise<CreditsPlugin> | undefined;

/** The worker's one plugin (PGlite in memory, or DATABASE_URL), opened on first use. */
export function testPlugin(): Promise<CreditsPlugin> {
  shared ??= createCreditsPlugin({
    databaseUrl: process.env.DATABASE_URL,
    platformKey,
    clock,
    migrate: !onPostgres,
    // Deliveries retry within milliseconds here, so retry tests run in seconds.
    outbox: { baseMs: 20, capMs: 400, pollMs: 100, timeoutMs: 5000 },
    // The integration tests' receivers run on this machine. On PostgreSQL every worker
    // may deliver any tenant's events, so the switch is the same in all of them; the
    // SSRF tests build their own plugin with it off.
    allowPrivateTargets: true,
  });
  return shared;
}
