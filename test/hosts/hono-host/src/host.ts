import { randomBytes } from 'node:crypto';
import { defineEntity, type MikroORM, p } from '@mikro-orm/core';
import { Migration, Migrator } from '@mikro-orm/migrations';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { type Caller, createCreditsPlugin, entities, migrations } from 'punchcard';

/** The host's own entity: a signed-in session of the host's own users. */
const HostSessionSchema = defineEntity({
  name: 'HostSession',
  tableName: 'host_sessions',
  properties: {
    token: p.string().primary(),
    studioId: p.string().nullable(),
    role: p.enum(['operator', 'admin', 'staff'] as const),
  },
});
export class HostSession extends HostSessionSchema.class {}
HostSessionSchema.setClass(HostSession);

class CreateHostSessions extends Migration {
  override up(): void {
    this.addSql('create table host_sessions (token text primary key, studio_id text, role text not null)');
  }
}

/** One ORM, one connection, one migrations table: the host's entities and punchcard's together. */
async function openHostOrm(databaseUrl: string | undefined): Promise<MikroORM> {
  const config = {
    entities: [HostSession, ...entities],
    extensions: [Migrator],
    migrations: {
      tableName: 'host_migrations',
      migrationsList: [{ name: 'host-0001-sessions', class: CreateHostSessions }, ...migrations],
      snapshot: false,
      silent: true,
    },
  };
  if (databaseUrl) {
    const { MikroORM } = await import('@mikro-orm/postgresql');
    return MikroORM.init({ ...config, clientUrl: databaseUrl });
  }
  const { MikroORM } = await import('@mikro-orm/pglite');
  return MikroORM.init({ ...config, dbName: 'memory://' });
}

/** The host's session cookie → punchcard's caller: a studio's admin or staff, or the operator. */
async function callerOf(orm: MikroORM, token: string | undefined): Promise<Caller | null> {
  const session = token ? await orm.em.fork().findOne(HostSession, { token }) : null;
  if (!session) return null;
  if (session.role === 'operator') return { tenantId: null, role: 'platform' };
  return session.studioId ? { tenantId: session.studioId, role: session.role } : null;
}

export async function createHost(options: { databaseUrl?: string; operatorToken: string }) {
  const orm = await openHostOrm(options.databaseUrl);
  await orm.migrator.up();
  const em = orm.em.fork();
  await em.upsert(HostSession, { token: options.operatorToken, studioId: null, role: 'operator' });

  const credits = await createCreditsPlugin({
    orm,
    migrate: false, // the host's migrator above ran punchcard's migrations with its own
    auth: (c) => callerOf(orm, getCookie(c, 'sid')),
  });
  // Delivered after commit; a set, so that a redelivered event changes nothing.
  const sold = new Set<string>();
  credits.on('purchase.created', (event) => {
    sold.add(`${event.tenantId}/${event.purchaseId}`);
  });

  const app = new Hono();
  // The operator signs a studio's users in; a real host has its own login here.
  app.post('/sessions', async (c) => {
    const caller = await callerOf(orm, getCookie(c, 'sid'));
    if (caller?.role !== 'platform') return c.json({ error: 'operator only' }, 403);
    const body = await c.req.json<{ studioId: string; role: 'admin' | 'staff' }>();
    const token = randomBytes(18).toString('base64url');
    await orm.em.fork().insert(HostSession, { token, studioId: body.studioId, role: body.role });
    return c.json({ token }, 201);
  });
  app.get('/sold', (c) => c.json([...sold]));
  app.route('/credits', credits.app);

  return {
    app,
    close: async () => {
      await credits.close();
      await orm.close();
    },
  };
}
