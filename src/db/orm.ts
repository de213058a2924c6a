import type { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../domain/index.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrations } from './migrations/index.ts';
import { pipelineTransactions } from './pipeline.ts';
import { reusePlans } from './plans.ts';

export interface DatabaseOptions {
  /** A postgres:// URL: use that server. */
  databaseUrl?: string;
  /** A folder for the embedded PGlite database; omitted (with no URL) means in memory. */
  dataDir?: string;
}

const shared = {
  entities,
  extensions: [Migrator],
  migrations: {
    migrationsList: migrations,
    tableName: 'punchcard_migrations',
    silent: true,
    snapshot: false,
  },
  // Entities are plain schemas: no reflection, no discovery of files at run time.
  discovery: { warnWhenNoEntities: false },
  allowGlobalContext: false,
  debug: false,
};

/** The configurations of ORMs open on a PostgreSQL server (not PGlite), by their URL. */
const servers = new WeakMap<object, string>();

/**
 * The URL of the PostgreSQL server an EntityManager reads, for a connection of one's
 * own (reader.ts); null on PGlite, which has one connection.
 */
export const serverUrlOf = (em: { config: object }): string | null => servers.get(em.config) ?? null;

/** Opens the database the options name: a PostgreSQL server, or embedded PGlite. */
export async function openOrm(options: DatabaseOptions): Promise<MikroORM> {
  if (options.databaseUrl) {
    const { MikroORM: PostgresOrm } = await import('@mikro-orm/postgresql');
    const orm = await PostgresOrm.init({
      ...shared,
      clientUrl: options.databaseUrl,
      pool: { min: 0, max: 10 },
    });
    const pool = await orm.driver.getConnection().getNativeClient();
    reusePlans(pool);
    pipelineTransactions(pool);
    servers.set(orm.config, options.databaseUrl);
    return orm;
  }
  const { MikroORM: PgliteOrm } = await import('@mikro-orm/pglite');
  const dataDir = options.dataDir && !options.dataDir.startsWith('memory://') ? options.dataDir : undefined;
  // A folder is one process's: taken before PGlite opens it, given back when the ORM closes.
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const orm = await PgliteOrm.init({ ...shared, dbName: options.dataDir ?? 'memory://' });
    const close = orm.close.bind(orm);
    orm.close = async (force?: boolean) => {
      try {
        await close(force);
      } finally {
        release();
      }
    };
    return orm;
  } catch (error) {
    release();
    throw error;
  }
}

export async function migrate(orm: MikroORM): Promise<void> {
  await orm.migrator.up();
}
