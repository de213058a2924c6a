/** Environment parsed and checked once, failing fast with a message a person can act on. */
export interface ServerConfig {
  port: number;
  /** Where to listen: loopback unless HOST says otherwise (0.0.0.0 for every interface). */
  host: string;
  /** Largest request body in bytes. */
  bodyLimitBytes: number;
  databaseUrl: string | undefined;
  dataDir: string;
  platformKey: string | undefined;
  sweepEverySeconds: number;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  }
  return {
    port: positiveInt('PORT', env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    bodyLimitBytes: positiveInt('PUNCHCARD_BODY_LIMIT', env.PUNCHCARD_BODY_LIMIT, 1024 * 1024),
    databaseUrl,
    dataDir: env.PUNCHCARD_DATA_DIR || '.punchcard',
    platformKey: env.PUNCHCARD_PLATFORM_KEY || undefined,
    sweepEverySeconds: positiveInt('PUNCHCARD_SWEEP_SECONDS', env.PUNCHCARD_SWEEP_SECONDS, 60),
  };
}
